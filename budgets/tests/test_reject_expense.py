"""An approver rejects an expense that is not paid, with a reason the claimant reads."""

import pytest

from budgets import services
from budgets.models import ExpenseStatus
from budgets.tests.expense_helpers import approved, claim, expense_written, pay
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_the_board_rejects_with_a_reason(hood, project_budget):
    expense = claim(hood, project_budget)
    with captures_events(hood.cooperative) as events:
        services.reject_expense(expense, actor=hood.carol, reason="Alcohol betalen we niet")
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.REJECTED
    assert expense.rejection_reason == "Alcohol betalen we niet"
    assert expense.decided_by == hood.membership("carol")
    assert_audit_event(
        events,
        action="expense.rejected",
        actor=hood.carol,
        subject=expense,
        payload={"number": 1, "reason": "Alcohol betalen we niet"},
    )


def test_an_approved_expense_can_still_be_rejected_before_it_is_paid(hood, project_budget):
    expense = approved(hood, claim(hood, project_budget))
    services.reject_expense(expense, actor=hood.bob, reason="Dubbel ingediend")
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.REJECTED


def _refused(hood, expense, name, message, error=DomainError, reason="Nee"):
    before = expense_written(hood.cooperative)
    with pytest.raises(error, match=message):
        services.reject_expense(expense, actor=hood.people[name], reason=reason)
    assert expense_written(hood.cooperative) == before


def test_a_reason_is_needed(hood, project_budget):
    _refused(hood, claim(hood, project_budget), "carol", "Write down why", reason="  ")


def test_a_paid_expense_is_not_rejected(hood, project_budget):
    expense = approved(hood, claim(hood, project_budget))
    pay(hood, expenses=[expense])
    _refused(hood, expense, "carol", "can no longer be rejected")


def test_the_claimant_does_not_reject_their_own_claim(hood, project_budget):
    _refused(hood, claim(hood, project_budget, by="dave"), "dave", "their own claim")


@pytest.mark.parametrize("name", ["alice", "erin", "frank", "olivia"])
def test_others_do_not_reject(hood, project_budget, name):
    _refused(hood, claim(hood, project_budget, by="dave"), name, None, error=NotAllowed)
