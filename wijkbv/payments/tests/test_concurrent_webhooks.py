"""The same signed event, delivered 50 times at once and once more later: one effect, and every
delivery answered without a server error. Only PostgreSQL runs the deliveries truly together."""

import threading

import pytest
from django.db import connection
from django.test import Client

from wijkbv.audit.models import AuditEvent
from wijkbv.payments.models import PaymentStatus, StripeEvent
from wijkbv.payments.testing import intent_event, pay_by_card, signature_header
from wijkbv.payments.tests.helpers import start

DELIVERIES = 50


def deliver(payload: bytes) -> int:
    return (
        Client()
        .post(
            "/payments/stripe/webhook/",
            payload,
            content_type="application/json",
            headers={"Stripe-Signature": signature_header(payload)},
        )
        .status_code
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_deliveries_at_once_have_one_effect(hood, stripe_server, booking_subject):
    payment = start(hood)
    pay_by_card(payment)
    payload = intent_event(payment)
    start_together = threading.Barrier(DELIVERIES)
    answers = []

    def delivery():
        try:
            start_together.wait()
            answers.append(deliver(payload))
        except Exception as error:  # noqa: BLE001 - reported as the answer
            answers.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=delivery) for _ in range(DELIVERIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    later = deliver(payload)

    assert answers == [200] * DELIVERIES
    assert later == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert booking_subject == [("succeeded", payment.pk)]
    assert StripeEvent.objects.count() == 1
    assert AuditEvent.objects.filter(action="payment.succeeded").count() == 1
    assert AuditEvent.objects.filter(action="ledger.posted").count() == 1
