"""Stripe for the tests: localstripe, started once per test run on a free loopback port and
emptied before each test that asks for `stripe_server`, and what a payer's browser, Stripe's
dashboard and Stripe's webhooks do, for the tests to do it too.

The root conftest.py loads this module as a plugin, so the browser journeys have it as well."""

import hashlib
import hmac
import json
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
import stripe

from wijkbv.payments.origins import with_stripe_origins

SECRET_KEY = "sk_test_wijkbv"
PUBLISHABLE_KEY = "pk_test_wijkbv"
WEBHOOK_SECRET = "whsec_wijkbv_test"
STARTUP_ATTEMPTS = 300  # tenths of a second


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Only ever the loopback address of the localstripe started here: S310 does not apply.
def _answers(url: str) -> bool:
    request = urllib.request.Request(  # noqa: S310
        f"{url}/v1/balance", headers={"Authorization": f"Bearer {SECRET_KEY}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def localstripe_request(url: str, method: str, path: str, fields: dict | None = None) -> None:
    data = json.dumps(fields).encode() if fields is not None else None
    request = urllib.request.Request(  # noqa: S310
        f"{url}{path}", data=data, method=method, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10):  # noqa: S310
        pass


@pytest.fixture(scope="session")
def localstripe_url():
    """The address of a localstripe of this test run's own, listening on 127.0.0.1 only."""
    port = _free_loopback_port()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "wijkbv.payments.tests.localstripe_server", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(STARTUP_ATTEMPTS):
            if process.poll() is not None:
                raise RuntimeError(
                    f"localstripe stopped at once (exit status {process.returncode})"
                )
            if _answers(url):
                break
            time.sleep(0.1)
        else:
            raise RuntimeError(f"localstripe did not answer on {url}")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def stripe_server(localstripe_url, settings, monkeypatch):
    """An empty localstripe, with the site's Stripe settings pointing at it."""
    localstripe_request(localstripe_url, "DELETE", "/_config/data")
    # Webhooks stay registered when the data is emptied: send them nowhere useful.
    localstripe_request(
        localstripe_url,
        "POST",
        "/_config/webhooks/wijkbv",
        {"url": "http://127.0.0.1:9/", "secret": WEBHOOK_SECRET, "events": ["none"]},
    )
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe_url
    settings.STRIPE_JS_URL = f"{localstripe_url}/js.stripe.com/v3/"
    settings.SECURE_CSP = with_stripe_origins(
        _without_addresses(settings.SECURE_CSP),
        js_url=settings.STRIPE_JS_URL,
        api_base=localstripe_url,
    )
    monkeypatch.setattr(stripe, "api_base", localstripe_url)
    monkeypatch.setattr(stripe, "api_key", SECRET_KEY)
    return localstripe_url


def _without_addresses(policy: dict) -> dict:
    """The site's policy without the Stripe addresses the settings added to it."""
    return {
        key: [value for value in values if not str(value).startswith(("http://", "https://"))]
        for key, values in policy.items()
    }


def stripe_client() -> stripe.StripeClient:
    """The client as a payer's browser or Stripe's dashboard would act, for the tests."""
    return stripe.StripeClient(SECRET_KEY, base_addresses={"api": stripe.api_base})


def pay_by_card(payment, number: str = "4242424242424242"):
    """What Stripe.js does when the payer confirms: attach a card and confirm the intent."""
    client = stripe_client()
    method = client.v1.payment_methods.create(
        {
            "type": "card",
            "card": {"number": number, "exp_month": 12, "exp_year": 2035, "cvc": "123"},
        }
    )
    intent_id = payment.stripe_payment_intent_id
    client.v1.payment_intents.update(intent_id, {"payment_method": method.id})
    return client.v1.payment_intents.confirm(intent_id)


def refund_at_stripe(payment):
    """A refund made in Stripe's dashboard, not by us."""
    return stripe_client().v1.refunds.create({"payment_intent": payment.stripe_payment_intent_id})


def signature_header(payload: bytes, *, secret: str = WEBHOOK_SECRET, timestamp=None) -> str:
    """A Stripe-Signature header as Stripe writes it."""
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event_payload(event_type: str, obj: dict, *, event_id: str | None = None) -> bytes:
    """The body of a webhook request about `obj` (a Stripe object as a dict)."""
    event = {
        "id": event_id or f"evt_{secrets.token_hex(12)}",
        "object": "event",
        "type": event_type,
        "created": int(time.time()),
        "api_version": "2017-08-15",
        "data": {"object": obj},
    }
    return json.dumps(event).encode()


def intent_event(payment, event_type: str = "payment_intent.succeeded", **kwargs) -> bytes:
    """An event carrying the PaymentIntent as Stripe has it now."""
    intent = stripe_client().v1.payment_intents.retrieve(payment.stripe_payment_intent_id)
    return event_payload(event_type, intent.to_dict(), **kwargs)


def construct(payload: bytes):
    """The event as the webhook view hands it to the service, after checking its signature."""
    return stripe.Webhook.construct_event(payload, signature_header(payload), WEBHOOK_SECRET)
