"""The CAMT.053 writer: what it writes reads back, through the project's own reader, as the
statements it was given."""

import datetime
from decimal import Decimal

import pytest

from budgets.statements import camt053
from budgets.statements.model import Entry, Statement, StatementError
from budgets.statements.writer import camt053_file

DAY = datetime.date(2026, 10, 5)
ACCOUNT = "NL68TRIO0338812345"


def _entry(amount, **fields) -> Entry:
    return Entry(
        booking_date=fields.pop("on", DAY),
        value_date=fields.pop("value_date", DAY),
        amount=Decimal(amount),
        currency="EUR",
        **fields,
    )


def _statement(*entries, opening="1000.00", statement_id="2026-10") -> Statement:
    opening = Decimal(opening)
    return Statement(
        account_iban=ACCOUNT,
        currency="EUR",
        statement_id=statement_id,
        opening_balance=opening,
        opening_date=DAY,
        closing_balance=opening + sum((e.amount for e in entries), Decimal(0)),
        closing_date=DAY + datetime.timedelta(days=26),
        entries=entries,
    )


def test_it_reads_back_as_the_statements_it_was_given():
    statements = [
        _statement(
            _entry(
                "10.00",
                counterparty_name="M. Yilmaz",
                counterparty_iban="NL20INGB0001234567",
                remittance="Aandeel RF18 5390 0754 7034",
                bank_reference="BANK-1",
            ),
            _entry(
                "-45.50",
                counterparty_name="Groenteboer De Wit & Zn <Moerwijk>",
                counterparty_iban="NL08RABO3012345678",
                remittance="Declaratie 3",
                end_to_end_id="WBV1-E3",
                value_date=None,
            ),
            _entry("-9.50", remittance="Kosten betaalrekening"),
            _entry("-25.00", counterparty_name="J. Bakker", reversal=True),
            _entry("0.00"),
        ),
        _statement(opening="930.50", statement_id="2026-11"),
    ]

    assert camt053.parse(camt053_file(statements, message_id="DEMO-1")) == statements


def test_it_refuses_a_statement_that_does_not_add_up():
    broken = Statement(
        account_iban=ACCOUNT,
        currency="EUR",
        statement_id="S",
        opening_balance=Decimal("10.00"),
        opening_date=DAY,
        closing_balance=Decimal("20.00"),
        closing_date=DAY,
        entries=(_entry("5.00"),),
    )

    with pytest.raises(StatementError, match="do not add up"):
        camt053_file([broken])


def test_it_refuses_a_batch_entry():
    part = _entry("-5.00")
    batch = _entry("-10.00", batch=(part, part))

    with pytest.raises(ValueError, match="batch"):
        camt053_file([_statement(batch)])
