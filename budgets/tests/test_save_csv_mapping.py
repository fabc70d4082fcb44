"""Saving the columns of a bank's CSV export on a bank account: checked whole, stored as JSON,
one audit event; a mapping that cannot work is refused with the reason and nothing is saved."""

import pytest

from budgets import services
from budgets.tests.bank_lines import bank_account
from budgets.tests.statement_files import IBAN
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db

ING = {
    "booking_date": "Datum",
    "amount": "Bedrag (EUR)",
    "direction": "Af Bij",
    "counterparty_name": "Naam / Omschrijving",
    "counterparty_iban": "Tegenrekening",
    "remittance": ["Mededelingen"],
    "date_format": "%Y%m%d",
}
STORED = {
    "booking_date": "Datum",
    "amount": "Bedrag (EUR)",
    "direction": "Af Bij",
    "counterparty_name": "Naam / Omschrijving",
    "counterparty_iban": "Tegenrekening",
    "remittance": ["Mededelingen"],
    "debit_marks": ["D", "Af", "Debit"],
    "delimiter": ";",
    "decimal_comma": True,
    "date_format": "%Y%m%d",
    "encoding": "utf-8",
    "header": True,
}


def test_the_treasurer_saves_the_columns_of_the_banks_csv(hood):
    account = bank_account(hood)
    with captures_events(hood.cooperative) as events:
        services.save_csv_mapping(account, actor=hood.dave, mapping=ING)
    account.refresh_from_db()
    assert account.csv_mapping == STORED
    assert_audit_event(
        events,
        action="bank.csv_mapping_saved",
        actor=hood.dave,
        subject=account,
        payload={"account_iban": IBAN, "mapping": STORED},
    )


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ("Datum;Bedrag", "not a list of fields"),
        ({"amount": "Bedrag"}, "Choose the column with the booking date."),
        ({"booking_date": "Datum"}, "either an amount column or a debit and a credit column"),
        ({"booking_date": "Datum", "amount": "Bedrag", "debit": "Af"}, "either an amount"),
        ({"booking_date": "Datum", "amount": 3}, "not a column name"),
        ({"booking_date": "Datum", "amount": "Bedrag", "colour": "x"}, "no field colour"),
        ({"booking_date": "Datum", "amount": "Bedrag", "delimiter": "x"}, "delimiter"),
        ({"booking_date": "Datum", "amount": "Bedrag", "date_format": "%s"}, "date_format"),
        ({"booking_date": 0, "amount": "x", "header": False}, "not a column name"),
    ],
)
def test_a_mapping_that_cannot_work_is_refused_and_nothing_is_saved(hood, mapping, message):
    account = bank_account(hood)
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError, match=message):
        services.save_csv_mapping(account, actor=hood.dave, mapping=mapping)
    account.refresh_from_db()
    assert account.csv_mapping == {}
    assert AuditEvent.objects.count() == events


def test_without_a_header_row_columns_are_numbers(hood):
    account = bank_account(hood)
    services.save_csv_mapping(
        account, actor=hood.dave, mapping={"booking_date": 0, "amount": 2, "header": False}
    )
    account.refresh_from_db()
    assert (account.csv_mapping["booking_date"], account.csv_mapping["amount"]) == (0, 2)


@pytest.mark.parametrize("name", ["alice", "carol", "erin"])
def test_only_the_treasurer_saves_a_mapping(hood, name):
    account = bank_account(hood)
    with pytest.raises(NotAllowed):
        services.save_csv_mapping(account, actor=hood.people[name], mapping=ING)
    account.refresh_from_db()
    assert account.csv_mapping == {}
