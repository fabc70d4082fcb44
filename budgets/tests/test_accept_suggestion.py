from decimal import Decimal

import pytest

from budgets import services
from budgets.models import BankLineStatus
from budgets.tests.bank_lines import (
    bank_account,
    from_funder,
    fund_balance,
    import_lines,
    other,
    paying_funder,
    pays,
    subscription,
    written,
)
from shares import services as share_services
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def _waiting(hood):
    """A line that pays the subscription, and one from a payer nobody knows."""
    bank_account(hood)
    wanted = subscription(hood)
    lines = import_lines(hood, pays(wanted, "20.00"), other("5.00"))
    return wanted, lines


def test_accepting_books_the_subscription_through_its_service(hood):
    wanted, (paying, _) = _waiting(hood)
    # The suggestion as matching stores it for a line it did not book itself.
    paying.suggested_kind, paying.suggested_key = "subscription", str(wanted.pk)
    paying.status = BankLineStatus.MATCHED
    paying.save(update_fields=["suggested_kind", "suggested_key", "status"])
    with captures_events(hood.cooperative) as events:
        booked = services.accept_suggestion(paying, actor=hood.dave)
    wanted.refresh_from_db()
    paying.refresh_from_db()
    assert wanted.payment_transaction == booked
    assert wanted.paid_on == paying.booking_date
    assert (paying.status, paying.booked_transaction) == (BankLineStatus.BOOKED, booked)
    assert_audit_event(events, action="shares.subscription_paid", actor=hood.dave, subject=booked)


def _refused(hood, line, message, actor=None):
    before = written(hood)
    with pytest.raises(DomainError, match=message):
        services.accept_suggestion(line, actor=actor or hood.dave)
    assert written(hood) == before


def test_a_line_without_a_suggestion_is_refused(hood):
    _, (_, unknown) = _waiting(hood)
    _refused(hood, unknown, "no suggestion to accept")


def test_a_line_of_the_wrong_amount_is_refused(hood):
    bank_account(hood)
    wanted = subscription(hood)
    (paying,) = import_lines(hood, pays(wanted, "15.00"))
    services.match_bank_lines(hood.cooperative, actor=hood.dave)
    paying.refresh_from_db()
    assert paying.status == BankLineStatus.MATCHED
    _refused(hood, paying, "is not what the subscription costs")


def test_a_booked_line_is_refused(hood):
    _, (paying, _) = _waiting(hood)
    services.match_bank_lines(hood.cooperative, actor=hood.dave)
    paying.refresh_from_db()
    assert paying.status == BankLineStatus.BOOKED
    _refused(hood, paying, "already been booked")


def test_a_subscription_paid_meanwhile_is_refused(hood):
    bank_account(hood)
    wanted = subscription(hood)
    (paying,) = import_lines(hood, pays(wanted, "15.00"))
    services.match_bank_lines(hood.cooperative, actor=hood.dave)
    share_services.record_subscription_payment(wanted, actor=hood.dave)
    paying.refresh_from_db()
    _refused(hood, paying, "no longer waiting for payment")


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "erin", "frank", "olivia"])
def test_only_the_treasurer_accepts(hood, name):
    bank_account(hood)
    wanted = subscription(hood)
    (paying,) = import_lines(hood, pays(wanted, "15.00"))
    services.match_bank_lines(hood.cooperative, actor=hood.dave)
    paying.refresh_from_db()
    before = written(hood)
    with pytest.raises(NotAllowed):
        services.accept_suggestion(paying, actor=hood.people[name])
    assert written(hood) == before


def test_accepting_a_stream_books_money_received_for_it_even_above_what_it_expects(hood):
    bank_account(hood)
    stream = paying_funder(hood, committed="1000")
    (paying,) = import_lines(hood, from_funder("1200.00"))
    services.match_bank_lines(hood.cooperative, actor=hood.dave)
    with captures_events(hood.cooperative) as events:
        booked = services.accept_suggestion(paying, actor=hood.dave)
    paying.refresh_from_db()
    assert (paying.status, paying.booked_transaction) == (BankLineStatus.BOOKED, booked)
    assert booked.cause == f"budgets.bankline:{paying.pk}"
    assert fund_balance(stream) == Decimal("1200.00")
    event = assert_audit_event(
        events, action="budget.stream_received", actor=hood.dave, subject=booked
    )
    assert (event.payload["stream"], event.payload["line"]) == ("Buurtfonds", paying.pk)


def test_a_stream_suggestion_for_money_going_out_is_refused(hood):
    bank_account(hood)
    stream = paying_funder(hood)
    (paying,) = import_lines(hood, from_funder("-50.00"))
    paying.suggested_kind, paying.suggested_key = "stream", str(stream.pk)
    paying.status = BankLineStatus.MATCHED
    paying.save(update_fields=["suggested_kind", "suggested_key", "status"])
    _refused(hood, paying, "Only money coming in")
