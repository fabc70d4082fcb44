"""Reading payments for their pages."""

from django.conf import settings

from wijkbv.payments.models import Payment, PaymentStatus


def payment_of(user, pk: int) -> Payment | None:
    """The payment if `user` is its payer; None otherwise (as if it did not exist)."""
    return Payment.objects.select_related("cooperative").filter(pk=pk, payer=user).first()


def open_payment_for(user, subject: str) -> Payment | None:
    """The payer's latest payment for `subject` that still waits for them: offered again rather
    than starting a second one."""
    return (
        Payment.objects.filter(
            payer=user, subject=subject, status__in=(PaymentStatus.CREATED, PaymentStatus.FAILED)
        )
        .order_by("-pk")
        .first()
    )


def online_payments_enabled() -> bool:
    """Whether this site takes payments through Stripe: both of its keys are configured."""
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)
