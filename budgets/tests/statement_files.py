"""CAMT.053 files written for the import tests: statements of the cooperative's own account
with the lines a test needs, so overlaps, gaps and large files are easy to make. The file is
written by budgets.statements.writer, as the demo's statement is."""

import datetime
from decimal import Decimal
from pathlib import Path

from budgets.statements.model import Entry, Statement
from budgets.statements.writer import camt053_file

DATA = Path(__file__).parent / "data" / "statements"
IBAN = "NL91ABNA0417164300"
DAY = datetime.date(2026, 3, 2)


def line(
    amount,
    *,
    reference="",
    name="J. de Vries",
    remittance="Bijdrage",
    on=DAY,
    iban="",
    end_to_end="",
):
    return {
        "amount": Decimal(str(amount)),
        "iban": iban,
        "end_to_end": end_to_end,
        "reference": reference,
        "name": name,
        "remittance": remittance,
        "on": on,
    }


def statement(number, opening, lines, *, opens=None, closes=None, iban=IBAN):
    closes = closes or max((item["on"] for item in lines), default=DAY)
    return {
        "id": f"S-{number}",
        "iban": iban,
        "opening": Decimal(str(opening)),
        "opens": opens or closes - datetime.timedelta(days=1),
        "closes": closes,
        "lines": lines,
    }


def _entry(item) -> Entry:
    return Entry(
        booking_date=item["on"],
        value_date=item["on"],
        amount=item["amount"],
        currency="EUR",
        counterparty_name=item["name"],
        counterparty_iban=item["iban"],
        remittance=item["remittance"],
        end_to_end_id=item.get("end_to_end", ""),
        bank_reference=item["reference"],
    )


def camt(*statements) -> bytes:
    """A CAMT.053 (001.02) file holding `statements`, each closing at its opening balance plus
    its lines."""
    return camt053_file(
        [
            Statement(
                account_iban=stmt["iban"],
                currency="EUR",
                statement_id=stmt["id"],
                opening_balance=stmt["opening"],
                opening_date=stmt["opens"],
                closing_balance=stmt["opening"]
                + sum((item["amount"] for item in stmt["lines"]), Decimal(0)),
                closing_date=stmt["closes"],
                entries=tuple(_entry(item) for item in stmt["lines"]),
            )
            for stmt in statements
        ],
        message_id="TEST",
        created_at=datetime.datetime(2026, 3, 2, 6, 0),
    )


def many_lines(count: int) -> bytes:
    """One statement of `count` different lines: a month of a very busy account."""
    lines = [
        line(
            Decimal(count % 997 + number % 500) / 100 + 1,
            reference=f"REF-{number}",
            on=DAY + datetime.timedelta(days=number % 28),
        )
        for number in range(count)
    ]
    return camt(statement(1, "1000.00", lines, opens=DAY, closes=DAY + datetime.timedelta(days=28)))
