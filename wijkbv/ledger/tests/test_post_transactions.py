"""Many bookings at once: each as post_transaction books it, with its own event, in order; a
refusal of one refuses them all."""

import datetime

import pytest

from wijkbv.audit.chain import verify_chain
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.references import actor_reference
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger import services
from wijkbv.ledger.checking import find_problems
from wijkbv.ledger.lines import credit, debit
from wijkbv.ledger.models import AccountType, Purpose
from wijkbv.ledger.selectors import balance
from wijkbv.ledger.services import Booking
from wijkbv.ledger.testing import account, euros, ledger_rows

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 14)


@pytest.fixture
def books(hood):
    coop = hood.cooperative
    return {"bank": account(coop, "1000"), "gifts": account(coop, "8000")}


def _gift(books, amount, day=TODAY):
    return Booking(
        booking_date=day,
        description="Gift from the bakery",
        lines=[debit(books["bank"], euros(amount)), credit(books["gifts"], euros(amount))],
    )


def _nothing_written(hood, before):
    assert (ledger_rows(hood.cooperative), AuditEvent.objects.count()) == before


def test_it_books_each_with_its_own_event_in_order(hood, books):
    with captures_events(hood.cooperative) as events:
        booked = services.post_transactions(
            hood.cooperative, actor=hood.dave, bookings=[_gift(books, 10), _gift(books, 15)]
        )

    assert [event.subject for event in events] == [
        f"ledger.transaction:{each.pk}" for each in booked
    ]
    assert_audit_event(
        events[1:],
        action="ledger.posted",
        actor=hood.dave,
        subject=booked[1],
        payload={
            "transaction": booked[1].pk,
            "booking_date": "2026-03-14",
            "currency": "EUR",
            "lines": [["1000", "15.00"], ["8000", "-15.00"]],
            "cause": "",
        },
    )
    assert balance(books["bank"]) == euros(25)
    assert verify_chain(hood.cooperative).broken is None
    assert find_problems(hood.cooperative).problems == []


def test_it_refuses_them_all_when_one_does_not_balance(hood, books):
    before = ledger_rows(hood.cooperative), AuditEvent.objects.count()
    lopsided = Booking(
        booking_date=TODAY,
        description="Gift",
        lines=[debit(books["bank"], euros(10)), credit(books["gifts"], euros(9))],
    )

    with pytest.raises(DomainError, match="The booking does not balance"):
        services.post_transactions(
            hood.cooperative, actor=hood.dave, bookings=[_gift(books, 10), lopsided]
        )

    _nothing_written(hood, before)


def test_it_refuses_them_all_when_one_is_in_a_closed_period(hood, books):
    services.close_period(hood.cooperative, actor=hood.dave, until=TODAY)
    before = ledger_rows(hood.cooperative), AuditEvent.objects.count()
    later = TODAY + datetime.timedelta(days=1)

    with pytest.raises(DomainError, match="The books are closed up to 2026-03-14"):
        services.post_transactions(
            hood.cooperative,
            actor=hood.dave,
            bookings=[_gift(books, 10, later), _gift(books, 5)],
        )

    _nothing_written(hood, before)


def test_it_refuses_the_booking_that_overdraws_a_project_budget_in_its_turn(hood, books):
    project = services.open_account(
        hood.cooperative,
        actor=hood.dave,
        code="2101",
        name="Buurtmoestuin",
        type=AccountType.LIABILITY,
        purpose=Purpose.PROJECT_BUDGET,
    )
    funds = account(hood.cooperative, "2000")
    services.post_transaction(
        hood.cooperative,
        actor=hood.dave,
        booking_date=TODAY,
        description="Allocated",
        lines=[debit(funds, euros(100)), credit(project, euros(100))],
    )
    before = ledger_rows(hood.cooperative), AuditEvent.objects.count()

    def spend(amount):
        return Booking(
            booking_date=TODAY,
            description="Seeds",
            lines=[debit(project, euros(amount)), credit(books["bank"], euros(amount))],
        )

    # Spent first and given back after, the budget would end above zero; in its turn the
    # second spending overdraws it.
    refill = Booking(
        booking_date=TODAY,
        description="Returned",
        lines=[debit(books["bank"], euros(50)), credit(project, euros(50))],
    )
    with pytest.raises(DomainError, match="There is not enough money left in the budget"):
        services.post_transactions(
            hood.cooperative, actor=hood.dave, bookings=[spend(60), spend(60), refill]
        )

    _nothing_written(hood, before)


def test_only_the_treasurer_and_the_board_book(hood, books):
    before = ledger_rows(hood.cooperative), AuditEvent.objects.count()

    with pytest.raises(NotAllowed):
        services.post_transactions(hood.cooperative, actor=hood.alice, bookings=[_gift(books, 10)])

    _nothing_written(hood, before)


def test_a_programming_error_met_while_the_rows_are_written_writes_nothing(hood, books):
    # On PostgreSQL the rows stream to the database as they are made: a refusal met halfway
    # (details that would replace the booking's own, a payload that cannot be hashed) stops
    # the stream, and nothing of the run stays.
    before = ledger_rows(hood.cooperative), AuditEvent.objects.count()
    clashing = Booking(
        booking_date=TODAY,
        description="Gift",
        lines=[debit(books["bank"], euros(5)), credit(books["gifts"], euros(5))],
        details={"transaction": 1},
    )
    unhashable = Booking(
        booking_date=TODAY,
        description="Gift",
        lines=[debit(books["bank"], euros(5)), credit(books["gifts"], euros(5))],
        details={"rate": 0.5},
    )

    with pytest.raises(ValueError, match="details may not replace"):
        services.post_transactions(
            hood.cooperative, actor=hood.dave, bookings=[_gift(books, 10), clashing]
        )
    with pytest.raises(TypeError, match="payload.rate is a float"):
        services.post_transactions(
            hood.cooperative, actor=hood.dave, bookings=[_gift(books, 10), unhashable]
        )

    _nothing_written(hood, before)
    assert verify_chain(hood.cooperative).broken is None


def test_each_event_names_whom_its_booking_was_made_for(hood, books):
    for_alice = Booking(
        booking_date=TODAY,
        description="Paid back to Alice",
        lines=[debit(books["gifts"], euros(3)), credit(books["bank"], euros(3))],
        on_behalf_of=hood.alice,
    )

    with captures_events(hood.cooperative) as events:
        services.post_transactions(
            hood.cooperative, actor=hood.dave, bookings=[_gift(books, 10), for_alice]
        )

    coop = hood.cooperative
    assert [event.on_behalf_of for event in events] == ["", actor_reference(hood.alice, coop)]
    assert [event.actor for event in events] == [actor_reference(hood.dave, coop)] * 2
    assert verify_chain(hood.cooperative).broken is None
