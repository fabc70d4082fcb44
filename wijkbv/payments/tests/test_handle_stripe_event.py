import pytest
import stripe
from moneyed import Money

from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.ledger.models import Account, Purpose, Transaction
from wijkbv.ledger.selectors import balance
from wijkbv.payments import services
from wijkbv.payments.models import PaymentStatus, StripeEvent
from wijkbv.payments.testing import (
    construct,
    event_payload,
    intent_event,
    pay_by_card,
    refund_at_stripe,
    stripe_client,
)
from wijkbv.payments.tests.conftest import TEST_SUBJECT
from wijkbv.payments.tests.helpers import record_requests, start

pytestmark = pytest.mark.django_db

DECLINED_CARD = "4000000000000341"


def charge_of(payment):
    intent = stripe_client().v1.payment_intents.retrieve(
        payment.stripe_payment_intent_id, {"expand": ["latest_charge"]}
    )
    return intent.latest_charge


def test_it_records_a_payment_stripe_reports_paid(hood, stripe_server, test_subject):
    payment = start(hood)
    pay_by_card(payment)
    event = construct(intent_event(payment, event_id="evt_paid"))

    with captures_events(hood.cooperative) as events:
        handled = services.handle_stripe_event(event)

    assert handled == payment
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert test_subject == [("succeeded", payment.pk)]
    assert StripeEvent.objects.get().payment == payment
    assert_audit_event(
        events,
        action="payment.succeeded",
        actor=None,
        subject=payment,
        payload={
            "payment": payment.pk,
            "subject": f"{TEST_SUBJECT}:1",
            "amount": "12.50",
            "currency": "EUR",
            "from": "created",
            "status": "succeeded",
            "payment_intent": payment.stripe_payment_intent_id,
            "stripe_event": "evt_paid",
        },
    )


def test_it_books_the_money_through_the_subject(hood, stripe_server, booking_subject):
    payment = start(hood)
    pay_by_card(payment)

    services.handle_stripe_event(construct(intent_event(payment)))

    stripe_balance = Account.objects.get(cooperative=hood.cooperative, purpose=Purpose.STRIPE)
    assert balance(stripe_balance) == Money("12.50", "EUR")


def test_it_acts_on_what_stripe_reports_now_rather_than_on_the_event(
    hood, stripe_server, test_subject
):
    payment = start(hood)
    # The event was written while the intent still waited for the payer...
    stale = intent_event(payment, "payment_intent.payment_failed")
    pay_by_card(payment)  # ...and it has been paid since.

    services.handle_stripe_event(construct(stale))

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED


def test_an_event_received_again_changes_nothing(hood, stripe_server, test_subject, monkeypatch):
    payment = start(hood)
    pay_by_card(payment)
    payload = intent_event(payment)
    services.handle_stripe_event(construct(payload))
    sent = record_requests(monkeypatch)

    with captures_events(hood.cooperative) as events:
        handled = services.handle_stripe_event(construct(payload))

    assert handled == payment
    assert events == []
    assert test_subject == [("succeeded", payment.pk)]
    assert StripeEvent.objects.count() == 1
    assert sent == []  # not even asked of Stripe again


def test_another_event_about_the_same_state_changes_nothing(hood, stripe_server, test_subject):
    payment = start(hood)
    pay_by_card(payment)
    services.handle_stripe_event(construct(intent_event(payment)))

    with captures_events(hood.cooperative) as events:
        services.handle_stripe_event(construct(intent_event(payment)))

    assert events == []
    assert test_subject == [("succeeded", payment.pk)]
    assert StripeEvent.objects.count() == 2


def test_it_refuses_an_event_about_a_payment_intent_it_does_not_know(
    hood, stripe_server, test_subject
):
    intent = stripe_client().v1.payment_intents.create({"amount": 500, "currency": "eur"})
    event = construct(event_payload("payment_intent.succeeded", intent.to_dict()))

    with (
        captures_events(hood.cooperative) as events,
        pytest.raises(services.UnknownPayment, match=intent.id),
    ):
        services.handle_stripe_event(event)

    assert not StripeEvent.objects.exists()
    assert events == []


def test_it_leaves_events_about_no_payment_alone(hood, stripe_server, test_subject):
    event = construct(event_payload("customer.created", {"id": "cus_1", "object": "customer"}))

    assert services.handle_stripe_event(event) is None
    assert not StripeEvent.objects.exists()


def test_a_declined_payment_is_recorded_as_not_paid(hood, stripe_server, test_subject):
    payment = start(hood)
    with pytest.raises(stripe.CardError):
        pay_by_card(payment, number=DECLINED_CARD)

    with captures_events(hood.cooperative) as events:
        services.handle_stripe_event(
            construct(intent_event(payment, "payment_intent.payment_failed"))
        )

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert test_subject == []
    assert [event.action for event in events] == ["payment.failed"]


def test_a_refund_made_at_stripe_is_recorded_and_reversed_in_the_book(
    hood, stripe_server, booking_subject
):
    payment = start(hood)
    pay_by_card(payment)
    services.handle_stripe_event(construct(intent_event(payment)))
    refund_at_stripe(payment)
    charge = charge_of(payment)

    services.handle_stripe_event(construct(event_payload("charge.refunded", charge.to_dict())))

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert booking_subject == [("succeeded", payment.pk), ("refunded", payment.pk)]
    booking = Transaction.objects.get(cause=f"payments.payment:{payment.pk}", reverses=None)
    assert booking.reversed_by is not None
    stripe_balance = Account.objects.get(cooperative=hood.cooperative, purpose=Purpose.STRIPE)
    assert balance(stripe_balance) == Money("0.00", "EUR")


@pytest.mark.parametrize("order", ["in order", "refund first", "success last, twice"])
def test_events_in_any_order_end_in_the_same_state(hood, stripe_server, booking_subject, order):
    payment = start(hood)
    pay_by_card(payment)
    succeeded = intent_event(payment)
    refund_at_stripe(payment)
    charge = charge_of(payment)
    refunded = event_payload("charge.refunded", charge.to_dict())
    deliveries = {
        "in order": [succeeded, refunded],
        "refund first": [refunded, succeeded],
        "success last, twice": [refunded, succeeded, succeeded],
    }[order]

    for payload in deliveries:
        services.handle_stripe_event(construct(payload))

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert booking_subject == [("succeeded", payment.pk), ("refunded", payment.pk)]
    stripe_balance = Account.objects.get(cooperative=hood.cooperative, purpose=Purpose.STRIPE)
    assert balance(stripe_balance) == Money("0.00", "EUR")
