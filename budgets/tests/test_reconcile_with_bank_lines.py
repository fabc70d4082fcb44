"""The services that book a bank line of ours, called with the line itself: a return of an
advance recorded with the line that shows it (`record_advance_return(..., line=)`), and a paid
item reconciled with a line that lacks its end-to-end id or that is its whole batch."""

import pytest

from budgets import services
from budgets.models import AdvanceStatus, BankLineStatus
from budgets.tests.payment_lines import (
    batch_out,
    import_lines,
    owed_advance,
    paid_batch,
    paid_out,
    payments_written,
    returned,
)
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError

pytestmark = pytest.mark.django_db


def test_a_return_recorded_with_its_line_is_booked_on_the_lines_day_with_the_line_as_cause(
    hood, project_budget
):
    owed = owed_advance(hood, project_budget)
    (paying,) = import_lines(hood, returned(owed))
    with captures_events(hood.cooperative) as events:
        booked = services.record_advance_return(owed, actor=hood.dave, line=paying)
    owed.refresh_from_db()
    assert (owed.status, owed.returned_on) == (AdvanceStatus.SETTLED, paying.booking_date)
    assert booked.booking_date == paying.booking_date
    assert booked.cause == f"budgets.bankline:{paying.pk}"
    event = assert_audit_event(events, action="advance.returned", actor=hood.dave, subject=booked)
    assert event.payload["line"] == paying.pk
    assert event.payload["lines"] == [
        [paying.bank_account.ledger_account.code, "40.00"],
        ["1300", "-40.00"],
    ]


def _refused_return(hood, owed, line, message):
    before = payments_written(hood)
    with pytest.raises(DomainError, match=message):
        services.record_advance_return(owed, actor=hood.dave, line=line)
    assert payments_written(hood) == before


def test_a_line_of_another_amount_is_refused(hood, project_budget):
    owed = owed_advance(hood, project_budget)
    (paying,) = import_lines(hood, returned(owed, amount="39.99"))
    _refused_return(hood, owed, paying, "not the return of this advance")


def test_money_going_out_is_refused(hood, project_budget):
    owed = owed_advance(hood, project_budget)
    (paying,) = import_lines(hood, returned(owed, amount="-40.00"))
    _refused_return(hood, owed, paying, "must be money in of exactly €40.00")


def test_a_line_booked_already_is_refused(hood, project_budget):
    owed = owed_advance(hood, project_budget)
    (paying,) = import_lines(hood, returned(owed))
    paying.status = BankLineStatus.BOOKED
    _refused_return(hood, owed, paying, "already been booked")


def test_a_line_without_the_end_to_end_id_reconciles_an_item_of_its_amount(hood, project_budget):
    _batch, expense, _advance = paid_batch(hood, project_budget)
    (paying,) = import_lines(hood, paid_out(expense, end_to_end=""))
    services.reconcile_payment(expense, actor=hood.dave, line=paying)
    expense.refresh_from_db()
    assert expense.reconciled_line == paying


def test_a_line_of_the_batch_total_reconciles_each_item(hood, project_budget):
    batch, expense, advance = paid_batch(hood, project_budget)
    (paying,) = import_lines(hood, batch_out(batch))
    services.reconcile_payment(expense, actor=hood.dave, line=paying)
    services.reconcile_payment(advance, actor=hood.dave, line=paying)
    expense.refresh_from_db()
    advance.refresh_from_db()
    assert expense.reconciled_line == advance.reconciled_line == paying


def test_a_line_with_another_items_id_is_refused_even_with_the_amount(hood, project_budget):
    _batch, expense, advance = paid_batch(hood, project_budget, expense="100.00")
    (paying,) = import_lines(hood, paid_out(advance))
    before = payments_written(hood)
    with pytest.raises(DomainError, match="not the payment of this item"):
        services.reconcile_payment(expense, actor=hood.dave, line=paying)
    assert payments_written(hood) == before
