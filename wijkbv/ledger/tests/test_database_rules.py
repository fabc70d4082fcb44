"""PostgreSQL enforces the ledger's rules a second time, for rows written without the services.

The balance rules are checked when the database transaction commits (a deferred constraint
trigger), so these tests commit for real."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from wijkbv.ledger import services
from wijkbv.ledger.lines import credit, debit
from wijkbv.ledger.models import (
    AccountType,
    ClosingBalance,
    PeriodClose,
    Posting,
    Purpose,
    Transaction,
)
from wijkbv.ledger.testing import account, euros, ledger_rows

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DAY = datetime.date(2026, 3, 14)


def _write(cooperative, lines, booking_date=DAY):
    """A transaction written straight to the tables, as a careless script would."""
    with transaction.atomic():
        booked = Transaction.objects.create(
            cooperative=cooperative, booking_date=booking_date, description="by hand", action="x"
        )
        for posted_on, amount, currency in lines:
            Posting.objects.create(
                transaction=booked,
                account=posted_on,
                amount=Decimal(amount),
                currency=currency,
                booking_date=booking_date,
            )
    return booked


def _refused(hood, lines, message, **values):
    before = ledger_rows(hood.cooperative)
    with pytest.raises(IntegrityError, match=message):
        _write(hood.cooperative, lines, **values)
    assert ledger_rows(hood.cooperative) == before


def _sql(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def bank(hood):
    return account(hood.cooperative, "1000")


@pytest.fixture
def gifts(hood):
    return account(hood.cooperative, "8000")


def test_it_accepts_a_balanced_transaction(hood, bank, gifts):
    _write(hood.cooperative, [(bank, "5.00", "EUR"), (gifts, "-5.00", "EUR")])
    assert ledger_rows(hood.cooperative) == (1, 2)


def test_it_refuses_at_commit_a_transaction_that_does_not_sum_to_zero(hood, bank, gifts):
    _refused(
        hood,
        [(bank, "5.00", "EUR"), (gifts, "-4.99", "EUR")],
        r"does not sum to zero: 0\.01",
    )


def test_it_refuses_a_transaction_with_one_posting(hood, bank):
    _refused(hood, [(bank, "5.00", "EUR")], "has 1 posting")


def test_it_refuses_a_transaction_without_postings(hood):
    _refused(hood, [], "has 0 posting")


def test_it_refuses_a_posting_of_zero(hood, bank, gifts):
    _refused(hood, [(bank, "0", "EUR"), (gifts, "0", "EUR")], "posting_not_zero")


def test_it_refuses_a_posting_in_another_currency_than_its_account(hood, bank, gifts):
    _refused(
        hood,
        [(bank, "5.00", "USD"), (gifts, "-5.00", "USD")],
        "differs from its account or transaction",
    )


def test_it_refuses_a_posting_on_another_cooperatives_account(hood, gifts):
    theirs = account(hood.other, "1000")
    _refused(
        hood,
        [(theirs, "5.00", "EUR"), (gifts, "-5.00", "EUR")],
        "differs from its account or transaction",
    )


def test_it_refuses_a_booking_into_a_closed_period(hood, bank, gifts):
    services.close_period(hood.cooperative, actor=hood.dave, until=DAY)
    _refused(
        hood,
        [(bank, "5.00", "EUR"), (gifts, "-5.00", "EUR")],
        "is booked on 2026-03-14, in a closed period",
    )


def test_it_refuses_a_project_budget_below_zero(hood, bank):
    project = services.open_account(
        hood.cooperative,
        actor=hood.dave,
        code="2101",
        name="Buurtmoestuin",
        type=AccountType.LIABILITY,
        purpose=Purpose.PROJECT_BUDGET,
    )
    _refused(
        hood,
        [(project, "5.00", "EUR"), (bank, "-5.00", "EUR")],
        "takes project budget 2101 below zero",
    )


def test_it_refuses_a_posting_added_to_a_booked_transaction(hood, bank, gifts):
    booked = _write(hood.cooperative, [(bank, "5.00", "EUR"), (gifts, "-5.00", "EUR")])
    with pytest.raises(IntegrityError, match="is already booked"):
        with transaction.atomic():
            Posting.objects.create(
                transaction=booked, account=bank, amount=1, currency="EUR", booking_date=DAY
            )
    assert ledger_rows(hood.cooperative) == (1, 2)


@pytest.fixture
def booked(hood, bank, gifts):
    return services.post_transaction(
        hood.cooperative,
        actor=hood.dave,
        booking_date=DAY,
        description="Gift",
        lines=[debit(bank, euros(5)), credit(gifts, euros(5))],
    )


def test_it_refuses_to_change_a_posting(booked):
    with pytest.raises(IntegrityError, match="UPDATE on ledger_posting refused"):
        Posting.objects.filter(transaction=booked).update(amount=7)
    assert sorted(Posting.objects.filter(transaction=booked).values_list("amount", flat=True)) == [
        -5,
        5,
    ]


def test_it_refuses_to_delete_a_posting(booked):
    with pytest.raises(IntegrityError, match="DELETE on ledger_posting refused"):
        Posting.objects.filter(transaction=booked).delete()
    assert Posting.objects.filter(transaction=booked).count() == 2


def test_it_refuses_to_change_or_delete_a_transaction(booked):
    with pytest.raises(IntegrityError, match="UPDATE on ledger_transaction refused"):
        Transaction.objects.filter(pk=booked.pk).update(description="something else")
    with pytest.raises(IntegrityError, match="DELETE on ledger_transaction refused"):
        _sql("DELETE FROM ledger_transaction WHERE id = %s", [booked.pk])
    assert Transaction.objects.get(pk=booked.pk).description == "Gift"


def test_it_refuses_to_reopen_a_closed_period(hood, booked):
    period = services.close_period(hood.cooperative, actor=hood.dave, until=DAY)
    with pytest.raises(IntegrityError, match="DELETE on ledger_periodclose refused"):
        _sql("DELETE FROM ledger_periodclose WHERE id = %s", [period.pk])
    with pytest.raises(IntegrityError, match="UPDATE on ledger_closingbalance refused"):
        ClosingBalance.objects.filter(period=period).update(amount=0)
    assert PeriodClose.objects.filter(pk=period.pk).exists()
