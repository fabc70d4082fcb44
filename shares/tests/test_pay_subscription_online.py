import pytest

from shares import services
from shares.payments import subject_of
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.payments.models import Payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(hood, a_class):
    return services.subscribe_to_shares(a_class, actor=hood.alice, count=2, method="stripe")


def test_the_subscriber_starts_an_online_payment(hood, subscription, stripe_server):
    with captures_events(hood.cooperative) as events:
        payment = services.pay_subscription_online(subscription, actor=hood.alice)

    assert payment.subject == subject_of(subscription)
    assert payment.amount.amount == subscription.amount
    assert_audit_event(events, action="payment.started", actor=hood.alice, subject=payment)


def test_a_payment_still_waiting_is_offered_again(hood, subscription, stripe_server):
    first = services.pay_subscription_online(subscription, actor=hood.alice)

    with captures_events(hood.cooperative) as events:
        again = services.pay_subscription_online(subscription, actor=hood.alice)

    assert again == first
    assert events == []


def test_only_the_subscriber_pays_online(hood, subscription, stripe_server):
    with pytest.raises(NotAllowed):
        services.pay_subscription_online(subscription, actor=hood.carol)

    assert not Payment.objects.exists()


def test_a_paid_subscription_is_not_paid_online(hood, subscription, stripe_server):
    services.record_subscription_payment(subscription, actor=hood.dave)
    events = AuditEvent.objects.count()

    with pytest.raises(DomainError, match="cannot be paid online"):
        services.pay_subscription_online(subscription, actor=hood.alice)

    assert not Payment.objects.exists()
    assert AuditEvent.objects.count() == events


def test_without_stripe_keys_it_says_to_pay_by_bank(hood, subscription, settings):
    settings.STRIPE_SECRET_KEY = ""

    with pytest.raises(DomainError, match="bank transfer"):
        services.pay_subscription_online(subscription, actor=hood.alice)

    assert not Payment.objects.exists()
