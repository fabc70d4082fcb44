"""Checking that a webhook request comes from Stripe, now.

`stripe.Webhook.construct_event` checks the signature and refuses a timestamp more than five
minutes old; a timestamp more than five minutes ahead is refused here as well, so a signed
request cannot be kept to be replayed later."""

import time

import stripe
from django.conf import settings

TOLERANCE_SECONDS = 5 * 60


class Refused(Exception):
    """The request is not a signed, current event from Stripe."""


def verified_event(payload: bytes, signature_header: str | None, *, now: float | None = None):
    """The event of a webhook request, or Refused saying why not."""
    if not signature_header:
        raise Refused("the Stripe-Signature header is missing")
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise Refused("no webhook secret is configured")
    now = time.time() if now is None else now
    timestamp = _timestamp(signature_header)
    if timestamp > now + TOLERANCE_SECONDS:
        raise Refused("the timestamp is in the future")
    try:
        event = stripe.Webhook.construct_event(
            payload, signature_header, settings.STRIPE_WEBHOOK_SECRET, tolerance=TOLERANCE_SECONDS
        )
    except stripe.SignatureVerificationError as exc:
        raise Refused(f"the signature does not verify: {exc.user_message or exc}") from None
    except ValueError:
        raise Refused("the body is not a Stripe event") from None
    if not all(key in event for key in ("id", "type", "data")):
        raise Refused("the body is not a Stripe event")
    return event


def _timestamp(header: str) -> int:
    for item in header.split(","):
        key, _sep, value = item.strip().partition("=")
        if key == "t":
            try:
                return int(value)
            except ValueError:
                break
    raise Refused("the Stripe-Signature header has no timestamp")
