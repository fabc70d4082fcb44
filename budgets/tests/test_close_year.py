import datetime

import pytest

from budgets import services
from budgets.models import YearClose
from budgets.sources import money_left
from budgets.tests.conftest import written
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.lines import credit, debit
from wijkbv.ledger.models import Account, Balance
from wijkbv.ledger.services import post_transaction
from wijkbv.ledger.testing import euros
from wijkbv.testing import last_year

pytestmark = pytest.mark.django_db


def _book(hood, code_from, code_to, amount, on):
    accounts = {a.code: a for a in Account.objects.filter(cooperative=hood.cooperative)}
    post_transaction(
        hood.cooperative,
        actor=hood.dave,
        booking_date=on,
        description="Test",
        lines=[debit(accounts[code_to], euros(amount)), credit(accounts[code_from], euros(amount))],
    )


@pytest.fixture
def a_year(hood):
    """Last year: € 1.200 rent of places and € 300 of general costs, both through the bank;
    and € 50 of rent this year, which stays out."""
    _book(hood, "8100", "1000", "1200", datetime.date(last_year(), 3, 1))
    _book(hood, "1000", "4200", "300", datetime.date(last_year(), 6, 1))
    _book(hood, "8100", "1000", "50", datetime.date(last_year() + 1, 1, 2))


def _balance(hood, code):
    return Balance.objects.get(account__cooperative=hood.cooperative, account__code=code).amount


def test_the_result_goes_to_the_reinvestment_reserve(hood, a_year):
    with captures_events(hood.cooperative) as events:
        record = services.close_year(hood.cooperative, actor=hood.dave, year=last_year())
    assert str(record.result) == "900.00"
    assert _balance(hood, "3100") == -900
    assert _balance(hood, "8100") == -50
    assert _balance(hood, "4200") == 0
    event = assert_audit_event(events, action="budget.year_closed", actor=hood.dave)
    assert (event.payload["year"], event.payload["result"]) == (last_year(), "900.00")
    assert event.payload["booking_date"] == f"{last_year()}-12-31"
    # The reserve now funds proposals like any stream.
    assert money_left(hood.cooperative, None) == 900


def test_a_loss_lowers_the_reserve(hood):
    _book(hood, "1000", "4200", "100", datetime.date(last_year(), 6, 1))
    record = services.close_year(hood.cooperative, actor=hood.dave, year=last_year())
    assert str(record.result) == "-100.00"
    assert _balance(hood, "3100") == 100


def test_a_quiet_year_closes_with_nothing_booked(hood):
    with captures_events(hood.cooperative) as events:
        record = services.close_year(hood.cooperative, actor=hood.dave, year=last_year())
    assert record.result == 0
    assert_audit_event(
        events,
        action="budget.year_closed",
        actor=hood.dave,
        subject=record,
        payload={"year": last_year(), "result": "0.00", "currency": "EUR"},
    )


@pytest.mark.parametrize(
    ("year", "message"),
    [
        (lambda: last_year() + 1, "has ended"),
        (lambda: last_year() + 5, "has ended"),
        ("2025", "Fill in a year"),
        (True, "Fill in a year"),
        (99999, "has ended"),
    ],
)
def test_bad_years_are_refused_and_nothing_is_written(hood, a_year, year, message):
    year = year() if callable(year) else year
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match=message):
        services.close_year(hood.cooperative, actor=hood.dave, year=year)
    assert written(hood.cooperative) == before
    assert not YearClose.objects.exists()


def test_closed_once(hood, a_year):
    services.close_year(hood.cooperative, actor=hood.dave, year=last_year())
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match="already been closed"):
        services.close_year(hood.cooperative, actor=hood.dave, year=last_year())
    assert written(hood.cooperative) == before


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "erin", "frank", "olivia"])
def test_only_the_treasurer_closes_the_year(hood, name):
    with pytest.raises(NotAllowed):
        services.close_year(hood.cooperative, actor=hood.people[name], year=last_year())
    assert not YearClose.objects.exists()
