"""Two different people approve an expense: the treasurer, a board member or the project's
lead; never the claimant, never who entered it, never the same person twice; and never more
than the project's budget has left."""

import pytest

from budgets import services
from budgets.expenses import selectors as expense_selectors
from budgets.models import ExpenseStatus
from budgets.tests.expense_helpers import approved, claim, expense_written, invoice
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_the_first_approval_waits_for_a_second(hood, project_budget):
    expense = claim(hood, project_budget)
    with captures_events(hood.cooperative) as events:
        services.approve_expense(expense, actor=hood.dave)
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.SUBMITTED
    assert expense.first_approver == hood.membership("dave")
    assert_audit_event(
        events,
        action="expense.approved",
        actor=hood.dave,
        subject=expense,
        payload={
            "number": 1,
            "approval": 1,
            "approved": False,
            "budget": project_budget.code,
            "amount": "45.50",
        },
    )


def test_the_second_approval_by_another_person_approves_it(hood, project_budget):
    expense = claim(hood, project_budget)
    services.approve_expense(expense, actor=hood.dave)
    with captures_events(hood.cooperative) as events:
        services.approve_expense(expense, actor=hood.carol)
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.APPROVED
    assert expense.second_approver == hood.membership("carol")
    assert expense.approved_at is not None
    event = assert_audit_event(events, action="expense.approved", actor=hood.carol)
    assert (event.payload["approval"], event.payload["approved"]) == (2, True)


def test_the_projects_lead_approves_too(hood, project_budget):
    expense = claim(hood, project_budget)
    services.approve_expense(expense, actor=hood.bob)
    services.approve_expense(expense, actor=hood.dave)
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.APPROVED


def _refused(hood, expense, name, message, error=DomainError):
    before = expense_written(hood.cooperative)
    with pytest.raises(error, match=message):
        services.approve_expense(expense, actor=hood.people[name])
    assert expense_written(hood.cooperative) == before


def test_approving_twice_is_refused(hood, project_budget):
    expense = claim(hood, project_budget)
    services.approve_expense(expense, actor=hood.dave)
    _refused(hood, expense, "dave", "approving twice does not count")


def test_approving_your_own_claim_is_refused(hood, project_budget):
    expense = claim(hood, project_budget, by="dave")
    _refused(hood, expense, "dave", "Nobody approves their own claim")


def test_the_lead_does_not_approve_their_own_claim(hood, project_budget):
    expense = claim(hood, project_budget, by="bob")
    _refused(hood, expense, "bob", "Nobody approves their own claim")


def test_who_entered_an_invoice_does_not_approve_it(hood, project_budget):
    expense = invoice(hood, project_budget, by="carol")
    _refused(hood, expense, "carol", "You entered this yourself")


@pytest.mark.parametrize("name", ["alice", "erin", "frank", "olivia"])
def test_others_do_not_approve(hood, project_budget, name):
    expense = claim(hood, project_budget, by="dave")
    _refused(hood, expense, name, None, error=NotAllowed)


def test_an_approved_expense_is_not_approved_again(hood, project_budget):
    expense = approved(hood, claim(hood, project_budget))
    _refused(hood, expense, "bob", "not waiting for approval")


def test_a_rejected_expense_is_not_approved(hood, project_budget):
    expense = claim(hood, project_budget)
    services.reject_expense(expense, actor=hood.carol, reason="Geen bon van deze winkel")
    _refused(hood, expense, "dave", "not waiting for approval")


def test_more_than_the_budget_has_left_is_refused(hood, project_budget):
    big = approved(hood, invoice(hood, project_budget, amount="2900"), first="carol", second="bob")
    assert big.status == ExpenseStatus.APPROVED
    expense = claim(hood, project_budget, amount="100.01")
    _refused(hood, expense, "dave", "not enough money left in the budget of Buurtmaaltijd")


def test_what_is_left_after_approvals_can_be_approved(hood, project_budget):
    approved(hood, invoice(hood, project_budget, amount="2900"), first="carol", second="bob")
    expense = approved(hood, claim(hood, project_budget, amount="100"))
    assert expense.status == ExpenseStatus.APPROVED
    assert expense_selectors.budget_left(project_budget) == 0
