import pytest

from budgets import services
from budgets.models import BallotRecord, Voter
from budgets.tests.conftest import written
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError

pytestmark = pytest.mark.django_db


def test_the_giver_takes_the_proxy_back_and_votes_themselves(hood, budget_vote):
    services.give_proxy(budget_vote, actor=hood.alice, to=hood.membership("bob"))
    services.cast_ballot(
        budget_vote, actor=hood.bob, approvals=["1"], for_member=hood.membership("alice")
    )
    with captures_events(hood.cooperative) as events:
        services.withdraw_proxy(budget_vote, actor=hood.alice)
    assert_audit_event(
        events,
        action="budget.proxy_withdrawn",
        actor=hood.alice,
        subject=budget_vote,
        payload={
            "from": hood.membership("alice").member_number,
            "to": hood.membership("bob").member_number,
        },
    )
    alice = Voter.objects.get(vote=budget_vote, membership=hood.membership("alice"))
    assert alice.proxy_holder is None
    # Her own ballot replaces the one bob cast for her.
    receipt = services.cast_ballot(budget_vote, actor=hood.alice, approvals=["3"])
    assert receipt.replaced
    assert list(BallotRecord.objects.values_list("channel", "approvals")) == [("online", ["3"])]


def test_nothing_to_withdraw(hood, budget_vote):
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match="have not given a proxy"):
        services.withdraw_proxy(budget_vote, actor=hood.alice)
    assert written(hood.cooperative) == before
