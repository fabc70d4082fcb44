import pytest

from shares import services
from shares.models import SubscriptionStatus
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(hood, a_class):
    return services.subscribe_to_shares(a_class, actor=hood.alice, count=1)


def test_the_subscriber_withdraws_an_unpaid_subscription(hood, subscription):
    with captures_events(hood.cooperative) as events:
        subscription = services.cancel_subscription(
            subscription, actor=hood.alice, reason="Changed my mind"
        )

    assert subscription.status == SubscriptionStatus.CANCELLED
    assert_audit_event(
        events,
        action="shares.subscription_cancelled",
        actor=hood.alice,
        subject=subscription,
        payload={
            "subscription": subscription.pk,
            "member_number": hood.membership("alice").member_number,
            "share_class": "A",
            "count": 1,
            "amount": "10.00",
            "reason": "Changed my mind",
        },
    )


def test_a_paid_subscription_is_refunded_instead(hood, subscription):
    services.record_subscription_payment(subscription, actor=hood.dave)

    with pytest.raises(DomainError, match="not been paid"):
        services.cancel_subscription(subscription, actor=hood.alice)


def test_another_resident_may_not_withdraw_it(hood, subscription):
    with pytest.raises(NotAllowed):
        services.cancel_subscription(subscription, actor=hood.erin)
