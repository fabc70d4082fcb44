import datetime

import pytest

from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger import services
from wijkbv.ledger.lines import credit, debit
from wijkbv.ledger.models import AccountType, Purpose, Transaction
from wijkbv.ledger.selectors import balance
from wijkbv.ledger.testing import account, euros, ledger_rows

DAY = datetime.date(2026, 3, 14)


@pytest.fixture
def gift(hood):
    return services.post_transaction(
        hood.cooperative,
        actor=hood.dave,
        booking_date=DAY,
        description="Gift from the bakery",
        lines=[
            debit(account(hood.cooperative, "1000"), euros(25)),
            credit(account(hood.cooperative, "8000"), euros(25)),
        ],
    )


def _refused(hood, gift, message, error=DomainError, **values):
    values.setdefault("actor", hood.dave)
    values.setdefault("reason", "booked twice")
    before = ledger_rows(hood.cooperative)
    with captures_events(hood.cooperative) as events:
        with pytest.raises(error, match=message):
            services.reverse_transaction(gift, **values)
    assert ledger_rows(hood.cooperative) == before
    assert events == []
    assert balance(account(hood.cooperative, "1000")) == euros(25)


def test_it_books_the_exact_opposite_and_records_it(hood, gift):
    with captures_events(hood.cooperative) as events:
        reversal = services.reverse_transaction(
            gift, actor=hood.dave, booking_date=DAY, reason="booked twice"
        )
    assert_audit_event(
        events,
        action="ledger.reversed",
        actor=hood.dave,
        subject=reversal,
        payload={
            "transaction": reversal.pk,
            "booking_date": "2026-03-14",
            "currency": "EUR",
            "lines": [["1000", "-25.00"], ["8000", "25.00"]],
            "cause": "",
            "reverses": gift.pk,
            "reason": "booked twice",
        },
    )
    assert reversal.reverses == gift
    assert Transaction.objects.get(pk=reversal.pk).description == "Reversal: Gift from the bakery"
    assert balance(account(hood.cooperative, "1000")) == euros(0)
    assert balance(account(hood.cooperative, "8000")) == euros(0)


def test_it_leaves_the_original_as_it_was(hood, gift):
    services.reverse_transaction(gift, actor=hood.dave, reason="booked twice")
    assert [p.amount for p in gift.postings.order_by("pk")] == [25, -25]


def test_it_books_today_when_no_date_is_given(hood, gift):
    reversal = services.reverse_transaction(gift, actor=hood.dave, reason="booked twice")
    assert reversal.booking_date == datetime.date.today()


def test_it_refuses_to_reverse_twice(hood, gift):
    services.reverse_transaction(gift, actor=hood.dave, reason="booked twice")
    before = ledger_rows(hood.cooperative)
    with captures_events(hood.cooperative) as events:
        with pytest.raises(DomainError, match="This booking has already been reversed"):
            services.reverse_transaction(gift, actor=hood.dave, reason="again")
    assert ledger_rows(hood.cooperative) == before
    assert events == []


def test_it_refuses_without_a_reason(hood, gift):
    _refused(hood, gift, "Give a reason for the reversal", reason=" ")


def test_it_refuses_a_date_before_the_original(hood, gift):
    _refused(
        hood,
        gift,
        "A reversal cannot be booked before the booking it reverses",
        booking_date=DAY - datetime.timedelta(days=1),
    )


def test_it_refuses_a_date_in_a_closed_period(hood, gift):
    services.close_period(hood.cooperative, actor=hood.dave, until=DAY)
    _refused(hood, gift, "The books are closed up to 2026-03-14", booking_date=DAY)


def test_only_the_treasurer_or_the_board_may_reverse(hood, gift):
    _refused(hood, gift, "Only treasurer or board member may do this", NotAllowed, actor=hood.bob)


def test_it_refuses_a_reversal_that_would_overdraw_a_project_budget(hood):
    coop = hood.cooperative
    project = services.open_account(
        coop,
        actor=hood.dave,
        code="2101",
        name="Buurtmoestuin",
        type=AccountType.LIABILITY,
        purpose=Purpose.PROJECT_BUDGET,
    )
    allocation = services.post_transaction(
        coop,
        actor=hood.dave,
        booking_date=DAY,
        description="Allocation",
        lines=[debit(account(coop, "2000"), euros(50)), credit(project, euros(50))],
    )
    services.post_transaction(
        coop,
        actor=hood.dave,
        booking_date=DAY,
        description="Seeds",
        lines=[debit(project, euros(30)), credit(account(coop, "1000"), euros(30))],
    )
    before = ledger_rows(coop)
    with captures_events(coop) as events:
        with pytest.raises(DomainError, match="not enough money left in the budget Buurtmoestuin"):
            services.reverse_transaction(allocation, actor=hood.dave, reason="wrong project")
    assert ledger_rows(coop) == before
    assert events == []
    assert balance(project) == euros(-20)
