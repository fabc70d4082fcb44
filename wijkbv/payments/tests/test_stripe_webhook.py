import json
import time

import pytest
from django.core.signals import request_finished, request_started
from django.test import Client

from wijkbv.audit.models import AuditEvent
from wijkbv.payments.models import Payment, PaymentStatus, StripeEvent
from wijkbv.payments.testing import (
    WEBHOOK_SECRET,
    event_payload,
    intent_event,
    localstripe_request,
    pay_by_card,
    signature_header,
    stripe_client,
)
from wijkbv.payments.tests.helpers import start

pytestmark = pytest.mark.django_db

URL = "/payments/stripe/webhook/"
DELIVERY_ATTEMPTS = 300  # tenths of a second


def deliver(payload: bytes, header: str | None = None, **kwargs):
    headers = {"Stripe-Signature": header or signature_header(payload, **kwargs)}
    return Client().post(URL, payload, content_type="application/json", headers=headers)


def nothing_changed(payment) -> bool:
    payment.refresh_from_db()
    return (
        payment.status == PaymentStatus.CREATED
        and not StripeEvent.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="payment.")
        .exclude(action="payment.started")
        .exists()
    )


@pytest.fixture
def paid(hood, stripe_server, test_subject):
    """A payment the payer has just paid at Stripe, and the event that says so."""
    payment = start(hood)
    pay_by_card(payment)
    return payment, intent_event(payment)


def test_it_acts_on_a_signed_event(paid):
    payment, payload = paid

    response = deliver(payload)

    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED


def test_it_refuses_a_forged_signature(paid):
    payment, payload = paid

    response = deliver(payload, secret="whsec_someone_else")

    assert response.status_code == 400
    assert "signature does not verify" in response.text
    assert nothing_changed(payment)


def test_it_refuses_a_changed_body(paid):
    payment, payload = paid
    header = signature_header(payload)
    changed = payload.replace(b'"api_version"', b'"api_version" ', 1)

    response = deliver(changed, header)

    assert response.status_code == 400
    assert nothing_changed(payment)


def test_it_refuses_an_event_signed_more_than_five_minutes_ago(paid):
    payment, payload = paid

    response = deliver(payload, timestamp=time.time() - 6 * 60)

    assert response.status_code == 400
    assert nothing_changed(payment)


def test_it_refuses_an_event_dated_more_than_five_minutes_ahead(paid):
    payment, payload = paid

    response = deliver(payload, timestamp=time.time() + 6 * 60)

    assert response.status_code == 400
    assert "in the future" in response.text
    assert nothing_changed(payment)


def test_it_refuses_a_request_without_a_signature(paid):
    payment, payload = paid

    response = Client().post(URL, payload, content_type="application/json")

    assert response.status_code == 400
    assert nothing_changed(payment)


def test_it_refuses_a_body_that_is_not_an_event(paid):
    payment, _payload = paid
    payload = json.dumps({"hello": "world"}).encode()

    response = deliver(payload)

    assert response.status_code == 400
    assert nothing_changed(payment)


def test_it_refuses_an_event_about_a_payment_intent_it_does_not_know(paid):
    payment, _payload = paid
    other = stripe_client().v1.payment_intents.create({"amount": 500, "currency": "eur"})

    response = deliver(event_payload("payment_intent.succeeded", other.to_dict()))

    assert response.status_code == 400
    assert other.id in response.text
    assert nothing_changed(payment)


def test_the_same_event_later_is_welcome_and_changes_nothing(paid, test_subject):
    payment, payload = paid
    deliver(payload)

    response = deliver(payload)

    assert response.status_code == 200
    assert test_subject == [("succeeded", payment.pk)]
    assert StripeEvent.objects.count() == 1


def test_it_asks_for_the_event_again_when_stripe_cannot_be_asked(paid, settings):
    payment, payload = paid
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there

    response = deliver(payload)

    assert response.status_code == 503
    assert nothing_changed(payment)


def test_it_only_takes_posts(client):
    assert client.get(URL).status_code == 405


def test_it_needs_no_csrf_token(paid):
    payment, payload = paid
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        URL,
        payload,
        content_type="application/json",
        headers={"Stripe-Signature": signature_header(payload)},
    )

    assert response.status_code == 200


def test_localstripe_delivers_signed_events_to_the_site(
    hood, stripe_server, test_subject, live_server
):
    # The live server answers in its own thread; the test waits until it has finished every
    # request it began, so that no delivery still uses the database when the test's database
    # is emptied (on SQLite the two threads share one connection).
    in_flight = []

    def began(**kwargs):
        in_flight.append(True)

    def ended(**kwargs):
        if in_flight:
            in_flight.pop()

    request_started.connect(began)
    request_finished.connect(ended)
    try:
        localstripe_request(
            stripe_server,
            "POST",
            "/_config/webhooks/wijkbv",
            {
                "url": f"{live_server.url}{URL}",
                "secret": WEBHOOK_SECRET,
                "events": ["payment_intent.succeeded"],
            },
        )
        payment = start(hood)

        pay_by_card(payment)

        for _attempt in range(DELIVERY_ATTEMPTS):
            if Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCEEDED:
                break
            time.sleep(0.1)
        for _attempt in range(DELIVERY_ATTEMPTS):
            if not in_flight:
                break
            time.sleep(0.1)
    finally:
        request_started.disconnect(began)
        request_finished.disconnect(ended)
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCEEDED
    assert StripeEvent.objects.get().type == "payment_intent.succeeded"
