import pytest
from django.utils import timezone

from budgets import services
from budgets.tests.conftest import end, written
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(hood, budget_vote, proposals):
    services.cast_ballot(budget_vote, actor=hood.alice, approvals=["1"])
    end(budget_vote)
    services.close_vote(budget_vote, actor=hood.carol)
    return services.add_agreement(
        proposals[0],
        actor=hood.carol,
        what="Kookploeg regelen",
        responsible=hood.membership("alice"),
        due_on=timezone.localdate(),
    )


def test_the_person_responsible_marks_it_done(hood, agreement):
    with captures_events(hood.cooperative) as events:
        services.complete_agreement(agreement, actor=hood.alice)
    agreement.refresh_from_db()
    assert agreement.done_on == timezone.localdate()
    assert_audit_event(
        events,
        action="budget.agreement_done",
        actor=hood.alice,
        subject=agreement,
        payload={"proposal": 1, "done_on": timezone.localdate().isoformat()},
    )


def test_a_coordinator_may_too_but_once(hood, agreement):
    services.complete_agreement(agreement, actor=hood.bob)
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match="already done"):
        services.complete_agreement(agreement, actor=hood.carol)
    assert written(hood.cooperative) == before


@pytest.mark.parametrize("name", ["dave", "erin", "frank", "olivia"])
def test_others_may_not(hood, agreement, name):
    with pytest.raises(NotAllowed):
        services.complete_agreement(agreement, actor=hood.people[name])
    agreement.refresh_from_db()
    assert agreement.done_on is None
