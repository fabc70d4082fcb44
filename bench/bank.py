"""python -m bench.bank: matching a large bank statement to the open items.

100,000 lines against 50,000 open items, drawn from a fixed seed: share subscriptions paid with
their RF reference (written in groups of four, sometimes in lower case), our own payments of
expenses coming back with their end-to-end id, member contributions from a known IBAN, advances
and Stripe payouts found by amount and date. 60% of the lines pay an item, the rest pay nothing
we know. Only `match` is timed; making the data is not. Matching needs no database.
"""

import datetime
import random
import statistics
import time
from decimal import Decimal

from stdnum.iso7064 import mod_97_10

from budgets import matching
from budgets.statements.model import Entry

LINES = 100_000
ITEMS = 50_000
MATCHABLE = 0.6
SEED = 11
START = datetime.date(2026, 1, 1)


def _rf(number: int) -> str:
    body = f"SH{number:08d}"
    return f"RF{mod_97_10.calc_check_digits(body + 'RF')}{body}"


def _iban(chance: random.Random) -> str:
    return f"NL{chance.randint(10, 99)}BANK{chance.randint(0, 9_999_999_999):010d}"


def data(lines: int = LINES, items: int = ITEMS, seed: int = SEED):
    """The open items and the statement lines, the same for the same seed."""
    chance = random.Random(seed)
    kinds = ["subscription", "expense", "contribution", "advance", "stripe_payout"]
    made = []
    for number in range(items):
        kind = kinds[number % len(kinds)]
        cents = chance.randint(500, 500_000)
        due = START + datetime.timedelta(days=chance.randint(0, 330))
        if kind == "subscription":
            item = matching.OpenItem(kind, str(number), Decimal(cents) / 100, _rf(number), due=due)
        elif kind == "expense":
            item = matching.OpenItem(
                kind, str(number), -Decimal(cents) / 100, due=due, end_to_end_id=f"WBV-{number}"
            )
        elif kind == "contribution":
            item = matching.OpenItem(
                kind, str(number), Decimal(cents) / 100, ibans=frozenset({_iban(chance)}), due=due
            )
        else:
            sign = -1 if kind == "advance" else 1
            item = matching.OpenItem(kind, str(number), sign * Decimal(cents) / 100, due=due)
        made.append(item)
    # Each item is paid once; when there are more paying lines than items, the rest pay an
    # item a second time, as a member who pays twice does.
    paid = chance.sample(made, len(made))
    rows = []
    for _ in range(lines):
        if chance.random() < MATCHABLE:
            item = paid.pop() if paid else chance.choice(made)
            rows.append(_paying(chance, item))
        else:
            rows.append(
                Entry(
                    booking_date=START + datetime.timedelta(days=chance.randint(0, 364)),
                    value_date=None,
                    amount=Decimal(chance.randint(-500_000, 500_000)) / 100,
                    currency="EUR",
                    counterparty_name="Someone",
                    counterparty_iban=_iban(chance),
                    remittance=f"Invoice {chance.randint(1, 10**6)} thank you",
                )
            )
    return rows, made


def _paying(chance: random.Random, item: matching.OpenItem) -> Entry:
    booked = item.due + datetime.timedelta(days=chance.randint(-5, 5))
    remittance, iban, end_to_end = "Payment", _iban(chance), ""
    if item.kind == "subscription":
        grouped = " ".join(item.reference[i : i + 4] for i in range(0, len(item.reference), 4))
        written = grouped.lower() if chance.random() < 0.3 else grouped
        remittance = f"Shares {written} thank you"
    elif item.kind == "expense":
        end_to_end = item.end_to_end_id
    elif item.kind == "contribution":
        iban = next(iter(item.ibans))
    return Entry(
        booking_date=booked,
        value_date=booked,
        amount=item.amount,
        currency="EUR",
        counterparty_name="Member",
        counterparty_iban=iban,
        remittance=remittance,
        end_to_end_id=end_to_end,
    )


def measure_matching(lines: int = LINES, items: int = ITEMS, runs: int = 5) -> dict:
    """Median time of `match` over `runs`, as lines per second, and how many lines it matched."""
    rows, made = data(lines, items)
    times, outcome = [], []
    for _ in range(runs):
        began = time.perf_counter()
        outcome = matching.match(rows, made)
        times.append(time.perf_counter() - began)
    seconds = statistics.median(times)
    return {
        "lines": lines,
        "items": items,
        "seconds": round(seconds, 3),
        "lines_per_s": round(lines / seconds),
        "suggested": sum(1 for s in outcome if s.matches),
        "confident": sum(1 for s in outcome if matching.confident(s)),
    }


if __name__ == "__main__":
    figures = measure_matching()
    print(
        f"matching: {figures['lines']:,} lines against {figures['items']:,} open items in "
        f"{figures['seconds']} s: {figures['lines_per_s']:,} lines per second; "
        f"{figures['suggested']:,} with suggestions, {figures['confident']:,} confident"
    )
