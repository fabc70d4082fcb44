import pytest
from moneyed import Money

from wijkbv.audit.models import AuditEvent
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.payments import services
from wijkbv.payments.models import Payment, PaymentStatus
from wijkbv.payments.testing import stripe_client
from wijkbv.payments.tests.conftest import TEST_SUBJECT
from wijkbv.payments.tests.helpers import record_requests, start

pytestmark = pytest.mark.django_db


def test_it_starts_a_payment_and_records_it(hood, stripe_server, test_subject):
    with captures_events(hood.cooperative) as events:
        payment = start(hood)

    assert payment.status == PaymentStatus.CREATED
    assert payment.payer == hood.alice
    assert payment.amount == Money("12.50", "EUR")
    assert payment.stripe_payment_intent_id.startswith("pi_")
    assert_audit_event(
        events,
        action="payment.started",
        actor=hood.alice,
        subject=payment,
        payload={
            "payment": payment.pk,
            "subject": f"{TEST_SUBJECT}:1",
            "amount": "12.50",
            "currency": "EUR",
            "method": "stripe",
            "payment_intent": payment.stripe_payment_intent_id,
        },
    )


def test_it_asks_stripe_for_card_and_ideal_and_names_our_payment(
    hood, stripe_server, test_subject, monkeypatch
):
    sent = record_requests(monkeypatch)

    payment = start(hood)

    (fields,) = [fields for method, _url, _headers, fields in sent if method == "POST"]
    assert fields["payment_method_types[0]"] == ["card"]
    assert fields["payment_method_types[1]"] == ["ideal"]
    intent = stripe_client().v1.payment_intents.retrieve(payment.stripe_payment_intent_id)
    assert (intent.amount, intent.currency) == (1250, "eur")
    assert intent.metadata["wijkbv_payment"] == str(payment.pk)
    assert intent.metadata["subject"] == f"{TEST_SUBJECT}:1"


def test_it_sends_an_idempotency_key_of_its_own(hood, stripe_server, test_subject, monkeypatch):
    sent = record_requests(monkeypatch)

    payment = start(hood)

    posts = [headers for method, _url, headers, _fields in sent if method == "POST"]
    assert len(posts) == 1
    assert posts[0]["Idempotency-Key"] == (
        f"wijkbv-payment-{payment.pk}-{payment.reference}-create"
    )


def test_it_refuses_someone_of_another_cooperative(hood, stripe_server, test_subject):
    with pytest.raises(NotAllowed):
        start(hood, payer="olivia")

    assert not Payment.objects.exists()
    assert not AuditEvent.objects.filter(action="payment.started").exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Money("0.00", "EUR"), "more than zero"),
        (Money("-5.00", "EUR"), "more than zero"),
        (Money("1.005", "EUR"), "more decimals"),
        (Money("10.00", "USD"), "Pay in EUR"),
    ],
)
def test_it_refuses_an_amount_it_cannot_ask(hood, stripe_server, test_subject, amount, message):
    with pytest.raises(DomainError, match=message):
        services.start_stripe_payment(
            hood.cooperative,
            actor=hood.alice,
            subject=f"{TEST_SUBJECT}:1",
            amount=amount,
            description="Two shares",
        )

    assert not Payment.objects.exists()


def test_it_refuses_an_amount_that_is_not_money(hood, stripe_server, test_subject):
    with pytest.raises(TypeError):
        services.start_stripe_payment(
            hood.cooperative,
            actor=hood.alice,
            subject=f"{TEST_SUBJECT}:1",
            amount=12.5,
            description="Two shares",
        )


def test_it_refuses_an_empty_description(hood, stripe_server, test_subject):
    with pytest.raises(DomainError, match="Describe what the payment is for"):
        services.start_stripe_payment(
            hood.cooperative,
            actor=hood.alice,
            subject=f"{TEST_SUBJECT}:1",
            amount=Money("5.00", "EUR"),
            description="  ",
        )


def test_it_refuses_a_subject_no_app_takes_payments_for(hood, stripe_server):
    with pytest.raises(ValueError, match="no payment handlers"):
        start(hood)


def test_it_writes_nothing_when_stripe_cannot_be_reached(
    hood, stripe_server, test_subject, settings
):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there

    with (
        captures_events(hood.cooperative) as events,
        pytest.raises(DomainError, match="not possible at the moment"),
    ):
        start(hood)

    assert not Payment.objects.exists()
    assert events == []
