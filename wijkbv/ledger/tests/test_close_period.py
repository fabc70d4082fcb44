import datetime

import pytest

from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger import services
from wijkbv.ledger.lines import credit, debit
from wijkbv.ledger.models import ClosingBalance, PeriodClose
from wijkbv.ledger.selectors import balance_as_of
from wijkbv.ledger.testing import account, euros

JANUARY = datetime.date(2026, 1, 31)


def _gift(hood, day, amount):
    services.post_transaction(
        hood.cooperative,
        actor=hood.dave,
        booking_date=day,
        description="Gift",
        lines=[
            debit(account(hood.cooperative, "1000"), euros(amount)),
            credit(account(hood.cooperative, "8000"), euros(amount)),
        ],
    )


def test_it_closes_the_books_and_records_the_balances(hood):
    _gift(hood, datetime.date(2026, 1, 10), 100)
    _gift(hood, datetime.date(2026, 2, 10), 7)
    with captures_events(hood.cooperative) as events:
        period = services.close_period(hood.cooperative, actor=hood.dave, until=JANUARY)
    event = assert_audit_event(
        events, action="ledger.period_closed", actor=hood.dave, subject=period
    )
    assert event.payload["until"] == "2026-01-31"
    assert event.payload["currency"] == "EUR"
    assert event.payload["balances"]["1000"] == "100.00"
    assert event.payload["balances"]["8000"] == "-100.00"
    assert event.payload["balances"]["4000"] == "0.00"
    closing = ClosingBalance.objects.get(period=period, account__code="1000")
    assert closing.amount == 100


def test_a_second_closing_starts_from_the_first(hood):
    _gift(hood, datetime.date(2026, 1, 10), 100)
    services.close_period(hood.cooperative, actor=hood.dave, until=JANUARY)
    _gift(hood, datetime.date(2026, 2, 10), 7)
    services.close_period(hood.cooperative, actor=hood.dave, until=datetime.date(2026, 2, 28))
    bank = account(hood.cooperative, "1000")
    assert ClosingBalance.objects.get(account=bank, period__until="2026-02-28").amount == 107
    assert balance_as_of(bank, datetime.date(2026, 2, 28)) == euros(107)


def test_it_refuses_a_period_that_has_not_ended(hood):
    with captures_events(hood.cooperative) as events:
        with pytest.raises(DomainError, match="Only a period that has ended can be closed"):
            services.close_period(hood.cooperative, actor=hood.dave, until=datetime.date.today())
    assert not PeriodClose.objects.exists()
    assert events == []


def test_it_refuses_to_close_an_earlier_date_again(hood):
    services.close_period(hood.cooperative, actor=hood.dave, until=JANUARY)
    with captures_events(hood.cooperative) as events:
        with pytest.raises(DomainError, match="The books are already closed up to 2026-01-31"):
            services.close_period(
                hood.cooperative, actor=hood.dave, until=datetime.date(2026, 1, 15)
            )
    assert PeriodClose.objects.count() == 1
    assert events == []


def test_only_the_treasurer_closes_the_books(hood):
    with captures_events(hood.cooperative) as events:
        with pytest.raises(NotAllowed, match="Only treasurer may do this"):
            services.close_period(hood.cooperative, actor=hood.carol, until=JANUARY)
    assert not PeriodClose.objects.exists()
    assert not ClosingBalance.objects.exists()
    assert events == []
