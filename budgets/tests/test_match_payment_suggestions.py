"""Lines that may be our own payment, an advance returned or a Stripe payout, but not surely,
wait with a suggestion; the treasurer accepts it (accept_suggestion) and the line is booked
through the service of what it pays, or refused with the reason and nothing written."""

import pytest

from budgets import services
from budgets.models import AdvanceStatus, BankLine, BankLineStatus, ExpenseStatus
from budgets.tests.payment_lines import (
    ALICE_IBAN,
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
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError

pytestmark = pytest.mark.django_db


def _waits(hood, line, kind, reason):
    """Matching leaves `line` waiting with a suggestion of `kind` for `reason`."""
    before = payments_written(hood)
    result = services.match_bank_lines(hood.cooperative, actor=hood.dave)
    assert result["booked"] == 0
    line.refresh_from_db()
    assert line.status == BankLineStatus.MATCHED
    assert (line.suggested_kind, line.suggested_reason) == (kind, reason)
    after = payments_written(hood)
    for kept in ("expenses", "reconciled", "payouts", "transactions", "postings"):
        assert after[kept] == before[kept]
    return line


def _accept(hood, line):
    with captures_events(hood.cooperative) as events:
        booked = services.accept_suggestion(line, actor=hood.dave)
    line.refresh_from_db()
    assert (line.status, line.booked_transaction) == (BankLineStatus.BOOKED, booked)
    return booked, events


def test_an_expense_paid_to_its_account_without_the_id_waits_and_is_accepted(hood, project_budget):
    batch, expense, _advance = paid_batch(hood, project_budget)
    (paying,) = import_lines(hood, paid_out(expense, end_to_end=""))
    _waits(hood, paying, "expense", "iban_amount")
    assert paying.suggested_key == str(expense.pk)
    booked, events = _accept(hood, paying)
    expense.refresh_from_db()
    assert booked == batch.transaction
    assert (expense.status, expense.reconciled_line) == (ExpenseStatus.RECONCILED, paying)
    assert_audit_event(
        events,
        action="payment.reconciled",
        actor=hood.dave,
        subject=expense,
        payload={"end_to_end_id": expense.end_to_end_id, "line": paying.pk, "batch": 1},
    )


def test_an_advance_of_the_exact_amount_near_the_batch_date_waits_and_is_accepted(
    hood, project_budget
):
    batch, _expense, advance = paid_batch(hood, project_budget)
    (paying,) = import_lines(hood, paid_out(advance, end_to_end="", iban=""))
    _waits(hood, paying, "advance", "amount_date")
    booked, events = _accept(hood, paying)
    advance.refresh_from_db()
    assert booked == batch.transaction
    assert advance.reconciled_line == paying
    assert_audit_event(events, action="payment.reconciled", actor=hood.dave, subject=advance)


def test_a_batch_total_without_its_message_id_waits_and_is_accepted(hood, project_budget):
    batch, expense, advance = paid_batch(hood, project_budget)
    (paying,) = import_lines(hood, batch_out(batch, remittance="Verzamelbetaling"))
    _waits(hood, paying, "batch", "amount_date")
    booked, events = _accept(hood, paying)
    expense.refresh_from_db()
    advance.refresh_from_db()
    assert booked == batch.transaction
    assert expense.reconciled_line == advance.reconciled_line == paying
    assert_audit_event(events[:1], action="payment.reconciled", actor=hood.dave, subject=expense)
    assert_audit_event(events[1:], action="payment.reconciled", actor=hood.dave, subject=advance)


def test_a_return_from_another_account_waits_and_is_accepted(hood, project_budget):
    owed = owed_advance(hood, project_budget)
    (paying,) = import_lines(hood, returned(owed, iban="NL20INGB0001234567"))
    _waits(hood, paying, "advance_return", "amount_date")
    booked, events = _accept(hood, paying)
    owed.refresh_from_db()
    assert (owed.status, owed.returned_on) == (AdvanceStatus.SETTLED, paying.booking_date)
    assert booked.cause == f"budgets.bankline:{paying.pk}"
    event = assert_audit_event(events, action="advance.returned", actor=hood.dave, subject=booked)
    assert (event.payload["returned"], event.payload["line"]) == ("40.00", paying.pk)


def test_a_payout_amount_near_its_day_waits_and_is_accepted(hood, settings, monkeypatch):
    (payout,) = stripe_payouts(hood, settings, monkeypatch, ("po_6Pqr", 4020, hood.cooperative))
    (paying,) = import_lines(hood, payout_in(payout, name="Betaaldienst", remittance="Uitbetaling"))
    _waits(hood, paying, "payout", "amount_date")
    booked, events = _accept(hood, paying)
    payout.refresh_from_db()
    assert payout.arrival_transaction == booked
    assert booked.cause == f"budgets.bankline:{paying.pk}"
    event = assert_audit_event(
        events, action="stripe.payout_arrived", actor=hood.dave, subject=booked
    )
    assert (event.payload["stripe_payout"], event.payload["line"]) == ("po_6Pqr", paying.pk)


def _refused(hood, line, message):
    before = payments_written(hood)
    with pytest.raises(DomainError, match=message):
        services.accept_suggestion(line, actor=hood.dave)
    assert payments_written(hood) == before


def test_an_expense_found_meanwhile_is_refused(hood, project_budget):
    _batch, expense, _advance = paid_batch(hood, project_budget)
    exact, waiting = import_lines(
        hood, paid_out(expense, remittance="Met nummer"), paid_out(expense, end_to_end="")
    )
    services.match_bank_lines(hood.cooperative, actor=hood.dave)
    exact.refresh_from_db()
    waiting.refresh_from_db()
    assert exact.status == BankLineStatus.BOOKED
    assert waiting.status == BankLineStatus.MATCHED
    _refused(hood, waiting, "already been found on the bank statement")


def test_another_amount_for_an_expense_is_refused(hood, project_budget):
    _batch, expense, _advance = paid_batch(hood, project_budget)
    (paying,) = import_lines(hood, paid_out(expense, amount=expense.amount - 1))
    _waits(hood, paying, "expense", "end_to_end")
    _refused(hood, paying, "is not the payment of this item")


def test_another_amount_for_a_return_is_refused(hood, project_budget):
    owed = owed_advance(hood, project_budget)
    (paying,) = import_lines(hood, returned(owed, amount="30.00", iban=ALICE_IBAN))
    BankLine.objects.filter(pk=paying.pk).update(
        status=BankLineStatus.MATCHED, suggested_kind="advance_return", suggested_key=str(owed.pk)
    )
    paying.refresh_from_db()
    _refused(hood, paying, "must be money in of exactly €40.00")


def test_another_amount_for_a_payout_is_refused(hood, settings, monkeypatch):
    (payout,) = stripe_payouts(hood, settings, monkeypatch, ("po_7Stu", 12000, hood.cooperative))
    (paying,) = import_lines(hood, payout_in(payout, amount="119.00"))
    _waits(hood, paying, "payout", "reference")
    _refused(hood, paying, "but the bank shows 119.00")


def test_another_cooperatives_payout_is_refused(hood, settings, monkeypatch):
    (elsewhere,) = stripe_payouts(hood, settings, monkeypatch, ("po_8Vwx", 12000, hood.other))
    (paying,) = import_lines(hood, payout_in(elsewhere))
    BankLine.objects.filter(pk=paying.pk).update(
        status=BankLineStatus.MATCHED, suggested_kind="payout", suggested_key=str(elsewhere.pk)
    )
    paying.refresh_from_db()
    _refused(hood, paying, "no longer exists")


def test_a_payment_suggestion_with_a_key_that_is_no_number_is_refused(hood, project_budget):
    _batch, expense, _advance = paid_batch(hood, project_budget)
    (paying,) = import_lines(hood, paid_out(expense))
    BankLine.objects.filter(pk=paying.pk).update(
        status=BankLineStatus.MATCHED, suggested_kind="expense", suggested_key="x1"
    )
    paying.refresh_from_db()
    _refused(hood, paying, "no longer waiting for this bank line")
