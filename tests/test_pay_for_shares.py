"""Shares paid online: a payment for a subscription goes through Stripe (localstripe here) and
the shares services, found through shares/payments.py."""

import datetime

import pytest
from moneyed import Money

from shares import selectors
from shares import services as shares
from shares.models import PaymentMethod, SubscriptionStatus
from shares.payments import subject_of
from wijkbv.ledger.models import Account, Purpose
from wijkbv.ledger.selectors import balance
from wijkbv.ledger.testing import euros
from wijkbv.payments import handlers
from wijkbv.payments import services as payments
from wijkbv.payments.models import PaymentStatus
from wijkbv.payments.testing import construct, intent_event, pay_by_card

pytestmark = pytest.mark.django_db

DEED = {"deed_date": datetime.date(2026, 1, 15), "notary": "Mr. J. de Notaris"}


@pytest.fixture
def subscription(hood):
    share_class = shares.create_share_class(
        hood.cooperative,
        actor=hood.carol,
        code="A",
        name="Resident shares",
        nominal_value=euros("10.00"),
        authorised_shares=100,
        votes_per_share=1,
        max_per_member=5,
        is_transferable=True,
    )
    return shares.subscribe_to_shares(
        share_class, actor=hood.alice, count=2, method=PaymentMethod.STRIPE
    )


@pytest.fixture
def paid(hood, stripe_server, subscription):
    payment = payments.start_stripe_payment(
        hood.cooperative,
        actor=hood.alice,
        subject=subject_of(subscription),
        amount=subscription.money,
        description="2 resident shares",
    )
    pay_by_card(payment)
    payments.handle_stripe_event(construct(intent_event(payment)))
    payment.refresh_from_db()
    subscription.refresh_from_db()
    return payment


def account(hood, purpose):
    return Account.objects.get(cooperative=hood.cooperative, purpose=purpose)


def test_the_shares_app_registers_its_payment_handlers():
    assert handlers.is_registered("shares.subscription")


def test_a_subscription_paid_online_is_booked_as_share_capital(hood, paid, subscription):
    assert paid.status == PaymentStatus.SUCCEEDED
    assert subscription.paid_on is not None
    assert subscription.external_reference == paid.stripe_payment_intent_id
    assert balance(account(hood, Purpose.STRIPE)) == Money("20.00", "EUR")
    assert balance(account(hood, Purpose.SHARE_CAPITAL)) == Money("-20.00", "EUR")


def test_the_board_issues_the_shares_paid_online(hood, paid, subscription):
    shares.approve_subscription(subscription, actor=hood.carol, **DEED)
    shares.issue_shares(subscription, actor=hood.dave)

    (lot,) = selectors.holding(hood.membership("alice"))
    assert lot.last_certificate - lot.first_certificate + 1 == 2


def test_a_refund_reverses_the_booking_and_frees_the_shares(hood, paid, subscription):
    payments.refund_payment(paid, actor=hood.dave, reason="Changed her mind before approval")

    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.REFUNDED
    assert balance(account(hood, Purpose.STRIPE)) == Money("0.00", "EUR")
    assert balance(account(hood, Purpose.SHARE_CAPITAL)) == Money("0.00", "EUR")
