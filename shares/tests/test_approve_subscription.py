import datetime

import pytest

from shares import services
from shares.models import Subscription, SubscriptionStatus
from shares.tests.conftest import DEED
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(hood, a_class):
    return services.subscribe_to_shares(a_class, actor=hood.alice, count=2)


def test_a_board_member_approves_with_the_notarial_deed(hood, subscription):
    with captures_events(hood.cooperative) as events:
        subscription = services.approve_subscription(subscription, actor=hood.carol, **DEED)

    assert subscription.status == SubscriptionStatus.APPROVED
    assert subscription.approved_by == hood.carol
    assert subscription.notary == "Mr. J. de Notaris"
    assert_audit_event(
        events,
        action="shares.subscription_approved",
        actor=hood.carol,
        subject=subscription,
        payload={
            "subscription": subscription.pk,
            "member_number": hood.membership("alice").member_number,
            "share_class": "A",
            "count": 2,
            "amount": "20.00",
            "deed_date": "2026-01-15",
            "notary": "Mr. J. de Notaris",
        },
    )


def test_a_board_member_may_not_approve_their_own_subscription(hood, a_class):
    own = services.subscribe_to_shares(a_class, actor=hood.carol, count=1)
    before = AuditEvent.objects.count()

    with pytest.raises(NotAllowed, match="cannot approve your own subscription"):
        services.approve_subscription(own, actor=hood.carol, **DEED)

    own.refresh_from_db()
    assert own.status == SubscriptionStatus.AWAITING_PAYMENT
    assert AuditEvent.objects.count() == before


def test_only_the_board_approves(hood, subscription):
    with pytest.raises(NotAllowed):
        services.approve_subscription(subscription, actor=hood.dave, **DEED)


@pytest.mark.parametrize(
    ("deed", "message"),
    [
        ({"deed_date": datetime.date(2026, 1, 1), "notary": " "}, "notary"),
        ({"deed_date": None, "notary": "N"}, "date of the notarial deed"),
    ],
)
def test_it_needs_the_deed(hood, subscription, deed, message):
    with pytest.raises(DomainError, match=message):
        services.approve_subscription(subscription, actor=hood.carol, **deed)

    assert Subscription.objects.get().status == SubscriptionStatus.AWAITING_PAYMENT


def test_it_refuses_to_approve_twice(hood, subscription):
    services.approve_subscription(subscription, actor=hood.carol, **DEED)

    with pytest.raises(DomainError, match="cannot be approved"):
        services.approve_subscription(subscription, actor=hood.carol, **DEED)
