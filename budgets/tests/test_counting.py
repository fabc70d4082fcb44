"""The electorate's weights agree with the shares app's own `voting_weight`, member by member."""

import pytest
from django.utils import timezone

from budgets.counting import frozen_electorate
from members.models import Membership
from shares import services as share_services
from shares.selectors import voting_weight, voting_weights
from shares.tests.conftest import give_shares
from wijkbv.ledger.testing import euros

pytestmark = pytest.mark.django_db


@pytest.fixture
def holdings(hood):
    a = share_services.create_share_class(
        hood.cooperative,
        actor=hood.carol,
        code="A",
        name="A",
        nominal_value=euros("10.00"),
        authorised_shares=100,
        votes_per_share=2,
    )
    b = share_services.create_share_class(
        hood.cooperative,
        actor=hood.carol,
        code="B",
        name="B",
        nominal_value=euros("50.00"),
        authorised_shares=100,
        votes_per_share=0,
    )
    give_shares(hood, a, "alice", 3)
    give_shares(hood, b, "bob", 4)
    give_shares(hood, a, "carol", 1)


@pytest.mark.parametrize("cap", [None, 4])
def test_many_at_once_equal_one_by_one(hood, holdings, cap):
    cooperative = hood.cooperative
    cooperative.voting_mode = "by_shares"
    cooperative.max_votes_per_member = cap
    cooperative.save()
    members = list(Membership.objects.filter(cooperative=cooperative))
    today = timezone.localdate()
    many = voting_weights(cooperative, members, at=today)
    for membership in members:
        assert many.get(membership.pk, 0) == voting_weight(membership, cooperative, at=today)
    assert many[hood.membership("alice").pk] == (6 if cap is None else 4)


def test_the_electorates(hood, holdings):
    today = timezone.localdate()

    def emails(chosen):
        return {(m.user.email.split("@")[0], w) for m, w in chosen}

    shareholders = frozen_electorate(hood.cooperative, "shareholders", "by_shares", today)
    # Bob's shares carry no votes: by shares he has no vote at all.
    assert emails(shareholders) == {("alice", 6), ("carol", 2)}
    per_member = frozen_electorate(hood.cooperative, "shareholders", "per_member", today)
    assert emails(per_member) == {("alice", 1), ("carol", 1)}
    members = frozen_electorate(hood.cooperative, "members", "per_member", today)
    assert {name for name, _w in emails(members)} == {"alice", "bob", "carol", "dave", "erin"}
    residents = frozen_electorate(hood.cooperative, "residents", "per_member", today)
    assert {name for name, _w in emails(residents)} == {"alice", "bob", "carol", "dave", "erin"}
