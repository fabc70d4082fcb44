"""Payments made online, and the inbox of what Stripe told us about them.

A `Payment` is money a member pays the cooperative through Stripe for something of another app
(its `subject`, such as "shares.subscription:12"). Only the services move its status, and only
forward: created → processing or failed → succeeded → refunded (a failed payment may be tried
again). Each status follows what Stripe reports for its PaymentIntent, re-fetched before acting.

A `StripeEvent` row is written in the same database transaction as the effect of the event it
records; its unique id makes a delivered-again event a no-op.

What Stripe does with the money afterwards is read from its balance transactions and payouts
(`fetch_stripe_balance`): each `StripeFee` and `Payout` is booked once, by its unique Stripe id,
and each reading is a `BalanceFetch` (docs/decisions/0024-stripe-balance-and-payouts.md).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from simple_history.models import HistoricalRecords


class PaymentMethod(models.TextChoices):
    STRIPE = "stripe", _("Online (Stripe)")


class PaymentStatus(models.TextChoices):
    CREATED = "created", _("Waiting for payment")
    PROCESSING = "processing", _("Being processed")
    SUCCEEDED = "succeeded", _("Paid")
    REFUNDED = "refunded", _("Refunded")
    FAILED = "failed", _("Not paid")


class Payment(models.Model):
    """One online payment of `amount` by `payer` for `subject`. Its PaymentIntent at Stripe is
    named by `stripe_payment_intent_id`; `reference` is ours and never reused, so the
    idempotency keys derived from it name this payment alone."""

    cooperative = models.ForeignKey(
        "members.Cooperative", on_delete=models.PROTECT, related_name="payments"
    )
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments"
    )
    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # What is paid for, as "app_label.model:pk"; its app registered handlers for it.
    subject = models.CharField(_("paid for"), max_length=120)
    description = models.CharField(_("description"), max_length=200)
    amount = MoneyField(_("amount"), max_digits=18, decimal_places=2, default_currency="EUR")
    method = models.CharField(
        _("method"), max_length=16, choices=PaymentMethod.choices, default=PaymentMethod.STRIPE
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.CREATED
    )
    stripe_payment_intent_id = models.CharField(max_length=255, unique=True, null=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PaymentStatus.values), name="payment_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(method__in=PaymentMethod.values), name="payment_method_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="payment_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.subject} {self.amount} ({self.status})"

    @property
    def is_open(self) -> bool:
        """Still waiting for the payer: the pay page offers the form."""
        return self.status in (PaymentStatus.CREATED, PaymentStatus.FAILED)


class StripeEvent(models.Model):
    """A webhook event from Stripe that has been acted upon (or found to change nothing)."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(default=timezone.now)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="stripe_events"
    )

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["received_at", "pk"]

    def __str__(self):
        return f"{self.event_id} {self.type}"


class PayoutStatus(models.TextChoices):
    """A payout's status as Stripe reports it. Whether the bank shows it arriving is ours:
    `Payout.arrival_transaction`."""

    PENDING = "pending", _("Waiting at Stripe")
    IN_TRANSIT = "in_transit", _("On its way")
    PAID = "paid", _("Paid out by Stripe")
    FAILED = "failed", _("Failed")
    CANCELED = "canceled", _("Cancelled")


# A payout in one of these never reaches the bank: Stripe puts the money back on the balance.
PAYOUT_RETURNED = (PayoutStatus.FAILED, PayoutStatus.CANCELED)


class BalanceFetch(models.Model):
    """One reading of Stripe's balance transactions and payouts for a cooperative, written once
    by `fetch_stripe_balance` with its audit event. The next reading starts a little before
    `seen_until`, the Stripe time of the newest balance transaction read so far."""

    cooperative = models.ForeignKey(
        "members.Cooperative", on_delete=models.PROTECT, related_name="stripe_fetches"
    )
    fetched_at = models.DateTimeField(_("fetched at"), default=timezone.now)
    fetched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Stripe's `created` (seconds since 1970) of the newest balance transaction read.
    seen_until = models.BigIntegerField(null=True, blank=True)
    # Fees and payouts read that could not be booked here: no cooperative could be found for
    # them, or they are in another currency than the cooperative's.
    not_booked = models.PositiveIntegerField(_("not booked"), default=0)

    class Meta:
        verbose_name = _("Stripe fetch")
        verbose_name_plural = _("Stripe fetches")
        ordering = ["-fetched_at", "-pk"]

    def __str__(self):
        return f"{self.cooperative_id} {self.fetched_at:%Y-%m-%d %H:%M}"


class StripeFee(models.Model):
    """The fee Stripe took on one balance transaction (a charge, a refund, a dispute), booked
    once: Bank and payment costs against the Stripe balance. The unique `stripe_id` makes a
    second reading of the same balance transaction book nothing. A fee Stripe gives back is
    negative."""

    stripe_id = models.CharField(max_length=255, unique=True)
    cooperative = models.ForeignKey(
        "members.Cooperative", on_delete=models.PROTECT, related_name="stripe_fees"
    )
    fetch = models.ForeignKey(BalanceFetch, on_delete=models.PROTECT, related_name="fees")
    kind = models.CharField(_("kind"), max_length=40)
    source_id = models.CharField(max_length=255)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="fees"
    )
    fee = MoneyField(_("fee"), max_digits=18, decimal_places=2, default_currency="EUR")
    created_at = models.DateTimeField(_("charged at"))
    transaction = models.ForeignKey(
        "ledger.Transaction", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("Stripe fee")
        verbose_name_plural = _("Stripe fees")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(fee=0), name="stripe_fee_not_zero"),
        ]

    def __str__(self):
        return f"{self.stripe_id} {self.fee}"


class Payout(models.Model):
    """Money Stripe sends from the Stripe balance to the cooperative's bank account. Booked once
    when first read (Money in transit against the Stripe balance, `transaction`); reversed
    (`reversal`) when Stripe reports it failed or cancelled; and when the bank line shows it
    arriving, booked from Money in transit to the bank (`arrival_transaction`, `arrived_on`).
    A payout the bank has shown arriving is never reversed."""

    stripe_id = models.CharField(max_length=255, unique=True)
    cooperative = models.ForeignKey(
        "members.Cooperative", on_delete=models.PROTECT, related_name="payouts"
    )
    fetch = models.ForeignKey(BalanceFetch, on_delete=models.PROTECT, related_name="payouts")
    amount = MoneyField(_("amount"), max_digits=18, decimal_places=2, default_currency="EUR")
    arrival_date = models.DateField(_("expected on"))
    status = models.CharField(_("status"), max_length=16, choices=PayoutStatus.choices)
    created_at = models.DateTimeField(_("made at"))
    transaction = models.ForeignKey(
        "ledger.Transaction", on_delete=models.PROTECT, related_name="+"
    )
    reversal = models.ForeignKey(
        "ledger.Transaction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    arrival_transaction = models.ForeignKey(
        "ledger.Transaction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-arrival_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PayoutStatus.values), name="payout_status_valid"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payout_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(arrived_on__isnull=True, arrival_transaction__isnull=True)
                | models.Q(arrived_on__isnull=False, arrival_transaction__isnull=False),
                name="payout_arrival_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(reversal__isnull=True) | models.Q(arrived_on__isnull=True),
                name="payout_arrived_or_reversed",
            ),
        ]

    def __str__(self):
        return f"{self.stripe_id} {self.amount} ({self.status})"

    @property
    def has_arrived(self) -> bool:
        return self.arrival_transaction_id is not None

    @property
    def in_transit(self) -> bool:
        return not self.has_arrived and self.reversal_id is None
