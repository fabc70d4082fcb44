import datetime

import pytest
from django.utils import timezone

from budgets import selectors, services
from budgets.tests.conftest import written
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.models import Account, Balance, Purpose

pytestmark = pytest.mark.django_db


def test_money_received_goes_from_the_bank_into_the_fund(hood, stream):
    bank = Account.objects.get(cooperative=hood.cooperative, purpose=Purpose.BANK)
    with captures_events(hood.cooperative) as events:
        booked = services.record_stream_receipt(
            stream, actor=hood.dave, amount="2500,50", received_on=datetime.date(2026, 3, 1)
        )
    assert Balance.objects.get(pk=bank.pk).amount == 12500.50
    assert Balance.objects.get(pk=stream.account_id).amount == -12500.50
    assert booked.booking_date == datetime.date(2026, 3, 1)
    event = assert_audit_event(
        events, action="budget.stream_received", actor=hood.dave, subject=booked
    )
    assert event.payload["stream"] == "Wijkbudget"
    assert event.payload["amount"] == "2500.50"
    assert event.payload["cause"] == f"budgets.fundingstream:{stream.pk}"
    assert event.payload["lines"] == [["1000", "2500.50"], ["2001", "-2500.50"]]
    summary = selectors.stream_summary(stream)
    assert str(summary.received.amount) == "12500.50"
    assert str(summary.left.amount) == "12500.50"


TOMORROW = object()


@pytest.mark.parametrize(
    ("amount", "received_on", "message"),
    [
        ("0", None, "Fill in an amount"),
        ("-5", None, "Fill in an amount"),
        ("1.005", None, "Fill in an amount"),
        (None, None, "Fill in an amount"),
        ("10", TOMORROW, "has not come yet"),
        ("10", "yesterday", "Fill in a date"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(hood, stream, amount, received_on, message):
    if received_on is TOMORROW:
        # Told when the test runs, not when it is collected: a run that passes midnight.
        received_on = timezone.localdate() + datetime.timedelta(days=1)
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match=message):
        services.record_stream_receipt(
            stream, actor=hood.dave, amount=amount, received_on=received_on
        )
    assert written(hood.cooperative) == before


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "erin", "frank", "olivia"])
def test_only_the_treasurer_records_money_received(hood, stream, name):
    before = written(hood.cooperative)
    with pytest.raises(NotAllowed):
        services.record_stream_receipt(stream, actor=hood.people[name], amount="10")
    assert written(hood.cooperative) == before
