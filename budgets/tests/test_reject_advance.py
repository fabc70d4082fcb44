"""An approver rejects an advance that is not paid, with a reason the resident reads."""

import pytest

from budgets import services
from budgets.models import AdvanceStatus
from budgets.tests.expense_helpers import approved, ask_advance, expense_written, pay
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_the_treasurer_rejects_with_a_reason(hood, project_budget):
    advance = ask_advance(hood, project_budget)
    with captures_events(hood.cooperative) as events:
        services.reject_advance(advance, actor=hood.dave, reason="Te veel voor één avond")
    advance.refresh_from_db()
    assert (advance.status, advance.rejection_reason) == (
        AdvanceStatus.REJECTED,
        "Te veel voor één avond",
    )
    assert_audit_event(
        events,
        action="advance.rejected",
        actor=hood.dave,
        subject=advance,
        payload={"number": 1, "reason": "Te veel voor één avond"},
    )


def test_a_paid_advance_is_not_rejected(hood, project_budget):
    advance = approved(hood, ask_advance(hood, project_budget))
    pay(hood, advances=[advance])
    before = expense_written(hood.cooperative)
    with pytest.raises(DomainError, match="can no longer be rejected"):
        services.reject_advance(advance, actor=hood.carol, reason="Nee")
    assert expense_written(hood.cooperative) == before


def test_the_holder_does_not_reject(hood, project_budget):
    advance = ask_advance(hood, project_budget, by="carol")
    with pytest.raises(DomainError, match="their own claim or advance"):
        services.reject_advance(advance, actor=hood.carol, reason="Toch niet")


def test_a_resident_does_not_reject(hood, project_budget):
    advance = ask_advance(hood, project_budget, by="dave")
    with pytest.raises(NotAllowed):
        services.reject_advance(advance, actor=hood.alice, reason="Nee")
