import datetime

import pytest
from django.utils import timezone

from budgets import services
from budgets.models import Agreement
from budgets.tests.conftest import end, written
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(hood, budget_vote, proposals):
    services.cast_ballot(budget_vote, actor=hood.alice, approvals=["1"])
    end(budget_vote)
    services.close_vote(budget_vote, actor=hood.carol)
    proposals[0].refresh_from_db()
    return proposals[0]


def test_the_board_writes_down_who_does_what_by_when(hood, adopted):
    due = timezone.localdate() + datetime.timedelta(days=30)
    with captures_events(hood.cooperative) as events:
        agreement = services.add_agreement(
            adopted,
            actor=hood.carol,
            what="Kookploeg regelen",
            responsible=hood.membership("bob"),
            due_on=due,
        )
    assert (agreement.proposal, agreement.due_on, agreement.done_on) == (adopted, due, None)
    assert_audit_event(
        events,
        action="budget.agreement_made",
        actor=hood.carol,
        subject=agreement,
        payload={
            "proposal": adopted.number,
            "what": "Kookploeg regelen",
            "responsible": hood.membership("bob").member_number,
            "due_on": due.isoformat(),
        },
    )


def test_bad_agreements_are_refused_and_nothing_is_written(hood, adopted, proposals):
    today = timezone.localdate()
    good = {"what": "Boodschappen", "responsible": hood.membership("bob"), "due_on": today}
    cases = [
        (adopted, {"what": ""}, "Say what is to be done"),
        (adopted, {"responsible": hood.people["bob"]}, "active member"),
        (adopted, {"due_on": today - datetime.timedelta(days=1)}, "already passed"),
        (adopted, {"due_on": "volgende week"}, "Fill in a date"),
        (proposals[2], {}, "adopted proposals only"),
    ]
    for proposal, changes, message in cases:
        before = written(hood.cooperative)
        with pytest.raises(DomainError, match=message):
            services.add_agreement(proposal, actor=hood.carol, **(good | changes))
        assert written(hood.cooperative) == before, changes


@pytest.mark.parametrize("name", ["alice", "dave", "erin", "frank", "olivia"])
def test_only_the_board_and_coordinators_make_agreements(hood, adopted, name):
    with pytest.raises(NotAllowed):
        services.add_agreement(
            adopted,
            actor=hood.people[name],
            what="x",
            responsible=hood.membership("bob"),
            due_on=timezone.localdate(),
        )
    assert not Agreement.objects.exists()
