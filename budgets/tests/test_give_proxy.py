import pytest

from budgets import services
from budgets.models import BallotRecord, Voter
from budgets.tests.conftest import written
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def _voter(vote, hood, name):
    return Voter.objects.get(vote=vote, membership=hood.membership(name))


def test_a_voter_gives_their_proxy_and_the_holder_votes_for_them(hood, budget_vote):
    with captures_events(hood.cooperative) as events:
        services.give_proxy(budget_vote, actor=hood.alice, to=hood.membership("bob"))
    assert _voter(budget_vote, hood, "alice").proxy_holder == _voter(budget_vote, hood, "bob")
    assert_audit_event(
        events,
        action="budget.proxy_given",
        actor=hood.alice,
        subject=budget_vote,
        payload={
            "from": hood.membership("alice").member_number,
            "to": hood.membership("bob").member_number,
        },
    )
    services.cast_ballot(
        budget_vote, actor=hood.bob, approvals=["1"], for_member=hood.membership("alice")
    )
    services.cast_ballot(budget_vote, actor=hood.bob, approvals=["2"])
    assert sorted(BallotRecord.objects.values_list("channel", "approvals")) == [
        ("online", ["2"]),
        ("proxy", ["1"]),
    ]
    assert _voter(budget_vote, hood, "alice").channel == "proxy"


def test_the_giver_cannot_vote_while_the_proxy_stands(hood, budget_vote):
    services.give_proxy(budget_vote, actor=hood.alice, to=hood.membership("bob"))
    with pytest.raises(DomainError, match="You gave your proxy"):
        services.cast_ballot(budget_vote, actor=hood.alice, approvals=["1"])


def test_nobody_votes_with_a_proxy_they_do_not_hold(hood, budget_vote):
    before = written(hood.cooperative)
    with pytest.raises(NotAllowed, match="do not hold this member's proxy"):
        services.cast_ballot(
            budget_vote, actor=hood.bob, approvals=["1"], for_member=hood.membership("alice")
        )
    assert written(hood.cooperative) == before


def test_a_proxy_to_oneself_is_refused(hood, budget_vote):
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match="to yourself"):
        services.give_proxy(budget_vote, actor=hood.alice, to=hood.membership("alice"))
    assert written(hood.cooperative) == before


def test_a_chain_of_proxies_is_refused_both_ways(hood, budget_vote):
    services.give_proxy(budget_vote, actor=hood.alice, to=hood.membership("bob"))
    before = written(hood.cooperative)
    # A → B stands; B → C would pass A's vote on.
    with pytest.raises(DomainError, match="cannot pass your vote on"):
        services.give_proxy(budget_vote, actor=hood.bob, to=hood.membership("carol"))
    # C → A: A gave their own proxy away, so cannot hold another's.
    with pytest.raises(DomainError, match="given their own proxy away"):
        services.give_proxy(budget_vote, actor=hood.carol, to=hood.membership("alice"))
    assert written(hood.cooperative) == before
    assert _voter(budget_vote, hood, "bob").proxy_holder is None


def test_refused_proxies_write_nothing(hood, budget_vote):
    services.cast_ballot(budget_vote, actor=hood.erin, approvals=["1"])
    services.give_proxy(budget_vote, actor=hood.alice, to=hood.membership("bob"))
    services.give_proxy(budget_vote, actor=hood.dave, to=hood.membership("bob"))
    cases = [
        ("erin", hood.membership("bob"), "already voted"),
        ("alice", hood.membership("carol"), "already given your proxy"),
        ("carol", hood.membership("bob"), "already holds 2 proxies"),
        ("carol", hood.membership("frank"), "may not vote in this vote"),
        ("carol", None, "Choose a member"),
    ]
    for name, to, message in cases:
        before = written(hood.cooperative)
        with pytest.raises(DomainError, match=message):
            services.give_proxy(budget_vote, actor=hood.people[name], to=to)
        assert written(hood.cooperative) == before, name


def test_outsiders_give_no_proxy(hood, budget_vote):
    with pytest.raises(NotAllowed):
        services.give_proxy(budget_vote, actor=hood.frank, to=hood.membership("bob"))
