from decimal import Decimal

import pytest

from members import services as member_services
from shares import services
from shares.models import Subscription, SubscriptionStatus
from shares.references import subscription_number
from shares.tests.conftest import give_shares
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_a_resident_asks_for_shares(hood, a_class):
    with captures_events(hood.cooperative) as events:
        subscription = services.subscribe_to_shares(a_class, actor=hood.alice, count=3)

    assert subscription.status == SubscriptionStatus.AWAITING_PAYMENT
    assert subscription.amount == Decimal("30.00")
    assert subscription_number(subscription.payment_reference) == subscription.pk
    assert_audit_event(
        events,
        action="shares.subscribed",
        actor=hood.alice,
        subject=subscription,
        payload={
            "subscription": subscription.pk,
            "member_number": hood.membership("alice").member_number,
            "share_class": "A",
            "count": 3,
            "amount": "30.00",
            "method": "bank",
            "payment_reference": subscription.payment_reference,
        },
    )


def test_a_coordinator_asks_on_behalf_of_a_resident(hood, a_class):
    with captures_events(hood.cooperative) as events:
        subscription = services.subscribe_to_shares(
            a_class, actor=hood.bob, membership=hood.membership("alice"), count=1
        )

    assert subscription.membership == hood.membership("alice")
    assert events[0].on_behalf_of == f"member:{hood.membership('alice').member_number}"


def test_a_resident_may_not_ask_for_someone_else(hood, a_class):
    with pytest.raises(NotAllowed):
        services.subscribe_to_shares(
            a_class, actor=hood.alice, membership=hood.membership("erin"), count=1
        )

    assert not Subscription.objects.exists()


@pytest.mark.parametrize("count", [Decimal("1.5"), 2.5, 0, -1, "", None, True, "abc"])
def test_it_refuses_a_count_that_is_not_a_whole_positive_number(hood, a_class, count):
    before = AuditEvent.objects.count()

    with pytest.raises(DomainError, match="whole number of shares"):
        services.subscribe_to_shares(a_class, actor=hood.alice, count=count)

    assert not Subscription.objects.exists()
    assert AuditEvent.objects.count() == before


def test_it_refuses_an_absurd_count(hood, a_class):
    with pytest.raises(DomainError, match="more shares than the cooperative could ever issue"):
        services.subscribe_to_shares(a_class, actor=hood.alice, count=10**12)

    assert not Subscription.objects.exists()


def test_it_refuses_more_than_the_class_cap(hood, a_class):
    services.subscribe_to_shares(a_class, actor=hood.alice, count=4)

    with pytest.raises(DomainError, match="at most 5 shares A; with this you would have 6"):
        services.subscribe_to_shares(a_class, actor=hood.alice, count=2)

    assert Subscription.objects.count() == 1


def test_the_cap_counts_shares_already_held(hood, a_class):
    give_shares(hood, a_class, "alice", 5)

    with pytest.raises(DomainError, match="at most 5"):
        services.subscribe_to_shares(a_class, actor=hood.alice, count=1)


def test_it_refuses_more_than_the_articles_allow_per_member(hood, a_class, b_class):
    member_services.update_cooperative(
        hood.cooperative,
        actor=hood.carol,
        name=hood.cooperative.name,
        kvk_number=hood.cooperative.kvk_number,
        area_postcodes=hood.cooperative.area_postcodes,
        voting_mode=hood.cooperative.voting_mode,
        max_shares_per_member=6,
        max_votes_per_member=None,
        social_value_hourly_rate=Decimal("0"),
        reinvestment_rule="",
    )
    services.subscribe_to_shares(a_class, actor=hood.alice, count=5)

    with pytest.raises(DomainError, match="at most 6 shares per member"):
        services.subscribe_to_shares(b_class, actor=hood.alice, count=2)


def test_it_refuses_more_than_are_still_available(hood, b_class):
    services.subscribe_to_shares(b_class, actor=hood.alice, count=15)

    with pytest.raises(DomainError, match="Only 5 shares B are still available"):
        services.subscribe_to_shares(b_class, actor=hood.erin, count=6)

    assert Subscription.objects.count() == 1


def test_a_member_of_another_cooperative_may_not_subscribe(hood, a_class):
    with pytest.raises(NotAllowed):
        services.subscribe_to_shares(a_class, actor=hood.olivia, count=1)

    assert not Subscription.objects.exists()
