"""Which status Stripe's report of a PaymentIntent means, and which changes go forward."""

from types import SimpleNamespace

import pytest
from moneyed import Money

from wijkbv.errors import DomainError
from wijkbv.payments.models import Payment, PaymentStatus
from wijkbv.payments.states import moves_forward, reported_status

PAYMENT = Payment(amount=Money("12.50", "EUR"))


def intent(status, *, refunded=0, error=None, amount=1250, currency="eur"):
    charge = SimpleNamespace(amount_refunded=refunded)
    return SimpleNamespace(
        status=status,
        amount=amount,
        currency=currency,
        latest_charge=charge,
        last_payment_error=error,
    )


@pytest.mark.parametrize(
    ("reported", "expected"),
    [
        (intent("requires_payment_method"), PaymentStatus.CREATED),
        (intent("requires_payment_method", error={"code": "card_declined"}), PaymentStatus.FAILED),
        (intent("requires_action"), PaymentStatus.CREATED),
        (intent("processing"), PaymentStatus.PROCESSING),
        (intent("canceled"), PaymentStatus.FAILED),
        (intent("succeeded"), PaymentStatus.SUCCEEDED),
        (intent("succeeded", refunded=500), PaymentStatus.SUCCEEDED),
        (intent("succeeded", refunded=1250), PaymentStatus.REFUNDED),
    ],
)
def test_it_reads_stripes_report(reported, expected):
    assert reported_status(PAYMENT, reported) == expected


def test_it_refuses_a_report_of_another_amount():
    with pytest.raises(DomainError, match="another amount"):
        reported_status(PAYMENT, intent("succeeded", amount=1000))


@pytest.mark.parametrize(
    ("current", "target", "moves"),
    [
        ("created", "succeeded", True),
        ("created", "refunded", True),
        ("failed", "processing", True),
        ("processing", "failed", True),
        ("failed", "succeeded", True),
        ("succeeded", "refunded", True),
        ("succeeded", "succeeded", False),
        ("succeeded", "processing", False),
        ("refunded", "succeeded", False),
        ("succeeded", "created", False),
    ],
)
def test_a_payment_only_moves_forward(current, target, moves):
    assert moves_forward(current, target) is moves
