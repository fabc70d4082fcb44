"""Running one piece of work in many threads that start at the same moment, for the tests that
prove money and shares are never created or lost when requests race (on PostgreSQL)."""

import threading
from collections import Counter

from django.db import connection

from wijkbv.errors import DomainError


def race(work, racers: int) -> tuple[Counter, list]:
    """Run work(number) for number in range(racers), each in its own thread, all released
    together. Returns the codes of the refusals (DomainError) counted, and every other error
    as (number, repr) for the test to report. Each thread closes its own connection."""
    start = threading.Barrier(racers)
    failures, refused = [], Counter()

    def run(number):
        try:
            start.wait()
            try:
                work(number)
            except DomainError as refusal:
                refused[refusal.code] += 1
        except Exception as error:  # reported by the test, with the thread's number
            failures.append((number, repr(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return refused, failures
