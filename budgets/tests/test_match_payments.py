"""match_bank_lines books, for a sure reason only, lines of our own payments (an expense, an
advance, a whole batch), of advances returned and of Stripe payouts, each through the service
of what it pays; lines that must not match them are left alone."""

import datetime

import pytest

from budgets import services
from budgets.models import AdvanceStatus, BankLineStatus, ExpenseStatus
from budgets.tests.payment_lines import (
    batch_out,
    import_lines,
    owed_advance,
    paid_batch,
    paid_out,
    payments_written,
    payout_in,
    returned,
    stripe_payouts,
)
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.testing import today

pytestmark = pytest.mark.django_db


def _match(hood):
    with captures_events(hood.cooperative) as events:
        result = services.match_bank_lines(hood.cooperative, actor=hood.dave)
    return result, events


def test_a_line_with_an_expenses_end_to_end_id_reconciles_it(hood, project_budget):
    batch, expense, _advance = paid_batch(hood, project_budget)
    (paying,) = import_lines(hood, paid_out(expense))
    result, events = _match(hood)
    assert result == {"lines": 1, "booked": 1, "suggested": 0}
    expense.refresh_from_db()
    paying.refresh_from_db()
    assert (expense.status, expense.reconciled_line) == (ExpenseStatus.RECONCILED, paying)
    assert paying.status == BankLineStatus.BOOKED
    assert paying.booked_transaction == batch.transaction
    assert (paying.suggested_kind, paying.suggested_reason) == ("expense", "end_to_end")
    assert [event.action for event in events] == ["payment.reconciled", "bank.lines_matched"]
    assert_audit_event(
        events[:1],
        action="payment.reconciled",
        actor=hood.dave,
        subject=expense,
        payload={"end_to_end_id": expense.end_to_end_id, "line": paying.pk, "batch": 1},
    )
    assert_audit_event(
        events[1:],
        action="bank.lines_matched",
        actor=hood.dave,
        subject=hood.cooperative,
        payload={
            "lines": 1,
            "booked": 1,
            "suggested": 0,
            "booked_lines": [[paying.pk, batch.transaction_id]],
        },
    )


def test_a_line_with_an_advances_end_to_end_id_reconciles_it(hood, project_budget):
    batch, _expense, advance = paid_batch(hood, project_budget)
    (paying,) = import_lines(hood, paid_out(advance))
    result, events = _match(hood)
    assert result["booked"] == 1
    advance.refresh_from_db()
    paying.refresh_from_db()
    assert advance.reconciled_line == paying
    assert advance.status == AdvanceStatus.PAID
    assert paying.booked_transaction == batch.transaction
    assert_audit_event(events[:1], action="payment.reconciled", actor=hood.dave, subject=advance)


def test_a_batch_booked_as_one_line_reconciles_each_of_its_items(hood, project_budget):
    batch, expense, advance = paid_batch(hood, project_budget)
    (paying,) = import_lines(hood, batch_out(batch))
    result, events = _match(hood)
    assert result == {"lines": 1, "booked": 1, "suggested": 0}
    expense.refresh_from_db()
    advance.refresh_from_db()
    paying.refresh_from_db()
    assert expense.reconciled_line == advance.reconciled_line == paying
    assert (paying.status, paying.booked_transaction) == (BankLineStatus.BOOKED, batch.transaction)
    assert (paying.suggested_kind, paying.suggested_reason) == ("batch", "reference")
    # One decision per item found on the statement, then the run's summary.
    assert [event.action for event in events] == [
        "payment.reconciled",
        "payment.reconciled",
        "bank.lines_matched",
    ]
    assert_audit_event(events[:1], action="payment.reconciled", actor=hood.dave, subject=expense)
    assert_audit_event(events[1:2], action="payment.reconciled", actor=hood.dave, subject=advance)


def test_money_back_from_the_holders_account_records_the_return(hood, project_budget):
    owed = owed_advance(hood, project_budget)
    (paying,) = import_lines(hood, returned(owed))
    result, events = _match(hood)
    assert result == {"lines": 1, "booked": 1, "suggested": 0}
    owed.refresh_from_db()
    paying.refresh_from_db()
    booked = paying.booked_transaction
    assert (owed.status, owed.returned_on) == (AdvanceStatus.SETTLED, paying.booking_date)
    assert (paying.suggested_kind, paying.suggested_reason) == ("advance_return", "iban_amount")
    assert booked.cause == f"budgets.bankline:{paying.pk}"
    assert [event.action for event in events] == ["advance.returned", "bank.lines_matched"]
    assert_audit_event(
        events[:1],
        action="advance.returned",
        actor=hood.dave,
        subject=booked,
        payload={
            "transaction": booked.pk,
            "booking_date": today().isoformat(),
            "currency": "EUR",
            "lines": [["1000", "40.00"], ["1300", "-40.00"]],
            "cause": f"budgets.bankline:{paying.pk}",
            "number": owed.number,
            "returned": "40.00",
            "line": paying.pk,
        },
    )


def test_the_advances_payment_number_in_the_description_records_the_return(hood, project_budget):
    owed = owed_advance(hood, project_budget)
    (paying,) = import_lines(
        hood, returned(owed, iban="NL20INGB0001234567", remittance=f"terug {owed.end_to_end_id}")
    )
    result, _events = _match(hood)
    assert result["booked"] == 1
    owed.refresh_from_db()
    paying.refresh_from_db()
    assert owed.status == AdvanceStatus.SETTLED
    assert paying.suggested_reason == "reference"


def test_a_payout_named_in_the_description_arrives(hood, settings, monkeypatch):
    (payout,) = stripe_payouts(hood, settings, monkeypatch, ("po_1Abc", 12000, hood.cooperative))
    (paying,) = import_lines(hood, payout_in(payout))
    result, events = _match(hood)
    assert result == {"lines": 1, "booked": 1, "suggested": 0}
    payout.refresh_from_db()
    paying.refresh_from_db()
    assert payout.arrival_transaction == paying.booked_transaction
    assert payout.arrived_on == paying.booking_date
    assert paying.booked_transaction.cause == f"budgets.bankline:{paying.pk}"
    assert (paying.suggested_kind, paying.suggested_reason) == ("payout", "reference")
    event = assert_audit_event(
        events[:1],
        action="stripe.payout_arrived",
        actor=hood.dave,
        subject=paying.booked_transaction,
    )
    assert (event.payload["stripe_payout"], event.payload["line"]) == ("po_1Abc", paying.pk)
    assert event.payload["lines"] == [["1000", "120.00"], ["1200", "-120.00"]]


def test_a_payout_from_stripe_near_its_day_arrives_without_its_id(hood, settings, monkeypatch):
    (payout,) = stripe_payouts(hood, settings, monkeypatch, ("po_2Def", 8050, hood.cooperative))
    (paying,) = import_lines(hood, payout_in(payout, remittance="Uitbetaling"))
    result, _events = _match(hood)
    assert result["booked"] == 1
    payout.refresh_from_db()
    assert payout.has_arrived
    paying.refresh_from_db()
    assert paying.suggested_reason == "amount_date"


def test_another_amount_with_the_end_to_end_id_waits(hood, project_budget):
    _batch, expense, _advance = paid_batch(hood, project_budget)
    (paying,) = import_lines(hood, paid_out(expense, amount=expense.amount - 1))
    before = payments_written(hood)
    result, events = _match(hood)
    assert result == {"lines": 1, "booked": 0, "suggested": 1}
    paying.refresh_from_db()
    assert (paying.suggested_key, paying.suggested_confidence) == (str(expense.pk), 0.7)
    after = payments_written(hood)
    for kept in ("expenses", "reconciled", "transactions", "postings"):
        assert after[kept] == before[kept]
    assert [event.action for event in events] == ["bank.lines_matched"]


def test_an_expense_found_already_is_not_matched_again(hood, project_budget):
    _batch, expense, _advance = paid_batch(hood, project_budget)
    (first,) = import_lines(hood, paid_out(expense))
    services.match_bank_lines(hood.cooperative, actor=hood.dave)
    # The bank shows the payment again, on a statement of its own.
    (again,) = import_lines(hood, paid_out(expense, remittance="Betaling herhaald"))
    result, events = _match(hood)
    assert result == {"lines": 1, "booked": 0, "suggested": 0}
    again.refresh_from_db()
    expense.refresh_from_db()
    assert again.status == BankLineStatus.UNMATCHED
    assert expense.reconciled_line == first
    assert [event.action for event in events] == ["bank.lines_matched"]


def test_a_batch_line_waits_when_one_item_was_found_on_its_own(hood, project_budget):
    batch, expense, advance = paid_batch(hood, project_budget)
    import_lines(hood, paid_out(expense))
    services.match_bank_lines(hood.cooperative, actor=hood.dave)
    (whole,) = import_lines(hood, batch_out(batch))
    result, _events = _match(hood)
    assert result["booked"] == 0
    whole.refresh_from_db()
    advance.refresh_from_db()
    assert whole.status != BankLineStatus.BOOKED
    assert advance.reconciled_line is None


def test_a_return_of_another_amount_is_not_booked(hood, project_budget):
    owed = owed_advance(hood, project_budget)
    (paying,) = import_lines(hood, returned(owed, amount="30.00"))
    result, _events = _match(hood)
    assert result["booked"] == 0
    owed.refresh_from_db()
    paying.refresh_from_db()
    assert owed.status == AdvanceStatus.OWED
    assert paying.status != BankLineStatus.BOOKED


def test_another_cooperatives_payout_is_not_matched(hood, settings, monkeypatch):
    (elsewhere,) = stripe_payouts(hood, settings, monkeypatch, ("po_3Ghi", 12000, hood.other))
    (paying,) = import_lines(hood, payout_in(elsewhere))
    result, _events = _match(hood)
    assert result == {"lines": 1, "booked": 0, "suggested": 0}
    paying.refresh_from_db()
    elsewhere.refresh_from_db()
    assert paying.status == BankLineStatus.UNMATCHED
    assert not elsewhere.has_arrived


def test_a_payout_in_a_closed_period_waits(hood, settings, monkeypatch):
    from wijkbv.ledger.services import close_period

    (payout,) = stripe_payouts(hood, settings, monkeypatch, ("po_4Jkl", 12000, hood.cooperative))
    yesterday = today() - datetime.timedelta(days=1)
    (paying,) = import_lines(hood, payout_in(payout, on=yesterday))
    close_period(hood.cooperative, actor=hood.dave, until=yesterday)
    result, _events = _match(hood)
    assert result == {"lines": 1, "booked": 0, "suggested": 1}
    payout.refresh_from_db()
    assert not payout.has_arrived


def test_two_lines_of_one_payout_book_it_once(hood, settings, monkeypatch):
    (payout,) = stripe_payouts(hood, settings, monkeypatch, ("po_5Mno", 12000, hood.cooperative))
    first, second = import_lines(
        hood, payout_in(payout, remittance="Stripe"), payout_in(payout, remittance="Stripe")
    )
    result, _events = _match(hood)
    assert result == {"lines": 2, "booked": 1, "suggested": 1}
    assert AuditEvent.objects.filter(action="stripe.payout_arrived").count() == 1
