import pytest

from shares import services
from shares.models import SubscriptionStatus
from shares.tests.conftest import give_shares
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError
from wijkbv.ledger.selectors import balance
from wijkbv.ledger.testing import account, euros, ledger_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def refused(hood, a_class):
    subscription = services.subscribe_to_shares(a_class, actor=hood.alice, count=2)
    services.record_subscription_payment(subscription, actor=hood.dave)
    return services.refuse_subscription(subscription, actor=hood.carol, reason="Not a resident")


def test_the_treasurer_pays_a_refused_subscription_back(hood, refused):
    with captures_events(hood.cooperative) as events:
        subscription = services.refund_subscription_payment(
            refused, actor=hood.dave, reason="Refused by the board"
        )

    assert subscription.status == SubscriptionStatus.REFUNDED
    assert balance(account(hood.cooperative, "1000")) == euros("0.00")
    assert balance(account(hood.cooperative, "3000")) == euros("0.00")
    assert_audit_event(
        events,
        action="ledger.reversed",
        actor=hood.dave,
        payload={
            "transaction": events[0].payload["transaction"],
            "booking_date": events[0].payload["booking_date"],
            "currency": "EUR",
            "lines": [["1000", "-20.00"], ["3000", "20.00"]],
            "cause": f"shares.subscription:{subscription.pk}",
            "reverses": subscription.payment_transaction.pk,
            "reason": "Refused by the board",
        },
    )


def test_the_system_refunds_a_stripe_payment(hood, a_class):
    subscription = services.subscribe_to_shares(a_class, actor=hood.alice, count=1)
    services.confirm_stripe_subscription_payment(
        subscription, amount=euros("10.00"), payment_reference="pi_1"
    )

    subscription = services.refund_subscription_payment(subscription, reason="Charge disputed")

    assert subscription.status == SubscriptionStatus.REFUNDED
    assert balance(account(hood.cooperative, "1100")) == euros("0.00")


def test_it_refuses_to_refund_twice(hood, refused):
    services.refund_subscription_payment(refused, actor=hood.dave, reason="Refused")
    before = ledger_rows(hood.cooperative)

    with pytest.raises(DomainError, match="no payment to refund"):
        services.refund_subscription_payment(refused, actor=hood.dave, reason="Again")

    assert ledger_rows(hood.cooperative) == before


def test_it_refuses_to_refund_issued_shares(hood, a_class):
    lot = give_shares(hood, a_class, "alice", 1)

    with pytest.raises(DomainError, match="buy them back"):
        services.refund_subscription_payment(lot.subscription, actor=hood.dave, reason="x")
