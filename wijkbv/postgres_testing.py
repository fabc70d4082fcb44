"""What tests read from PostgreSQL about how rows were written and locked.

PostgreSQL rewrites a row within its page and leaves every index alone (a "heap-only tuple"
update) when no indexed column changes and the page has room (ADR 0069). The counts below are of
the current transaction, so a test reads them inside one.

A rule checked by a statement trigger instead of a foreign key must lock what the key locked
(ADR 0067): `delete_racing` runs a delete against rows being written, in two threads."""

import dataclasses
import threading
import time
from contextlib import contextmanager

from django.db import IntegrityError, connection, transaction


@dataclasses.dataclass
class Updates:
    """The rows of a table updated while a `updates_of` block ran: in all, and in place."""

    all: int = 0
    in_place: int = 0


def _counted(table: str) -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = %s",
            [table],
        )
        return cursor.fetchone()


@contextmanager
def updates_of(table: str):
    """Count the updates of `table` made inside the block (which must run in a transaction)."""
    counted = Updates()
    all_before, in_place_before = _counted(table)
    yield counted
    all_after, in_place_after = _counted(table)
    counted.all = all_after - all_before
    counted.in_place = in_place_after - in_place_before


def storage_options(table: str) -> list[str] | None:
    """The table's storage parameters, such as ["fillfactor=50"]."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def _waiting_for_a_lock(pid) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


def delete_racing(write, delete) -> str:
    """Run `write` in a transaction in one thread and keep it open; once it has written, run
    `delete` in a transaction in another; when the delete waits for a lock the write holds, let
    the write commit. Returns the message of the delete's IntegrityError ("" when it passed).
    Fails (AssertionError) when the delete never waited: then the write locked nothing it names."""
    written, go_on = threading.Event(), threading.Event()
    deleter = {"error": ""}

    def writing():
        try:
            with transaction.atomic():
                write()
                written.set()
                go_on.wait(30)
        finally:
            connection.close()

    def deleting():
        try:
            written.wait(30)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                deleter["pid"] = cursor.fetchone()[0]
            with transaction.atomic():
                delete()
        except IntegrityError as error:
            deleter["error"] = str(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writing), threading.Thread(target=deleting)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(300):
            if "pid" in deleter and _waiting_for_a_lock(deleter["pid"]):
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the delete did not wait for the writer's lock")
    finally:
        go_on.set()
        for thread in threads:
            thread.join()
    return deleter["error"]
