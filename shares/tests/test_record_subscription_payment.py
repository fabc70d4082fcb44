import datetime

import pytest

from shares import services
from shares.models import SubscriptionStatus
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.selectors import balance
from wijkbv.ledger.testing import account, euros, ledger_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(hood, a_class):
    return services.subscribe_to_shares(a_class, actor=hood.alice, count=2)


def test_the_treasurer_books_the_bank_payment_to_share_capital(hood, subscription):
    paid_on = datetime.date(2026, 2, 1)

    with captures_events(hood.cooperative) as events:
        subscription = services.record_subscription_payment(
            subscription, actor=hood.dave, paid_on=paid_on
        )

    assert subscription.status == SubscriptionStatus.PAID
    assert subscription.paid_on == paid_on
    assert balance(account(hood.cooperative, "1000")) == euros("20.00")
    assert balance(account(hood.cooperative, "3000")) == euros("-20.00")
    number = hood.membership("alice").member_number
    assert_audit_event(
        events,
        action="shares.subscription_paid",
        actor=hood.dave,
        subject=subscription.payment_transaction,
        payload={
            "transaction": subscription.payment_transaction.pk,
            "booking_date": "2026-02-01",
            "currency": "EUR",
            "lines": [["1000", "20.00"], ["3000", "-20.00"]],
            "cause": f"shares.subscription:{subscription.pk}",
            "subscription": subscription.pk,
            "member_number": number,
            "share_class": "A",
            "count": 2,
            "amount": "20.00",
            "method": "bank",
        },
    )


def test_an_approved_subscription_stays_approved_when_paid(hood, subscription):
    services.approve_subscription(
        subscription, actor=hood.carol, deed_date=datetime.date(2026, 1, 1), notary="N"
    )

    subscription = services.record_subscription_payment(subscription, actor=hood.dave)

    assert subscription.status == SubscriptionStatus.APPROVED
    assert subscription.paid_on is not None


def test_it_refuses_to_book_a_payment_twice(hood, subscription):
    services.record_subscription_payment(subscription, actor=hood.dave)
    before = ledger_rows(hood.cooperative)

    with pytest.raises(DomainError, match="cannot be paid: it is paid"):
        services.record_subscription_payment(subscription, actor=hood.dave)

    assert ledger_rows(hood.cooperative) == before


def test_only_the_treasurer_records_a_payment(hood, subscription):
    with pytest.raises(NotAllowed):
        services.record_subscription_payment(subscription, actor=hood.alice)

    assert ledger_rows(hood.cooperative) == (0, 0)
