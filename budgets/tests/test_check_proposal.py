import pytest

from budgets import services
from budgets.tests.conftest import eligible, open_budget, written
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def _submitted(hood, stream, amount="1000", theme="care"):
    return services.submit_proposal(
        hood.cooperative,
        actor=hood.alice,
        title="Buurtmaaltijd",
        description="Samen eten.",
        amount=amount,
        theme=theme,
        stream=stream,
    )


def test_the_board_finds_a_proposal_eligible(hood, stream):
    proposal = _submitted(hood, stream)
    with captures_events(hood.cooperative) as events:
        services.check_proposal(proposal, actor=hood.carol, eligible=True)
    proposal.refresh_from_db()
    assert proposal.status == "eligible"
    assert_audit_event(
        events,
        action="budget.proposal_checked",
        actor=hood.carol,
        subject=proposal,
        payload={"number": proposal.number, "eligible": True},
    )


def test_a_refusal_carries_its_reason_and_can_be_reconsidered(hood, stream):
    proposal = _submitted(hood, stream)
    services.check_proposal(
        proposal, actor=hood.carol, eligible=False, reason="Dit doet de gemeente al."
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.refusal_reason) == ("refused", "Dit doet de gemeente al.")
    services.check_proposal(proposal, actor=hood.carol, eligible=True)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.refusal_reason) == ("eligible", "")


def test_a_proposal_outside_the_earmark_cannot_be_eligible(hood, stream):
    proposal = _submitted(hood, stream, theme="youth")
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match="may only be spent on care and well-being, green"):
        services.check_proposal(proposal, actor=hood.carol, eligible=True)
    assert written(hood.cooperative) == before
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_more_than_the_stream_has_left_is_not_eligible(hood, stream):
    proposal = _submitted(hood, stream, amount="10000.01")
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match="has €10,000.00 left, and this proposal asks"):
        services.check_proposal(proposal, actor=hood.carol, eligible=True)
    assert written(hood.cooperative) == before


def test_money_promised_to_a_running_vote_is_not_left(hood, stream, proposals):
    open_budget(hood, stream, proposals, budget="7000")
    proposal = _submitted(hood, stream, amount="3000.01")
    with pytest.raises(DomainError, match="has €3,000.00 left"):
        services.check_proposal(proposal, actor=hood.carol, eligible=True)


def test_the_reserve_has_nothing_until_a_year_is_closed(hood):
    proposal = _submitted(hood, None, amount="10")
    with pytest.raises(DomainError, match="reinvestment reserve has €0.00 left"):
        services.check_proposal(proposal, actor=hood.carol, eligible=True)


def test_refusing_needs_a_reason(hood, stream):
    proposal = _submitted(hood, stream)
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match="Write down why"):
        services.check_proposal(proposal, actor=hood.carol, eligible=False, reason=" ")
    assert written(hood.cooperative) == before


def test_checked_once(hood, stream):
    proposal = eligible(hood, stream, "Buurtmaaltijd", "100")
    with pytest.raises(DomainError, match="already been checked"):
        services.check_proposal(proposal, actor=hood.carol, eligible=False, reason="Toch niet")


@pytest.mark.parametrize("name", ["alice", "bob", "dave", "erin", "frank", "olivia"])
def test_only_the_board_checks(hood, stream, name):
    proposal = _submitted(hood, stream)
    with pytest.raises(NotAllowed):
        services.check_proposal(proposal, actor=hood.people[name], eligible=True)
