"""Votes under load, against the real PostgreSQL server: two boards closing one vote at once,
one voter voting from many browsers at once, and all voters voting together. Money is never
allocated twice, no ballot is lost or doubled, and the tally counts each voter once."""

from collections import Counter

import pytest

from budgets import services
from budgets.models import BallotRecord, Proposal, Vote, Voter
from budgets.tests.conftest import end, open_budget
from members.models import Role
from members.services import register_resident
from wijkbv.audit.chain import verify_chain
from wijkbv.audit.models import AuditEvent
from wijkbv.ledger.models import Balance, Transaction
from wijkbv.racing import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACERS = 12


def _race(work, racers=RACERS):
    return race(work, racers)


def test_two_closes_racing_decide_and_allocate_once(hood, stream, proposals, budget_vote):
    services.cast_ballot(budget_vote, actor=hood.alice, approvals=["1", "2"])
    services.cast_ballot(budget_vote, actor=hood.bob, approvals=["1"])
    end(budget_vote)
    refused, failures = _race(
        lambda _n: services.close_vote(Vote.objects.get(pk=budget_vote.pk), actor=hood.carol),
        racers=2,
    )
    assert failures == []
    assert refused == Counter({"already_closed": 1})
    assert AuditEvent.objects.filter(action="budget.vote_closed").count() == 1
    assert Transaction.objects.filter(cause=f"budgets.vote:{budget_vote.pk}").count() == 1
    adopted = Proposal.objects.filter(status="adopted")
    assert adopted.count() >= 1
    allocated = sum(p.amount for p in adopted)
    assert Balance.objects.get(pk=stream.account_id).amount == -(10000 - allocated)
    assert verify_chain(hood.cooperative).broken is None


def test_many_closes_racing(hood, stream, proposals, budget_vote):
    services.cast_ballot(budget_vote, actor=hood.alice, approvals=["3"])
    end(budget_vote)
    refused, failures = _race(
        lambda _n: services.close_vote(Vote.objects.get(pk=budget_vote.pk), actor=hood.carol)
    )
    assert failures == []
    assert refused == Counter({"already_closed": RACERS - 1})
    assert Balance.objects.get(pk=stream.account_id).amount == -6000


def test_one_voter_from_many_browsers_at_once_leaves_one_ballot(hood, budget_vote):
    choices = [["1"], ["2"], ["3"], ["1", "2"]]
    refused, failures = _race(
        lambda n: services.cast_ballot(
            Vote.objects.get(pk=budget_vote.pk), actor=hood.alice, approvals=choices[n % 4]
        )
    )
    assert (failures, refused) == ([], Counter())
    ballots = list(BallotRecord.objects.filter(vote=budget_vote))
    assert len(ballots) == 1
    assert ballots[0].approvals in choices
    assert AuditEvent.objects.filter(action="budget.ballot_cast").count() == RACERS
    assert Voter.objects.get(vote=budget_vote, membership=hood.membership("alice")).voted
    assert verify_chain(hood.cooperative).broken is None


def test_everyone_voting_together_is_counted_once_each(hood, stream, proposals):
    people = [
        register_resident(
            hood.cooperative,
            actor=None,
            full_name=f"Buur {n}",
            email=f"buur{n}@example.org",
            roles=[Role.RESIDENT],
        ).user
        for n in range(RACERS * 2)
    ]
    vote = open_budget(hood, stream, proposals, rule="greedy")
    refused, failures = _race(
        lambda n: [
            services.cast_ballot(
                Vote.objects.get(pk=vote.pk), actor=person, approvals=["1"] if n % 2 else ["2"]
            )
            for person in people[n * 2 : n * 2 + 2]
        ]
    )
    assert (failures, refused) == ([], Counter())
    assert BallotRecord.objects.filter(vote=vote).count() == RACERS * 2
    end(vote)
    services.close_vote(vote, actor=hood.carol)
    vote.refresh_from_db()
    assert vote.tally["approvals"] == {"1": RACERS, "2": RACERS, "3": 0}
    assert vote.tally["turnout"]["voted"] == RACERS * 2


def test_a_proxy_chain_cannot_form_from_two_sides_at_once(hood, budget_vote):
    """Alice gives her proxy to bob while bob gives his to carol: one of the two must be
    refused, or alice's vote would pass on to carol."""
    moves = [("alice", "bob"), ("bob", "carol")]
    for _round in range(5):
        Voter.objects.filter(vote=budget_vote).update(proxy_holder=None)
        refused, failures = _race(
            lambda n: services.give_proxy(
                Vote.objects.get(pk=budget_vote.pk),
                actor=hood.people[moves[n][0]],
                to=hood.membership(moves[n][1]),
            ),
            racers=2,
        )
        assert failures == []
        assert refused == Counter({"chain": 1})
        holders = Voter.objects.filter(vote=budget_vote, proxy_holder__isnull=False)
        assert holders.count() == 1
        assert not Voter.objects.filter(
            vote=budget_vote, proxy_holder__isnull=False, proxies_held__isnull=False
        ).exists()
