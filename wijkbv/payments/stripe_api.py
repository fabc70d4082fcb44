"""The few calls we make to Stripe, through the official client, configured from settings.

Every POST carries an idempotency key of ours, derived from the payment's own reference, so a
request that is sent again (by the client's retries, or by us after a lost answer) is done by
Stripe once. Card data never passes through here: the payer types it into Stripe.js.
"""

from decimal import Decimal

import stripe
from django.conf import settings
from moneyed import Money, get_currency

# Replaced in tests to look at the requests sent; None is the client's own default.
http_client = None
# A service may hold a row lock while it waits for Stripe: wait a while, not the client's 80 s.
TIMEOUT_SECONDS = 20


class StripeUnavailable(Exception):
    """Stripe could not be reached or refused the request."""


def client() -> stripe.StripeClient:
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses=base,
        max_network_retries=2,
        http_client=http_client or stripe.new_default_http_client(timeout=TIMEOUT_SECONDS),
    )


def idempotency_key(payment, action: str) -> str:
    return f"wijkbv-payment-{payment.pk}-{payment.reference}-{action}"


def minor_units(amount: Money) -> int:
    """12.50 EUR as 1250: Stripe counts in the currency's smallest unit."""
    sub_unit = get_currency(amount.currency.code).sub_unit or 1
    value = amount.amount * sub_unit
    if value != value.to_integral_value():
        raise ValueError(f"{amount} has more decimals than its currency")
    return int(value)


def from_minor_units(value: int, currency: str) -> Money:
    sub_unit = get_currency(currency.upper()).sub_unit or 1
    return Money(Decimal(value) / sub_unit, currency.upper())


def create_payment_intent(payment):
    """A PaymentIntent for the payment, by card or iDEAL, that names the payment in its
    metadata."""
    params = {
        "amount": minor_units(payment.amount),
        "currency": payment.amount.currency.code.lower(),
        "payment_method_types": ["card", "ideal"],
        "metadata": {
            "wijkbv_payment": str(payment.pk),
            "wijkbv_reference": str(payment.reference),
            "subject": payment.subject,
            "description": payment.description,
        },
    }
    return _call(
        client().v1.payment_intents.create,
        params,
        {"idempotency_key": idempotency_key(payment, "create")},
    )


def retrieve_payment_intent(payment_intent_id: str):
    """The PaymentIntent as Stripe has it now, with its latest charge (for its refunds)."""
    return _call(
        client().v1.payment_intents.retrieve,
        payment_intent_id,
        {"expand": ["latest_charge"]},
    )


def create_refund(payment):
    """Refund the whole payment."""
    params = {
        "payment_intent": payment.stripe_payment_intent_id,
        "metadata": {"wijkbv_payment": str(payment.pk)},
    }
    return _call(
        client().v1.refunds.create,
        params,
        {"idempotency_key": idempotency_key(payment, "refund")},
    )


def _call(method, *args):
    try:
        return method(*args)
    except stripe.StripeError as exc:
        raise StripeUnavailable(str(exc)) from exc
