import pytest

from budgets import services
from budgets.models import BallotRecord, Voter
from budgets.tests.conftest import end, written
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_a_coordinator_enters_a_paper_ballot_cast_at_a_place(hood, budget_vote, place):
    erin = hood.membership("erin")
    with captures_events(hood.cooperative) as events:
        receipt = services.enter_paper_ballot(
            budget_vote, actor=hood.bob, member=erin, place=place, approvals=["2", "1"]
        )
    ballot = BallotRecord.objects.get()
    assert (ballot.approvals, ballot.channel, ballot.place) == (["1", "2"], "paper", place)
    assert ballot.tracker == receipt.tracker
    voter = Voter.objects.get(vote=budget_vote, membership=erin)
    assert (voter.voted, voter.channel) == (True, "paper")
    assert_audit_event(
        events,
        action="budget.paper_ballot_entered",
        actor=hood.bob,
        subject=budget_vote,
        payload={"member_number": erin.member_number, "place": "Buurtkamer"},
    )


def test_a_member_who_voted_cannot_be_entered_again(hood, budget_vote, place):
    services.cast_ballot(budget_vote, actor=hood.alice, approvals=["1"])
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match="has already voted"):
        services.enter_paper_ballot(
            budget_vote,
            actor=hood.bob,
            member=hood.membership("alice"),
            place=place,
            approvals=["2"],
        )
    assert written(hood.cooperative) == before
    assert BallotRecord.objects.get().approvals == ["1"]


def test_bad_paper_ballots_are_refused_and_nothing_is_written(hood, budget_vote, place):
    cases = [
        ({"member": hood.membership("frank")}, "not on the list of voters"),
        ({"member": None}, "Choose a member"),
        ({"place": None}, "place where the ballot was filled in"),
        ({"approvals": ["1", "2", "3"]}, "more than the budget"),
        ({"approvals": ["7"]}, "not in this vote"),
    ]
    for changes, message in cases:
        fields = {"member": hood.membership("erin"), "place": place, "approvals": ["1"]} | changes
        before = written(hood.cooperative)
        with pytest.raises(DomainError, match=message):
            services.enter_paper_ballot(budget_vote, actor=hood.bob, **fields)
        assert written(hood.cooperative) == before, changes


def test_not_after_the_closing_time(hood, budget_vote, place):
    end(budget_vote)
    with pytest.raises(DomainError, match="has closed"):
        services.enter_paper_ballot(
            budget_vote,
            actor=hood.bob,
            member=hood.membership("erin"),
            place=place,
            approvals=["1"],
        )


@pytest.mark.parametrize("name", ["alice", "dave", "erin", "frank", "olivia"])
def test_only_coordinators_and_the_board_enter_paper_ballots(hood, budget_vote, place, name):
    with pytest.raises(NotAllowed):
        services.enter_paper_ballot(
            budget_vote,
            actor=hood.people[name],
            member=hood.membership("erin"),
            place=place,
            approvals=["1"],
        )
    assert not BallotRecord.objects.exists()
