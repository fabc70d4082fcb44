"""Reading payments for their pages, and the Stripe balance for the treasurer and the bank
matching."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from moneyed import Money

from wijkbv.ledger.models import cents
from wijkbv.payments.models import (
    PAYOUT_RETURNED,
    BalanceFetch,
    Payment,
    PaymentStatus,
    Payout,
    StripeFee,
)

# Months of fees and arrived or returned payouts the treasurer's page shows.
MONTHS_SHOWN = 24
PAYOUTS_SHOWN = 50


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


@dataclass(frozen=True)
class PayoutInTransit:
    """A payout booked as Money in transit that no bank line has shown arriving yet: what the
    bank matching compares a line with (amount, expected date, Stripe's id in the remittance)."""

    pk: int
    amount: Money
    arrival_date: datetime.date
    stripe_id: str


def payouts_in_transit(cooperative) -> list[PayoutInTransit]:
    """The cooperative's payouts on their way to the bank, oldest expected first: one query."""
    rows = (
        Payout.objects.filter(cooperative=cooperative, arrival_transaction__isnull=True)
        .exclude(status__in=PAYOUT_RETURNED)
        .filter(reversal__isnull=True)
        .order_by("arrival_date", "pk")
        .values_list("pk", "amount", "amount_currency", "arrival_date", "stripe_id")
    )
    return [
        PayoutInTransit(pk, Money(cents(amount), currency), arrival_date, stripe_id)
        for pk, amount, currency, arrival_date, stripe_id in rows
    ]


@dataclass(frozen=True)
class FeesOfMonth:
    month: datetime.date  # its first day
    count: int
    total: Money


def fees_per_month(cooperative, *, months: int = MONTHS_SHOWN) -> list[FeesOfMonth]:
    """Stripe's fees as booked, per month of booking, newest first: one query."""
    rows = (
        StripeFee.objects.filter(cooperative=cooperative)
        .annotate(month=TruncMonth("transaction__booking_date"))
        .values("month", "fee_currency")
        .annotate(count=Count("pk"), total=Sum("fee"))
        .order_by("-month", "fee_currency")[:months]
    )
    return [
        FeesOfMonth(
            _first_day(row["month"]), row["count"], Money(cents(row["total"]), row["fee_currency"])
        )
        for row in rows
    ]


def arrived_payouts(cooperative, *, limit: int = PAYOUTS_SHOWN):
    """The payouts the bank has shown arriving, newest first."""
    return list(
        Payout.objects.filter(cooperative=cooperative, arrival_transaction__isnull=False).order_by(
            "-arrived_on", "-pk"
        )[:limit]
    )


def returned_payouts(cooperative, *, limit: int = PAYOUTS_SHOWN):
    """Booked payouts Stripe reported failed or cancelled, newest first."""
    return list(
        Payout.objects.filter(cooperative=cooperative, reversal__isnull=False).order_by(
            "-created_at", "-pk"
        )[:limit]
    )


def last_fetch(cooperative) -> BalanceFetch | None:
    return (
        BalanceFetch.objects.filter(cooperative=cooperative).order_by("-fetched_at", "-pk").first()
    )


def _first_day(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    return value.replace(day=1)
