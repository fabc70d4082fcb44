import gc
from decimal import Decimal

import pytest

from budgets import matching, services
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
from budgets.tests.statement_files import DAY
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import NotAllowed
from wijkbv.ledger.services import close_period

pytestmark = pytest.mark.django_db


def test_a_line_with_the_reference_and_amount_books_the_subscription(hood):
    bank_account(hood)
    wanted = subscription(hood)
    paying, rent = import_lines(hood, pays(wanted), other("-30.00"))
    with captures_events(hood.cooperative) as events:
        result = services.match_bank_lines(hood.cooperative, actor=hood.dave)
    assert result == {"lines": 2, "booked": 1, "suggested": 0}
    paying.refresh_from_db()
    rent.refresh_from_db()
    wanted.refresh_from_db()
    assert paying.status == BankLineStatus.BOOKED
    assert paying.booked_transaction == wanted.payment_transaction
    assert wanted.paid_on == DAY
    assert wanted.payment_transaction.booking_date == DAY
    assert (paying.suggested_kind, paying.suggested_key) == ("subscription", str(wanted.pk))
    assert paying.suggested_reason == "reference"
    assert rent.status == BankLineStatus.UNMATCHED
    assert rent.booked_transaction is None
    # The booking keeps its own service's event; the run adds one summary.
    assert [event.action for event in events] == ["shares.subscription_paid", "bank.lines_matched"]
    assert_audit_event(
        events[1:],
        action="bank.lines_matched",
        actor=hood.dave,
        subject=hood.cooperative,
        payload={
            "lines": 2,
            "booked": 1,
            "suggested": 0,
            "booked_lines": [[paying.pk, paying.booked_transaction_id]],
        },
    )


def test_a_part_payment_waits_with_its_suggestion(hood):
    bank_account(hood)
    wanted = subscription(hood)
    (paying,) = import_lines(hood, pays(wanted, "15.00"))
    result = services.match_bank_lines(hood.cooperative, actor=hood.dave)
    assert result == {"lines": 1, "booked": 0, "suggested": 1}
    paying.refresh_from_db()
    wanted.refresh_from_db()
    assert paying.status == BankLineStatus.MATCHED
    assert (paying.suggested_key, paying.suggested_confidence) == (str(wanted.pk), 0.7)
    assert wanted.paid_on is None


def test_a_line_in_a_closed_period_waits_and_nothing_is_booked(hood):
    bank_account(hood)
    wanted = subscription(hood)
    (paying,) = import_lines(hood, pays(wanted))
    close_period(hood.cooperative, actor=hood.dave, until=DAY)
    result = services.match_bank_lines(hood.cooperative, actor=hood.dave)
    assert result == {"lines": 1, "booked": 0, "suggested": 1}
    paying.refresh_from_db()
    wanted.refresh_from_db()
    assert paying.status == BankLineStatus.MATCHED
    assert wanted.paid_on is None


def test_running_twice_books_nothing_twice(hood):
    bank_account(hood)
    wanted = subscription(hood)
    import_lines(hood, pays(wanted))
    services.match_bank_lines(hood.cooperative, actor=hood.dave)
    again = services.match_bank_lines(hood.cooperative, actor=hood.dave)
    assert again == {"lines": 0, "booked": 0, "suggested": 0}
    assert AuditEvent.objects.filter(action="shares.subscription_paid").count() == 1


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "erin", "frank", "olivia"])
def test_only_the_treasurer_matches(hood, name):
    bank_account(hood)
    import_lines(hood, pays(subscription(hood)))
    before = written(hood)
    with pytest.raises(NotAllowed):
        services.match_bank_lines(hood.cooperative, actor=hood.people[name])
    assert written(hood) == before


def test_money_from_a_funders_account_is_booked_as_received_for_the_stream(hood):
    bank_account(hood)
    stream = paying_funder(hood, committed="1000")
    (paying,) = import_lines(hood, from_funder("400.00"))
    with captures_events(hood.cooperative) as events:
        result = services.match_bank_lines(hood.cooperative, actor=hood.dave)
    assert result == {"lines": 1, "booked": 1, "suggested": 0}
    paying.refresh_from_db()
    booked = paying.booked_transaction
    assert paying.status == BankLineStatus.BOOKED
    assert (paying.suggested_kind, paying.suggested_reason) == ("stream", "payer")
    assert booked.cause == f"budgets.bankline:{paying.pk}"
    assert booked.booking_date == DAY
    assert fund_balance(stream) == Decimal("400.00")
    assert [event.action for event in events] == ["budget.stream_received", "bank.lines_matched"]
    assert_audit_event(
        events[:1],
        action="budget.stream_received",
        actor=hood.dave,
        subject=booked,
        payload={
            "transaction": booked.pk,
            "booking_date": DAY.isoformat(),
            "currency": "EUR",
            "lines": [["1000", "400.00"], [stream.account.code, "-400.00"]],
            "cause": f"budgets.bankline:{paying.pk}",
            "stream": "Buurtfonds",
            "amount": "400.00",
            "line": paying.pk,
        },
    )


def test_more_than_the_stream_expects_waits_with_a_suggestion(hood):
    bank_account(hood)
    stream = paying_funder(hood, committed="1000")
    (paying,) = import_lines(hood, from_funder("1000.01"))
    before_transactions = written(hood)["transactions"]
    result = services.match_bank_lines(hood.cooperative, actor=hood.dave)
    assert result == {"lines": 1, "booked": 0, "suggested": 1}
    paying.refresh_from_db()
    assert paying.status == BankLineStatus.MATCHED
    assert (paying.suggested_kind, paying.suggested_key) == ("stream", str(stream.pk))
    assert paying.suggested_confidence == 0.6
    assert written(hood)["transactions"] == before_transactions
    assert fund_balance(stream) == 0


def test_a_stream_is_paid_in_parts_until_it_has_what_was_committed(hood):
    bank_account(hood)
    stream = paying_funder(hood, committed="1000")
    first, second, third = import_lines(
        hood, from_funder("600.00"), from_funder("400.00"), from_funder("0.01")
    )
    result = services.match_bank_lines(hood.cooperative, actor=hood.dave)
    assert result == {"lines": 3, "booked": 2, "suggested": 1}
    third.refresh_from_db()
    assert third.status == BankLineStatus.MATCHED
    assert fund_balance(stream) == Decimal("1000.00")


def test_the_cycle_collector_waits_during_a_run_and_runs_again_after_it(hood, monkeypatch):
    bank_account(hood)
    import_lines(hood, pays(subscription(hood)))
    seen, original = [], matching.match

    def match(*args, **kwargs):
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(services.matching, "match", match)
    services.match_bank_lines(hood.cooperative, actor=hood.dave)
    assert seen == [False]
    assert gc.isenabled()


def test_the_cycle_collector_runs_again_after_a_refused_run(hood):
    bank_account(hood)
    import_lines(hood, pays(subscription(hood)))
    with pytest.raises(NotAllowed):
        services.match_bank_lines(hood.cooperative, actor=hood.alice)
    assert gc.isenabled()


def test_a_cycle_collector_switched_off_before_a_run_stays_off(hood):
    bank_account(hood)
    import_lines(hood, pays(subscription(hood)))
    gc.disable()
    try:
        services.match_bank_lines(hood.cooperative, actor=hood.dave)
        assert not gc.isenabled()
    finally:
        gc.enable()
