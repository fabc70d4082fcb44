"""Shares take payments online: a subscription paid through Stripe (wijkbv.payments) is
confirmed, and refunded, by the shares services. Found by `PaymentsConfig.ready`."""

from shares.models import Subscription
from shares.services import confirm_stripe_subscription_payment, refund_subscription_payment
from wijkbv.payments.handlers import register

SUBJECT = "shares.subscription"


def subject_of(subscription: Subscription) -> str:
    """What a payment for `subscription` is for, as payments names it."""
    return f"{SUBJECT}:{subscription.pk}"


def _subscription(payment) -> Subscription:
    pk = int(payment.subject.partition(":")[2])
    return Subscription.objects.get(pk=pk, cooperative=payment.cooperative)


def paid(payment, *, actor) -> None:
    confirm_stripe_subscription_payment(
        _subscription(payment),
        actor=actor,
        amount=payment.amount,
        payment_reference=payment.stripe_payment_intent_id,
    )


def refunded(payment, *, actor, reason: str) -> None:
    refund_subscription_payment(_subscription(payment), actor=actor, reason=reason)


register(SUBJECT, succeeded=paid, refunded=refunded)
