"""Two different people approve an advance, never the resident who asked, and never more than
the project's budget has left; an advance counts against the budget until it is settled."""

import pytest

from budgets import services
from budgets.models import AdvanceStatus
from budgets.tests.expense_helpers import approved, ask_advance, claim, expense_written, pay
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_two_approvals_approve_an_advance(hood, project_budget):
    advance = ask_advance(hood, project_budget)
    services.approve_advance(advance, actor=hood.dave)
    with captures_events(hood.cooperative) as events:
        services.approve_advance(advance, actor=hood.bob)
    advance.refresh_from_db()
    assert advance.status == AdvanceStatus.APPROVED
    assert (advance.first_approver, advance.second_approver) == (
        hood.membership("dave"),
        hood.membership("bob"),
    )
    assert_audit_event(
        events,
        action="advance.approved",
        actor=hood.bob,
        subject=advance,
        payload={
            "number": 1,
            "approval": 2,
            "approved": True,
            "budget": project_budget.code,
            "amount": "100.00",
        },
    )


def _refused(hood, advance, name, message, error=DomainError):
    before = expense_written(hood.cooperative)
    with pytest.raises(error, match=message):
        services.approve_advance(advance, actor=hood.people[name])
    assert expense_written(hood.cooperative) == before


def test_approving_twice_is_refused(hood, project_budget):
    advance = ask_advance(hood, project_budget)
    services.approve_advance(advance, actor=hood.carol)
    _refused(hood, advance, "carol", "approving twice")


def test_approving_your_own_advance_is_refused(hood, project_budget):
    _refused(
        hood, ask_advance(hood, project_budget, by="dave"), "dave", "their own claim or advance"
    )


@pytest.mark.parametrize("name", ["alice", "erin", "olivia"])
def test_others_do_not_approve(hood, project_budget, name):
    _refused(hood, ask_advance(hood, project_budget, by="dave"), name, None, error=NotAllowed)


def test_a_paid_advance_still_counts_against_the_budget(hood, project_budget):
    pay(hood, advances=[approved(hood, ask_advance(hood, project_budget, amount="2950"))])
    expense = claim(hood, project_budget, amount="50.01")
    before = expense_written(hood.cooperative)
    with pytest.raises(DomainError, match="not enough money left"):
        services.approve_expense(expense, actor=hood.dave)
    assert expense_written(hood.cooperative) == before


def test_more_than_the_budget_has_left_is_refused(hood, project_budget):
    _refused(
        hood, ask_advance(hood, project_budget, amount="3000.01"), "dave", "not enough money left"
    )
