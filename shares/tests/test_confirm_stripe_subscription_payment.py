import pytest

from shares import services
from shares.models import PaymentMethod, SubscriptionStatus
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError
from wijkbv.ledger.selectors import balance
from wijkbv.ledger.testing import account, euros, ledger_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(hood, a_class):
    return services.subscribe_to_shares(
        a_class, actor=hood.alice, count=1, method=PaymentMethod.STRIPE
    )


def test_the_system_books_a_stripe_payment_to_share_capital(hood, subscription):
    with captures_events(hood.cooperative) as events:
        subscription = services.confirm_stripe_subscription_payment(
            subscription, amount=euros("10.00"), payment_reference="pi_123"
        )

    assert subscription.status == SubscriptionStatus.PAID
    assert subscription.external_reference == "pi_123"
    assert balance(account(hood.cooperative, "1100")) == euros("10.00")
    event = assert_audit_event(events, action="shares.subscription_paid", actor=None)
    assert event.payload["lines"] == [["1100", "10.00"], ["3000", "-10.00"]]
    assert event.payload["method"] == "stripe"
    assert event.payload["payment_reference"] == "pi_123"


def test_a_second_confirmation_changes_nothing(hood, subscription):
    services.confirm_stripe_subscription_payment(
        subscription, amount=euros("10.00"), payment_reference="pi_123"
    )
    before = ledger_rows(hood.cooperative)

    with captures_events(hood.cooperative) as events:
        again = services.confirm_stripe_subscription_payment(
            subscription, amount=euros("10.00"), payment_reference="pi_123"
        )

    assert again.status == SubscriptionStatus.PAID
    assert events == []
    assert ledger_rows(hood.cooperative) == before


def test_it_refuses_an_amount_that_is_not_the_price(hood, subscription):
    with pytest.raises(DomainError, match="is not the"):
        services.confirm_stripe_subscription_payment(
            subscription, amount=euros("9.99"), payment_reference="pi_123"
        )

    assert ledger_rows(hood.cooperative) == (0, 0)


def test_it_refuses_a_payment_for_a_cancelled_subscription(hood, subscription):
    services.cancel_subscription(subscription, actor=hood.alice)

    with pytest.raises(DomainError, match="cannot be paid"):
        services.confirm_stripe_subscription_payment(
            subscription, amount=euros("10.00"), payment_reference="pi_123"
        )
