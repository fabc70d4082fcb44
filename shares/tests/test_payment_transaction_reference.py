"""PostgreSQL checks a subscription's payment transaction once per statement (migration 0006,
ADR 0067): a subscription said to be paid by a ledger transaction that does not exist is refused
with the statement that wrote it, and nothing changes."""

import pytest
from django.db import IntegrityError, transaction

from shares import services
from shares.models import Subscription
from wijkbv.ledger.models import Transaction

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _rows():
    return list(Subscription.objects.order_by("pk").values_list("status", "payment_transaction"))


def test_it_refuses_whole_an_update_naming_a_payment_transaction_that_does_not_exist(hood, a_class):
    for _ in range(3):
        services.subscribe_to_shares(a_class, actor=hood.alice, count=1)
    missing = (Transaction.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    before = _rows()
    with pytest.raises(IntegrityError, match=f"ledger transaction {missing} does not exist"):
        with transaction.atomic():
            Subscription.objects.filter(pk=Subscription.objects.order_by("pk")[1].pk).update(
                payment_transaction_id=missing
            )
    assert _rows() == before


def test_a_payment_transaction_that_exists_is_accepted(hood, a_class):
    subscription = services.subscribe_to_shares(a_class, actor=hood.alice, count=1)
    paid = services.record_subscription_payment(subscription, actor=hood.dave)
    assert Subscription.objects.get(pk=subscription.pk).payment_transaction_id == (
        paid.payment_transaction.pk
    )
