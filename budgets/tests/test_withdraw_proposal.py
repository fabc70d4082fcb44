import pytest

from budgets import services
from budgets.tests.conftest import eligible, open_budget, written
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_the_proposer_withdraws_their_proposal(hood, stream):
    proposal = eligible(hood, stream, "Buurtmaaltijd", "500")
    with captures_events(hood.cooperative) as events:
        services.withdraw_proposal(proposal, actor=hood.alice)
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    assert_audit_event(
        events,
        action="budget.proposal_withdrawn",
        actor=hood.alice,
        subject=proposal,
        payload={"number": proposal.number},
    )


def test_the_board_may_withdraw_it_too(hood, stream):
    proposal = eligible(hood, stream, "Buurtmaaltijd", "500")
    services.withdraw_proposal(proposal, actor=hood.carol)
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"


def test_someone_else_may_not(hood, stream):
    proposal = eligible(hood, stream, "Buurtmaaltijd", "500")
    before = written(hood.cooperative)
    with pytest.raises(NotAllowed):
        services.withdraw_proposal(proposal, actor=hood.bob)
    assert written(hood.cooperative) == before


def test_a_proposal_in_a_vote_stays(hood, stream, proposals):
    open_budget(hood, stream, proposals)
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match="can no longer be withdrawn"):
        services.withdraw_proposal(proposals[0], actor=hood.alice)
    assert written(hood.cooperative) == before
