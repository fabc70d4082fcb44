import pytest

from shares import services
from shares.models import SubscriptionStatus
from shares.selectors import share_classes
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(hood, a_class):
    return services.subscribe_to_shares(a_class, actor=hood.alice, count=2)


def test_the_board_refuses_with_a_reason_and_the_shares_are_free_again(hood, subscription):
    with captures_events(hood.cooperative) as events:
        subscription = services.refuse_subscription(
            subscription, actor=hood.carol, reason="You do not live in the area."
        )

    assert subscription.status == SubscriptionStatus.REFUSED
    assert share_classes(hood.cooperative)[0].available == 100
    payload = {
        "subscription": subscription.pk,
        "member_number": hood.membership("alice").member_number,
        "share_class": "A",
        "count": 2,
        "amount": "20.00",
        "reason": "You do not live in the area.",
    }
    assert_audit_event(
        events,
        action="shares.subscription_refused",
        actor=hood.carol,
        subject=subscription,
        payload=payload,
    )


def test_it_needs_a_reason(hood, subscription):
    with pytest.raises(DomainError, match="reason"):
        services.refuse_subscription(subscription, actor=hood.carol, reason="")

    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.AWAITING_PAYMENT


def test_only_the_board_refuses(hood, subscription):
    with pytest.raises(NotAllowed):
        services.refuse_subscription(subscription, actor=hood.bob, reason="No")
