import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from reciprocity import selectors, services
from reciprocity.models import Contribution
from shares import services as share_services
from shares.models import Subscription, SubscriptionStatus
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.testing import euros

pytestmark = pytest.mark.django_db


@pytest.fixture
def earnable(hood):
    """Shares T: one for every 10 confirmed hours."""
    return share_services.create_share_class(
        hood.cooperative,
        actor=hood.carol,
        code="T",
        name="Shares earned by time",
        nominal_value=euros("10.00"),
        authorised_shares=10,
        max_per_member=2,
        hours_per_share=10,
    )


def _given(hood, activity, name, hours, *, days_back=1, kind="time", status="confirmed"):
    """Hours written directly, one row a day (the services are tested elsewhere)."""
    membership = hood.membership(name)
    Contribution.objects.bulk_create(
        Contribution(
            cooperative=hood.cooperative,
            contributor=membership,
            activity=activity,
            kind=kind,
            hours=Decimal(hours),
            amount=Decimal("5") if kind == "money" else None,
            date=timezone.localdate() - datetime.timedelta(days=days_back + day),
            status=status,
        )
        for day in range(4)
    )


def test_a_resident_with_enough_confirmed_hours_asks_for_a_share(hood, activity, earnable):
    _given(hood, activity, "alice", "3")  # 12 hours
    alice = hood.membership("alice")
    with captures_events(hood.cooperative) as events:
        subscription = services.ask_share_for_hours(alice, actor=hood.alice)
    assert subscription.share_class == earnable
    assert subscription.method == "in_kind"
    assert subscription.paid_in_hours == Decimal("10")
    assert subscription.status == SubscriptionStatus.PAID
    event = assert_audit_event(events, action="shares.subscribed_in_kind", actor=hood.alice)
    assert event.payload["hours"] == "10.00"
    assert event.payload["member_number"] == alice.member_number
    assert selectors.hours_to_spare(alice) == Decimal("2.00")


def test_hours_paid_in_are_not_spent_twice(hood, activity, earnable):
    _given(hood, activity, "alice", "3")
    services.ask_share_for_hours(hood.membership("alice"), actor=hood.alice)
    with pytest.raises(DomainError, match="2.00 of your confirmed hours") as refused:
        services.ask_share_for_hours(hood.membership("alice"), actor=hood.alice)
    assert refused.value.code == "not_enough_hours"
    assert Subscription.objects.count() == 1


def test_hours_of_a_refused_request_are_free_again(hood, activity, earnable):
    _given(hood, activity, "alice", "3")
    subscription = services.ask_share_for_hours(hood.membership("alice"), actor=hood.alice)
    share_services.refuse_subscription(subscription, actor=hood.carol, reason="Nog even niet")
    assert selectors.hours_to_spare(hood.membership("alice")) == Decimal("12.00")


def test_only_confirmed_time_counts(hood, activity, earnable):
    _given(hood, activity, "alice", "2", status="logged")
    _given(hood, activity, "alice", "2", status="declined", days_back=10)
    _given(hood, activity, "alice", "1", kind="in_kind", days_back=20)
    _given(hood, activity, "alice", "1", kind="money", days_back=30)
    _given(hood, activity, "carol", "6")
    assert selectors.hours_to_spare(hood.membership("alice")) == Decimal("0.00")
    with pytest.raises(DomainError, match="takes 10 confirmed hours"):
        services.ask_share_for_hours(hood.membership("alice"), actor=hood.alice)
    assert not Subscription.objects.exists()


def test_a_coordinator_asks_on_behalf_of_a_resident(hood, activity, earnable):
    _given(hood, activity, "alice", "3")
    with captures_events(hood.cooperative) as events:
        services.ask_share_for_hours(hood.membership("alice"), actor=hood.bob)
    assert_audit_event(
        events, action="shares.subscribed_in_kind", actor=hood.bob, on_behalf_of=hood.alice
    )


def test_another_resident_may_not_ask_for_someone(hood, activity, earnable):
    _given(hood, activity, "alice", "3")
    with pytest.raises(NotAllowed):
        services.ask_share_for_hours(hood.membership("alice"), actor=hood.dave)
    assert not Subscription.objects.exists()


def test_it_refuses_where_the_articles_do_not_allow_it(hood, activity):
    _given(hood, activity, "alice", "3")
    with pytest.raises(DomainError, match="do not allow earning a share by time") as refused:
        services.ask_share_for_hours(hood.membership("alice"), actor=hood.alice)
    assert refused.value.code == "not_earnable"
    assert not Subscription.objects.exists()
