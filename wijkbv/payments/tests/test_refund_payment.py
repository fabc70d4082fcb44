import pytest
from moneyed import Money

from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.models import Account, Purpose
from wijkbv.ledger.selectors import balance
from wijkbv.payments import handlers, services
from wijkbv.payments.models import PaymentStatus
from wijkbv.payments.testing import (
    construct,
    event_payload,
    intent_event,
    pay_by_card,
    stripe_client,
)
from wijkbv.payments.tests.conftest import TEST_SUBJECT
from wijkbv.payments.tests.helpers import record_requests, start

pytestmark = pytest.mark.django_db


def paid(hood):
    payment = start(hood)
    pay_by_card(payment)
    services.handle_stripe_event(construct(intent_event(payment)))
    payment.refresh_from_db()
    return payment


def test_it_refunds_a_paid_payment(hood, stripe_server, test_subject):
    payment = paid(hood)

    with captures_events(hood.cooperative) as events:
        services.refund_payment(payment, actor=hood.dave, reason="Asked back before approval")

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert test_subject == [("succeeded", payment.pk), ("refunded", payment.pk)]
    intent = stripe_client().v1.payment_intents.retrieve(
        payment.stripe_payment_intent_id, {"expand": ["latest_charge"]}
    )
    assert intent.latest_charge.amount_refunded == 1250
    (event,) = events
    assert event.payload["refund"].startswith("re_")
    assert_audit_event(
        events,
        action="payment.refunded",
        actor=hood.dave,
        subject=payment,
        payload={
            "payment": payment.pk,
            "subject": f"{TEST_SUBJECT}:1",
            "amount": "12.50",
            "currency": "EUR",
            "from": "succeeded",
            "status": "refunded",
            "payment_intent": payment.stripe_payment_intent_id,
            "refund": event.payload["refund"],
            "reason": "Asked back before approval",
        },
    )


def test_the_subject_reverses_its_booking(hood, stripe_server, booking_subject):
    payment = paid(hood)

    services.refund_payment(payment, actor=hood.carol, reason="Subscription withdrawn")

    stripe_balance = Account.objects.get(cooperative=hood.cooperative, purpose=Purpose.STRIPE)
    assert balance(stripe_balance) == Money("0.00", "EUR")


def test_it_sends_an_idempotency_key_of_its_own(hood, stripe_server, test_subject, monkeypatch):
    payment = paid(hood)
    sent = record_requests(monkeypatch)

    services.refund_payment(payment, actor=hood.dave, reason="Withdrawn")

    (headers,) = [headers for method, url, headers, _f in sent if method == "POST"]
    assert headers["Idempotency-Key"] == f"wijkbv-payment-{payment.pk}-{payment.reference}-refund"


def test_its_webhook_afterwards_changes_nothing(hood, stripe_server, test_subject):
    payment = paid(hood)
    services.refund_payment(payment, actor=hood.dave, reason="Withdrawn")
    intent = stripe_client().v1.payment_intents.retrieve(
        payment.stripe_payment_intent_id, {"expand": ["latest_charge"]}
    )

    with captures_events(hood.cooperative) as events:
        services.handle_stripe_event(
            construct(event_payload("charge.refunded", intent.latest_charge.to_dict()))
        )

    assert events == []
    assert test_subject == [("succeeded", payment.pk), ("refunded", payment.pk)]


def test_a_resident_may_not_refund(hood, stripe_server, test_subject):
    payment = paid(hood)

    with pytest.raises(NotAllowed):
        services.refund_payment(payment, actor=hood.alice, reason="Please")

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED


def test_it_needs_a_reason(hood, stripe_server, test_subject):
    payment = paid(hood)

    with pytest.raises(DomainError, match="Give a reason"):
        services.refund_payment(payment, actor=hood.dave, reason=" ")


def test_it_refuses_a_payment_that_was_not_paid(hood, stripe_server, test_subject):
    payment = start(hood)

    with pytest.raises(DomainError, match="Only a payment that has been paid"):
        services.refund_payment(payment, actor=hood.dave, reason="Withdrawn")

    assert test_subject == []


def test_it_refunds_once(hood, stripe_server, test_subject):
    payment = paid(hood)
    services.refund_payment(payment, actor=hood.dave, reason="Withdrawn")

    with (
        captures_events(hood.cooperative) as events,
        pytest.raises(DomainError, match="already been refunded"),
    ):
        services.refund_payment(payment, actor=hood.dave, reason="Withdrawn")

    assert events == []


def test_nothing_is_refunded_when_the_subject_refuses(hood, stripe_server, test_subject):
    payment = paid(hood)

    def refuse(payment, *, actor, reason):
        raise DomainError("These shares have been issued: buy them back instead.")

    handlers.register(TEST_SUBJECT, succeeded=lambda payment, *, actor: None, refunded=refuse)

    with pytest.raises(DomainError, match="buy them back"):
        services.refund_payment(payment, actor=hood.dave, reason="Withdrawn")

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    intent = stripe_client().v1.payment_intents.retrieve(
        payment.stripe_payment_intent_id, {"expand": ["latest_charge"]}
    )
    assert intent.latest_charge.amount_refunded == 0
