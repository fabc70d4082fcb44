"""Where a payment stands, as Stripe reports it, and which changes of status go forward."""

from django.utils.translation import gettext as _

from wijkbv.errors import DomainError
from wijkbv.payments import stripe_api
from wijkbv.payments.models import Payment, PaymentStatus

# How far along a status is; a payment never moves to a lower rank. A failed payment can be
# tried again, so "failed" and "processing" may follow each other.
RANK = {
    PaymentStatus.CREATED: 0,
    PaymentStatus.FAILED: 1,
    PaymentStatus.PROCESSING: 1,
    PaymentStatus.SUCCEEDED: 2,
    PaymentStatus.REFUNDED: 3,
}


def reported_status(payment: Payment, intent) -> str:
    """Our status for the PaymentIntent as Stripe reports it."""
    expected = (stripe_api.minor_units(payment.amount), payment.amount.currency.code.lower())
    if (intent.amount, intent.currency) != expected:
        raise DomainError(
            _("Stripe reports another amount for this payment than was asked."),
            code="amount_differs",
        )
    if intent.status == "succeeded":
        charge = intent.latest_charge
        refunded = getattr(charge, "amount_refunded", 0) if charge is not None else 0
        return PaymentStatus.REFUNDED if refunded >= intent.amount else PaymentStatus.SUCCEEDED
    if intent.status == "processing":
        return PaymentStatus.PROCESSING
    if intent.status == "canceled" or getattr(intent, "last_payment_error", None):
        return PaymentStatus.FAILED
    return PaymentStatus.CREATED


def moves_forward(current: str, target: str) -> bool:
    return target != current and RANK[target] >= RANK[current]
