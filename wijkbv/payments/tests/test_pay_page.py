import re

import pytest

from wijkbv.payments import services
from wijkbv.payments.models import PaymentStatus
from wijkbv.payments.testing import PUBLISHABLE_KEY, construct, intent_event, pay_by_card
from wijkbv.payments.tests.helpers import start

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(hood, stripe_server, test_subject):
    return start(hood)


def url(payment):
    return f"/payments/{payment.pk}/"


def test_it_puts_the_payment_element_on_the_page(hood, payment, settings):
    response = hood.client_for("alice").get(url(payment), headers={"accept-language": "en"})

    assert response.status_code == 200
    page = response.text
    assert 'id="payment-element"' in page
    assert f'data-publishable-key="{PUBLISHABLE_KEY}"' in page
    assert f'data-client-secret="{payment.stripe_payment_intent_id}_secret_' in page
    assert f'data-return-url="http://testserver/payments/{payment.pk}/done/"' in page
    assert f'<script src="{settings.STRIPE_JS_URL}" nonce="' in page
    assert '/static/payments/pay.js" nonce="' in page


def test_it_lets_the_browser_load_stripe_js_and_nothing_else_from_outside(
    hood, payment, stripe_server
):
    response = hood.client_for("alice").get(url(payment))

    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    nonce = re.search(r'nonce="([^"]+)"', response.text)[1]
    assert policy["script-src"] == f"'self' 'nonce-{nonce}' {stripe_server}"
    assert policy["frame-src"] == f"'self' {stripe_server}"
    assert policy["connect-src"] == f"'self' {stripe_server}"


def test_it_says_how_to_pay_without_javascript(hood, payment):
    response = hood.client_for("alice").get(url(payment), headers={"accept-language": "en"})

    assert "Paying online needs JavaScript" in response.text
    assert "pay by bank transfer instead" in response.text
    assert re.search(r'<form id="payment-form"[^>]* hidden', response.text)


def test_it_is_for_the_payer_alone(hood, payment):
    assert hood.client_for("bob").get(url(payment)).status_code == 404
    assert hood.client_for("carol").get(url(payment)).status_code == 404


def test_it_asks_a_visitor_to_log_in(hood, payment):
    response = hood.client_for(None).get(url(payment))

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_a_paid_payment_offers_no_form(hood, payment):
    pay_by_card(payment)
    services.handle_stripe_event(construct(intent_event(payment)))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED

    response = hood.client_for("alice").get(url(payment), headers={"accept-language": "en"})

    assert 'id="payment-form"' not in response.text
    assert "Paid" in response.text


def test_it_says_so_when_stripe_cannot_be_reached(hood, payment, settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there

    response = hood.client_for("alice").get(url(payment), headers={"accept-language": "en"})

    assert response.status_code == 200
    assert "Paying online is not possible at the moment" in response.text
    assert 'id="payment-form"' not in response.text
