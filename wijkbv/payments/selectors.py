"""Reading payments for their pages."""

from wijkbv.payments.models import Payment


def payment_of(user, pk: int) -> Payment | None:
    """The payment if `user` is its payer; None otherwise (as if it did not exist)."""
    return Payment.objects.select_related("cooperative").filter(pk=pk, payer=user).first()
