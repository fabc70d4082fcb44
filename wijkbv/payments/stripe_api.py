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
# Items per request when listing; Stripe's largest page.
PAGE_SIZE = 100


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


def is_configured() -> bool:
    """Whether this site can ask Stripe anything: its secret key is set."""
    return bool(settings.STRIPE_SECRET_KEY)


def balance_transactions_since(created_from: int | None) -> list:
    """The account's balance transactions created at or after `created_from` (seconds since
    1970; all of them when None), newest first, each with its source (charge, refund...)
    expanded. Stripe lists the newest first, so the paging stops at the first older one."""
    params = {"limit": PAGE_SIZE, "expand": ["data.source"]}
    found = []
    try:
        for item in client().v1.balance_transactions.list(params).auto_paging_iter():
            if created_from is not None and item.created < created_from:
                break
            found.append(item)
    except stripe.StripeError as exc:
        raise StripeUnavailable(str(exc)) from exc
    return found


def all_payouts() -> list:
    """Every payout of the account. Read whole: a payout's status can change days after it was
    made, and a cooperative has at most one a day."""
    try:
        return list(client().v1.payouts.list({"limit": PAGE_SIZE}).auto_paging_iter())
    except stripe.StripeError as exc:
        raise StripeUnavailable(str(exc)) from exc


def retrieve_charge(charge_id: str):
    return _call(client().v1.charges.retrieve, charge_id)


def _call(method, *args):
    try:
        return method(*args)
    except stripe.StripeError as exc:
        raise StripeUnavailable(str(exc)) from exc
