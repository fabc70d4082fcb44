"""A made-up subject to pay for, with handlers that record their calls (and book, if asked).
localstripe and its helpers come from wijkbv/payments/testing.py."""

import pytest
from django.utils import timezone

from wijkbv.ledger.lines import credit, debit
from wijkbv.ledger.models import Account, Purpose, Transaction
from wijkbv.ledger.services import post_transaction, reverse_transaction
from wijkbv.payments import handlers

TEST_SUBJECT = "paytest.thing"


class Calls(list):
    """What the test subject's handlers were asked to do, in order."""


def _register(book: bool) -> Calls:
    calls = Calls()

    def succeeded(payment, *, actor):
        calls.append(("succeeded", payment.pk))
        if book:
            cooperative = payment.cooperative
            stripe_balance = Account.objects.get(cooperative=cooperative, purpose=Purpose.STRIPE)
            income = Account.objects.get(cooperative=cooperative, code="8200")
            post_transaction(
                cooperative,
                actor=actor,
                booking_date=timezone.localdate(),
                description="Test payment",
                lines=[debit(stripe_balance, payment.amount), credit(income, payment.amount)],
                cause=payment,
            )

    def refunded(payment, *, actor, reason):
        calls.append(("refunded", payment.pk))
        if book:
            booking = Transaction.objects.get(
                cause=f"payments.payment:{payment.pk}",
                reverses__isnull=True,
                reversed_by__isnull=True,
            )
            reverse_transaction(booking, actor=actor, reason=reason)

    handlers.register(TEST_SUBJECT, succeeded=succeeded, refunded=refunded)
    return calls


@pytest.fixture
def test_subject():
    """A subject to pay for whose handlers only record that they were called."""
    yield _register(book=False)
    handlers.unregister(TEST_SUBJECT)


@pytest.fixture
def booking_subject():
    """A subject to pay for that books the money, as a real one does: the Stripe balance
    against other income, reversed on a refund."""
    yield _register(book=True)
    handlers.unregister(TEST_SUBJECT)
