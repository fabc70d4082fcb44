import datetime
import hashlib
import json

import pytest
from django.utils import timezone

from budgets import services
from budgets.counting import tracker_for
from budgets.models import BallotRecord, Vote, Voter
from budgets.tests.conftest import end, open_yes_no, written
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_a_voter_casts_a_budget_ballot_and_gets_a_receipt(hood, budget_vote, proposals):
    with captures_events(hood.cooperative) as events:
        receipt = services.cast_ballot(budget_vote, actor=hood.alice, approvals=proposals[:2])
    ballot = BallotRecord.objects.get()
    assert ballot.approvals == ["1", "2"]
    assert (ballot.weight, ballot.channel, ballot.choice) == (1, "online", "")
    assert ballot.tracker == receipt.tracker
    assert not receipt.replaced
    # The receipt is the hash of the ballot's published content and the nonce.
    content = json.dumps(
        {
            "approvals": ["1", "2"],
            "choice": "",
            "nonce": receipt.nonce,
            "vote": budget_vote.pk,
            "weight": 1,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    assert receipt.tracker == hashlib.sha256(content.encode()).hexdigest()
    voter = Voter.objects.get(vote=budget_vote, membership=hood.membership("alice"))
    assert (voter.voted, voter.channel) == (True, "online")
    assert_audit_event(
        events,
        action="budget.ballot_cast",
        actor=hood.alice,
        subject=budget_vote,
        payload={"member_number": hood.membership("alice").member_number, "channel": "online"},
    )


def test_the_ballot_row_says_nothing_about_its_voter(hood, budget_vote):
    fields = {field.name for field in BallotRecord._meta.get_fields()}
    assert not fields & {"voter", "membership", "member", "user", "created_at", "cast_at"}
    services.cast_ballot(budget_vote, actor=hood.alice, approvals=["3"])
    ballot = BallotRecord.objects.get()
    assert ballot.pk.version == 4  # a random id: insertion order says nothing either
    event = budget_vote.cooperative.audit_events.order_by("-seq").first()
    assert ballot.tracker not in json.dumps(event.payload)
    assert "3" not in json.dumps(event.payload).replace(str(event.payload["member_number"]), "")


def test_voting_again_replaces_the_earlier_ballot(hood, budget_vote):
    first = services.cast_ballot(budget_vote, actor=hood.alice, approvals=["1"])
    with captures_events(hood.cooperative) as events:
        second = services.cast_ballot(budget_vote, actor=hood.alice, approvals=["2", "3"])
    assert second.replaced
    assert list(BallotRecord.objects.values_list("approvals", flat=True)) == [["2", "3"]]
    assert not BallotRecord.objects.filter(tracker=first.tracker).exists()
    assert events[0].payload["replaced"] is True


def test_an_empty_ballot_counts_as_taking_part(hood, budget_vote):
    services.cast_ballot(budget_vote, actor=hood.alice, approvals=[])
    assert BallotRecord.objects.get().approvals == []


def test_a_yes_no_ballot(hood):
    vote = open_yes_no(hood)
    receipt = services.cast_ballot(vote, actor=hood.bob, choice="abstain")
    ballot = BallotRecord.objects.get()
    assert ballot.choice == "abstain"
    assert receipt.tracker == tracker_for(vote.pk, "abstain", [], 1, receipt.nonce)


@pytest.mark.parametrize(
    ("ballot", "message"),
    [
        ({"approvals": ["1", "3", "2"]}, "costs €9,500.00, more than the budget of €7,000.00"),
        ({"approvals": ["1", "9"]}, "not in this vote: 9"),
        ({"approvals": ["1", "1"]}, "each project only once"),
        ({"approvals": "1,2"}, "Choose the projects you support"),
        ({"approvals": [None]}, "Choose the projects you support"),
        ({"choice": "yes"}, "Choose the projects you support"),
    ],
)
def test_bad_ballots_are_refused_and_nothing_is_written(hood, budget_vote, ballot, message):
    services.cast_ballot(budget_vote, actor=hood.bob, approvals=["2"])
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match=message):
        services.cast_ballot(budget_vote, actor=hood.alice, **ballot)
    assert written(hood.cooperative) == before
    assert not Voter.objects.get(vote=budget_vote, membership=hood.membership("alice")).voted


def test_a_bad_ballot_leaves_the_earlier_one_in_place(hood, budget_vote):
    services.cast_ballot(budget_vote, actor=hood.alice, approvals=["1"])
    with pytest.raises(DomainError):
        services.cast_ballot(budget_vote, actor=hood.alice, approvals=["1", "2", "3"])
    assert list(BallotRecord.objects.values_list("approvals", flat=True)) == [["1"]]


@pytest.mark.parametrize("choice", ["", "ja", None])
def test_a_yes_no_vote_takes_yes_no_or_abstain(hood, choice):
    vote = open_yes_no(hood)
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match="Choose yes, no or abstain"):
        services.cast_ballot(vote, actor=hood.bob, choice=choice)
    assert written(hood.cooperative) == before


def test_not_before_it_opens(hood):
    later = timezone.now() + datetime.timedelta(days=1)
    vote = open_yes_no(hood, opens_at=later, closes_at=later + datetime.timedelta(days=7))
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match="This vote opens on"):
        services.cast_ballot(vote, actor=hood.alice, choice="yes")
    assert written(hood.cooperative) == before


def test_not_after_the_closing_time_nor_after_the_close(hood, budget_vote):
    end(budget_vote)
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match="has closed"):
        services.cast_ballot(budget_vote, actor=hood.alice, approvals=["1"])
    assert written(hood.cooperative) == before
    services.close_vote(budget_vote, actor=hood.carol)
    Vote.objects.filter(pk=budget_vote.pk).update(
        closes_at=timezone.now() + datetime.timedelta(hours=1)
    )
    with pytest.raises(DomainError, match="has closed"):
        services.cast_ballot(budget_vote, actor=hood.alice, approvals=["1"])


def test_only_the_electorate_votes(hood, budget_vote):
    before = written(hood.cooperative)
    with pytest.raises(NotAllowed, match="not on the list of voters"):
        services.cast_ballot(budget_vote, actor=hood.frank, approvals=["1"])
    with pytest.raises(NotAllowed):
        services.cast_ballot(budget_vote, actor=hood.olivia, approvals=["1"])
    assert written(hood.cooperative) == before


def test_a_member_who_joined_after_the_opening_does_not_vote(hood, budget_vote):
    from members.services import register_resident

    newcomer = register_resident(
        hood.cooperative,
        actor=None,
        full_name="Nieuw",
        email="nieuw@example.org",
        roles=["resident"],
    )
    with pytest.raises(NotAllowed, match="fixed when the vote opened"):
        services.cast_ballot(budget_vote, actor=newcomer.user, approvals=["1"])
