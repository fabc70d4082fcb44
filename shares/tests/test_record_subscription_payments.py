"""Many bank payments of subscriptions recorded at once write what recording them one by one
writes: the same bookings, balances, events (in the same order) and subscription rows."""

import datetime

import pytest
from django.db import transaction

from shares import services
from shares.models import Subscription, SubscriptionStatus
from wijkbv.audit.chain import verify_chain
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.checking import find_problems
from wijkbv.ledger.models import Balance, Posting, Transaction
from wijkbv.ledger.services import close_period
from wijkbv.ledger.testing import ledger_rows

pytestmark = pytest.mark.django_db

FEBRUARY = datetime.date(2026, 2, 1)
MARCH = datetime.date(2026, 3, 2)


@pytest.fixture
def subscriptions(hood, a_class):
    return [
        services.subscribe_to_shares(a_class, actor=getattr(hood, name), count=count)
        for name, count in (("alice", 2), ("bob", 1), ("carol", 3))
    ]


def _payments(subscriptions):
    return [(subscriptions[0], FEBRUARY), (subscriptions[1], MARCH), (subscriptions[2], FEBRUARY)]


def test_it_books_each_payment_with_its_own_event(hood, subscriptions):
    with captures_events(hood.cooperative) as events:
        paid = services.record_subscription_payments(
            hood.cooperative, _payments(subscriptions), actor=hood.dave
        )

    assert [event.action for event in events] == ["shares.subscription_paid"] * 3
    first = paid[0]
    assert assert_audit_event(
        events[:1],
        action="shares.subscription_paid",
        actor=hood.dave,
        subject=first.payment_transaction,
        payload={
            "transaction": first.payment_transaction.pk,
            "booking_date": "2026-02-01",
            "currency": "EUR",
            "lines": [["1000", "20.00"], ["3000", "-20.00"]],
            "cause": f"shares.subscription:{first.pk}",
            "subscription": first.pk,
            "member_number": hood.membership("alice").member_number,
            "share_class": "A",
            "count": 2,
            "amount": "20.00",
            "method": "bank",
        },
    )
    assert [each.status for each in Subscription.objects.order_by("pk")] == [
        SubscriptionStatus.PAID
    ] * 3
    assert Subscription.objects.get(pk=paid[1].pk).paid_on == MARCH


class _Undo(Exception):
    pass


def _what_was_written(cooperative, seq_after: int, transaction_after: int) -> dict:
    """The rows the payments wrote, with database keys replaced by their order and without the
    moments they were written (events, transactions), so two runs can be compared."""
    transactions = list(
        Transaction.objects.filter(cooperative=cooperative, pk__gt=transaction_after).order_by("pk")
    )
    position = {booked.pk: n for n, booked in enumerate(transactions)}
    events = AuditEvent.objects.filter(cooperative=cooperative, seq__gt=seq_after).order_by("seq")
    subscriptions = Subscription.objects.filter(cooperative=cooperative).order_by("pk")
    return {
        "transactions": [
            (b.booking_date, b.description, b.action, b.cause, b.created_by_id, b.on_behalf_of_id)
            for b in transactions
        ],
        "postings": [
            (position[p.transaction_id], p.account_id, p.amount, p.currency, p.booking_date)
            for p in Posting.objects.filter(transaction__in=transactions).order_by("pk")
        ],
        "balances": sorted(
            Balance.objects.filter(account__cooperative=cooperative).values_list(
                "account_id", "amount"
            )
        ),
        "events": [
            (
                e.seq,
                e.action,
                e.actor,
                e.actor_user_id,
                e.on_behalf_of,
                e.subject.rsplit(":", 1)[0],
                e.payload | {"transaction": position[e.payload["transaction"]]},
            )
            for e in events
        ],
        "subscriptions": [
            (
                s.status,
                s.paid_on,
                s.method,
                position[s.payment_transaction_id],
                [
                    (h.history_type, h.status, h.paid_on, h.history_user_id)
                    for h in s.history.order_by("history_id")
                ],
            )
            for s in subscriptions
        ],
    }


def test_it_writes_what_recording_them_one_by_one_writes(hood, subscriptions):
    seq = AuditEvent.objects.filter(cooperative=hood.cooperative).count()
    last = Transaction.objects.order_by("pk").values_list("pk", flat=True).last() or 0
    with pytest.raises(_Undo), transaction.atomic():
        for subscription, paid_on in _payments(subscriptions):
            services.record_subscription_payment(subscription, actor=hood.dave, paid_on=paid_on)
        one_by_one = _what_was_written(hood.cooperative, seq, last)
        raise _Undo
    last = Transaction.objects.order_by("pk").values_list("pk", flat=True).last() or 0

    services.record_subscription_payments(
        hood.cooperative, _payments(subscriptions), actor=hood.dave
    )

    assert _what_was_written(hood.cooperative, seq, last) == one_by_one
    assert verify_chain(hood.cooperative).broken is None
    assert find_problems(hood.cooperative).problems == []


def test_it_refuses_them_all_when_one_is_paid_already(hood, subscriptions):
    services.record_subscription_payment(subscriptions[1], actor=hood.dave)
    before = ledger_rows(hood.cooperative), AuditEvent.objects.count()

    with pytest.raises(DomainError, match="cannot be paid: it is paid"):
        services.record_subscription_payments(
            hood.cooperative, _payments(subscriptions), actor=hood.dave
        )

    assert (ledger_rows(hood.cooperative), AuditEvent.objects.count()) == before
    assert Subscription.objects.get(pk=subscriptions[0].pk).status == (
        SubscriptionStatus.AWAITING_PAYMENT
    )


def test_it_refuses_a_payment_in_a_closed_period(hood, subscriptions):
    close_period(hood.cooperative, actor=hood.dave, until=FEBRUARY)
    before = ledger_rows(hood.cooperative), AuditEvent.objects.count()

    with pytest.raises(DomainError, match="The books are closed up to 2026-02-01"):
        services.record_subscription_payments(
            hood.cooperative, _payments(subscriptions)[1:], actor=hood.dave
        )

    assert (ledger_rows(hood.cooperative), AuditEvent.objects.count()) == before
    assert Subscription.objects.filter(paid_on__isnull=False).count() == 0


def test_only_the_treasurer_records_payments(hood, subscriptions):
    before = AuditEvent.objects.count()

    with pytest.raises(NotAllowed):
        services.record_subscription_payments(
            hood.cooperative, _payments(subscriptions), actor=hood.alice
        )

    assert ledger_rows(hood.cooperative) == (0, 0)
    assert AuditEvent.objects.count() == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_accepts_the_run_at_commit(hood, subscriptions):
    services.record_subscription_payments(
        hood.cooperative, _payments(subscriptions), actor=hood.dave
    )

    assert verify_chain(hood.cooperative).broken is None
    assert find_problems(hood.cooperative).problems == []
    assert Subscription.objects.filter(status=SubscriptionStatus.PAID).count() == 3


@pytest.fixture
def of_one_amount(hood, a_class):
    return [
        services.subscribe_to_shares(a_class, actor=getattr(hood, name), count=2)
        for name in ("alice", "bob", "carol", "dave", "erin")
    ]


def test_payments_of_one_amount_are_each_booked_with_their_own_lines(hood, of_one_amount):
    with captures_events(hood.cooperative) as events:
        paid = services.record_subscription_payments(
            hood.cooperative, [(each, FEBRUARY) for each in of_one_amount], actor=hood.dave
        )

    assert [event.payload["lines"] for event in events] == [
        [["1000", "20.00"], ["3000", "-20.00"]]
    ] * 5
    assert [event.payload["subscription"] for event in events] == [each.pk for each in paid]
    postings = Posting.objects.filter(transaction__in=[each.payment_transaction for each in paid])
    assert sorted(postings.values_list("amount", flat=True)) == [-20] * 5 + [20] * 5
    assert find_problems(hood.cooperative).problems == []


def test_it_refuses_them_all_when_one_of_the_same_amount_is_in_another_currency(
    hood, of_one_amount
):
    Subscription.objects.filter(pk=of_one_amount[3].pk).update(currency="USD")
    before = ledger_rows(hood.cooperative), AuditEvent.objects.count()

    with pytest.raises(DomainError, match="All amounts must be in EUR"):
        services.record_subscription_payments(
            hood.cooperative, [(each, FEBRUARY) for each in of_one_amount], actor=hood.dave
        )

    assert (ledger_rows(hood.cooperative), AuditEvent.objects.count()) == before
    assert not Subscription.objects.filter(paid_on__isnull=False).exists()
