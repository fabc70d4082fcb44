"""A bank line that is a booking made already: the treasurer recorded a resident's return of an
advance by hand, and the bank line showing the money arrives later. The line is linked to that
booking; nothing new is booked, and the reconciliation has nothing open for either."""

import pytest

from budgets import selectors, services
from budgets.closing.reconciliation import reconcile
from budgets.models import BankLineStatus
from budgets.tests.payment_lines import (
    bank_account,
    import_lines,
    payments_written,
    recorded_return,
    returned,
)
from budgets.tests.statement_files import line
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.lines import credit, debit
from wijkbv.ledger.models import Account, Transaction
from wijkbv.ledger.services import post_transaction, reverse_transaction
from wijkbv.ledger.testing import euros
from wijkbv.testing import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(hood, project_budget):
    return recorded_return(hood, project_budget)


def test_the_line_of_a_return_recorded_by_hand_is_linked_to_its_booking(hood, recorded):
    owed, booking = recorded
    (arrived,) = import_lines(hood, returned(owed))
    assert selectors.bookings_for_line(arrived) == [booking]
    bookings = Transaction.objects.count()

    with captures_events(hood.cooperative) as events:
        linked = services.link_bank_line(arrived, actor=hood.dave, booking=booking)

    assert linked == booking
    arrived.refresh_from_db()
    assert (arrived.status, arrived.booked_transaction) == (BankLineStatus.BOOKED, booking)
    assert Transaction.objects.count() == bookings
    event = assert_audit_event(events, action="bank.line_linked", actor=hood.dave, subject=arrived)
    assert event.payload == {
        "line": arrived.pk,
        "transaction": booking.pk,
        "amount": "40.00",
        "currency": "EUR",
        "booking_date": today().isoformat(),
    }
    report = reconcile(bank_account(hood), today())
    assert not [item for item in report.items if item.transaction == booking.pk]
    assert not report.lines_not_booked
    assert selectors.bookings_for_line(arrived) == []


def _refused(hood, line, booking, message, error=DomainError, actor="dave"):
    before = payments_written(hood)
    with pytest.raises(error, match=message or None):
        services.link_bank_line(line, actor=hood.people[actor], booking=booking)
    assert payments_written(hood) == before


def test_a_booking_of_another_amount_is_refused(hood, recorded):
    owed, booking = recorded
    (arrived,) = import_lines(hood, returned(owed, amount="39.99"))
    assert selectors.bookings_for_line(arrived) == []
    _refused(hood, arrived, booking, "does not move €39.99 on this bank account")


def test_money_going_out_is_not_a_return_coming_in(hood, recorded):
    owed, booking = recorded
    (arrived,) = import_lines(hood, returned(owed, amount="-40.00"))
    _refused(hood, arrived, booking, "does not move -€40.00 on this bank account")


def test_a_booking_with_a_line_already_is_refused(hood, recorded):
    owed, booking = recorded
    first, second = import_lines(hood, returned(owed), returned(owed, remittance="Nog eens"))
    services.link_bank_line(first, actor=hood.dave, booking=booking)
    assert selectors.bookings_for_line(second) == []
    _refused(hood, second, booking, f"already the bank line of {today().isoformat()}")


def test_a_line_booked_already_is_refused(hood, recorded):
    owed, booking = recorded
    (arrived,) = import_lines(hood, returned(owed))
    services.link_bank_line(arrived, actor=hood.dave, booking=booking)
    _refused(hood, arrived, booking, "already been booked")


def test_a_reversed_booking_and_its_reversal_are_refused(hood):
    bank = bank_account(hood)
    gifts = Account.objects.get(cooperative=hood.cooperative, code="8000")
    booking = post_transaction(
        hood.cooperative,
        actor=hood.dave,
        booking_date=today(),
        description="Gift contant gestort",
        lines=[debit(bank.ledger_account, euros("25")), credit(gifts, euros("25"))],
    )
    reversal = reverse_transaction(booking, actor=hood.dave, reason="Dubbel")
    (arrived,) = import_lines(hood, line("25.00", on=today()))
    assert selectors.bookings_for_line(arrived) == []
    _refused(hood, arrived, booking, "has been reversed, or reverses another")
    _refused(hood, arrived, reversal, "has been reversed, or reverses another")


def test_a_booking_of_another_cooperative_or_no_booking_is_refused(hood, recorded):
    owed, _booking = recorded
    (arrived,) = import_lines(hood, returned(owed))
    elsewhere = Transaction.objects.filter(cooperative=hood.other).first()
    if elsewhere is None:
        gifts = Account.objects.get(cooperative=hood.other, code="8000")
        bank = Account.objects.get(cooperative=hood.other, code="1000")
        elsewhere = post_transaction(
            hood.other,
            actor=None,
            booking_date=today(),
            description="Elders",
            lines=[debit(bank, euros("40")), credit(gifts, euros("40"))],
        )
    _refused(hood, arrived, elsewhere, "Choose a booking of this cooperative.")
    _refused(hood, arrived, "12", "Choose a booking of this cooperative.")


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "erin", "frank", "olivia"])
def test_only_the_treasurer_links_a_line(hood, recorded, name):
    owed, booking = recorded
    (arrived,) = import_lines(hood, returned(owed))
    _refused(hood, arrived, booking, "", error=NotAllowed, actor=name)
