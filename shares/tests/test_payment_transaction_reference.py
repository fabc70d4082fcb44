"""PostgreSQL checks a subscription's payment transaction once per statement (migration 0006,
ADR 0067): a subscription said to be paid by a ledger transaction that does not exist is refused
with the statement that wrote it, and nothing changes; so is a second subscription said to be paid
by the same transaction (migration 0007, ADR 0069), whose payment rewrites it within its page."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from shares import services
from shares.models import Subscription
from wijkbv.ledger.models import Transaction
from wijkbv.postgres_testing import storage_options, updates_of

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


def test_one_transaction_pays_one_subscription_only(hood, a_class):
    first, second = (services.subscribe_to_shares(a_class, actor=hood.alice, count=1) for _ in "ab")
    paid = services.record_subscription_payment(first, actor=hood.dave).payment_transaction
    before = _rows()
    with pytest.raises(IntegrityError, match=f"ledger transaction {paid.pk} pays more than one"):
        with transaction.atomic():
            Subscription.objects.filter(pk=second.pk).update(payment_transaction_id=paid.pk)
    assert _rows() == before
    copy = Subscription.objects.get(pk=first.pk)
    copy.pk = None
    copy.payment_reference = ""
    with pytest.raises(IntegrityError, match=f"ledger transaction {paid.pk} pays more than one"):
        with transaction.atomic():
            copy.save()
    assert _rows() == before


def test_a_subscription_is_paid_without_writing_its_indexes(hood, a_class):
    subscriptions = [services.subscribe_to_shares(a_class, actor=hood.alice, count=1) for _ in "ab"]
    with transaction.atomic(), updates_of("shares_subscription") as updates:
        services.record_subscription_payments(
            hood.cooperative,
            [(each, datetime.date.today()) for each in subscriptions],
            actor=hood.dave,
        )
    assert updates.all >= 2 and updates.in_place == updates.all
    assert storage_options("shares_subscription") == ["fillfactor=50"]
