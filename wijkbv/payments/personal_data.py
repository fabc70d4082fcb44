"""What payments records about a person: the online payments they made (members/personal_data.py
says how this module is used). Stripe holds the card or bank details; we never see them, so
there are none here.

Payments are financial records, kept for seven years; they name the payer's account, which is
pseudonymised when the person is forgotten, so forgetting erases nothing here. A payment that
is still being processed must finish first.
"""

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.personal_data import plain
from wijkbv.payments.models import Payment, PaymentMethod, PaymentStatus

TITLE = _("Online payments")

LABELS = {
    "payments": _("Payments"),
    "reference": _("Our reference"),
    "subject": _("Paid for"),
    "description": _("Description"),
    "amount": _("Amount"),
    "currency": _("Currency"),
    "method": _("Method"),
    "status": _("Status"),
    "stripe_payment_intent_id": _("Stripe's reference"),
    "created_at": _("Made on"),
}

VALUES = {
    ("payments", "status"): dict(PaymentStatus.choices),
    ("payments", "method"): dict(PaymentMethod.choices),
}

# Payments that stand for money: the financial records the retention is about.
FINANCIAL = (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED)


def export(user) -> dict:
    payments = (
        Payment.objects.filter(payer=user)
        .select_related("cooperative")
        .order_by("created_at", "pk")
    )
    return plain(
        {
            "payments": [
                {
                    "cooperative": p.cooperative.slug,
                    "reference": str(p.reference),
                    "subject": p.subject,
                    "description": p.description,
                    "amount": p.amount.amount,
                    "currency": p.amount.currency.code,
                    "method": p.method,
                    "status": p.status,
                    "stripe_payment_intent_id": p.stripe_payment_intent_id,
                    "created_at": p.created_at,
                }
                for p in payments
            ]
        }
    )


def forget(user, *, memberships) -> None:
    """Nothing to erase: a payment is a financial record and names no one but its payer's
    account."""


def blockers(user) -> list[str]:
    processing = Payment.objects.filter(payer=user, status=PaymentStatus.PROCESSING)
    if processing.exists():
        return [gettext("A payment of yours is still being processed. Wait until it has finished.")]
    return []


def last_financial_records(user) -> dict:
    rows = (
        Payment.objects.filter(payer=user, status__in=FINANCIAL)
        .order_by()
        .values_list("cooperative")
        .annotate(last=Max("created_at"))
    )
    return {cooperative_id: timezone.localdate(last) for cooperative_id, last in rows}
