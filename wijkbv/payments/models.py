"""Payments made online, and the inbox of what Stripe told us about them.

A `Payment` is money a member pays the cooperative through Stripe for something of another app
(its `subject`, such as "shares.subscription:12"). Only the services move its status, and only
forward: created → processing or failed → succeeded → refunded (a failed payment may be tried
again). Each status follows what Stripe reports for its PaymentIntent, re-fetched before acting.

A `StripeEvent` row is written in the same database transaction as the effect of the event it
records; its unique id makes a delivered-again event a no-op.
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
