from decimal import Decimal

import pytest

from shares import services
from shares.models import PaymentMethod, Subscription, SubscriptionStatus
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.models import Account, Purpose
from wijkbv.ledger.testing import euros

pytestmark = pytest.mark.django_db


@pytest.fixture
def earnable(hood):
    return services.create_share_class(
        hood.cooperative,
        actor=hood.carol,
        code="T",
        name="Shares earned by time",
        nominal_value=euros("10.00"),
        authorised_shares=3,
        max_per_member=1,
        hours_per_share=40,
    )


def balance_of(cooperative, purpose):
    return Account.objects.get(cooperative=cooperative, purpose=purpose).balance.amount


def test_a_share_paid_in_hours_is_paid_at_once_and_waits_for_the_board(hood, earnable):
    with captures_events(hood.cooperative) as events:
        subscription = services.subscribe_paid_in_hours(
            earnable, actor=hood.alice, membership=hood.membership("alice"), hours=Decimal("40")
        )

    assert subscription.status == SubscriptionStatus.PAID
    assert subscription.method == PaymentMethod.IN_KIND
    assert subscription.paid_in_hours == Decimal("40")
    assert balance_of(hood.cooperative, Purpose.WORK_IN_KIND) == Decimal("10.00")
    assert balance_of(hood.cooperative, Purpose.SHARE_CAPITAL) == Decimal("-10.00")
    assert_audit_event(
        events,
        action="shares.subscribed_in_kind",
        actor=hood.alice,
        payload=events[0].payload
        | {
            "subscription": subscription.pk,
            "member_number": hood.membership("alice").member_number,
            "share_class": "T",
            "count": 1,
            "amount": "10.00",
            "method": "in_kind",
            "hours": "40.00",
            "payment_reference": subscription.payment_reference,
        },
    )


def test_a_coordinator_asks_on_behalf_of_a_resident(hood, earnable):
    with captures_events(hood.cooperative) as events:
        services.subscribe_paid_in_hours(
            earnable, actor=hood.bob, membership=hood.membership("alice"), hours=Decimal("40")
        )

    assert events[0].on_behalf_of == f"member:{hood.membership('alice').member_number}"


def test_the_approved_share_is_issued_and_the_register_shows_it_paid_up(hood, earnable):
    subscription = services.subscribe_paid_in_hours(
        earnable, actor=hood.alice, membership=hood.membership("alice"), hours=Decimal("40")
    )
    services.approve_subscription(
        subscription, actor=hood.carol, deed_date=subscription.requested_at.date(), notary="N"
    )

    lot = services.issue_shares(subscription, actor=hood.dave)

    assert lot.count == 1
    assert lot.paid_up == euros("10.00")


def test_it_refuses_a_class_the_articles_do_not_let_anyone_earn(hood, a_class):
    with pytest.raises(DomainError, match="do not allow"):
        services.subscribe_paid_in_hours(
            a_class, actor=hood.alice, membership=hood.membership("alice"), hours=Decimal("40")
        )

    assert not Subscription.objects.exists()


@pytest.mark.parametrize("hours", [Decimal("39.75"), Decimal("0"), 40, "40", None])
def test_it_refuses_any_other_number_of_hours(hood, earnable, hours):
    with pytest.raises(DomainError) as error:
        services.subscribe_paid_in_hours(
            earnable, actor=hood.alice, membership=hood.membership("alice"), hours=hours
        )

    assert error.value.field == "hours"
    assert not Subscription.objects.exists()


def test_a_resident_may_not_ask_for_someone_else(hood, earnable):
    with pytest.raises(NotAllowed):
        services.subscribe_paid_in_hours(
            earnable, actor=hood.alice, membership=hood.membership("erin"), hours=Decimal("40")
        )

    assert not Subscription.objects.exists()


def test_the_cap_holds_for_shares_earned_by_time(hood, earnable):
    services.subscribe_paid_in_hours(
        earnable, actor=hood.alice, membership=hood.membership("alice"), hours=Decimal("40")
    )

    with pytest.raises(DomainError):
        services.subscribe_paid_in_hours(
            earnable, actor=hood.alice, membership=hood.membership("alice"), hours=Decimal("40")
        )

    assert Subscription.objects.count() == 1
