"""Fifty members racing for the last free shares of a class, and a payment confirmed by several
webhooks at once, against the real PostgreSQL server."""

import threading
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Sum

from members import services as member_services
from members.models import Membership, User
from shares import services
from shares.models import ShareLot, Subscription, SubscriptionStatus
from shares.tests.conftest import DEED
from wijkbv.audit.chain import verify_chain
from wijkbv.audit.models import AuditEvent
from wijkbv.errors import DomainError
from wijkbv.ledger.checking import find_problems
from wijkbv.ledger.selectors import balance
from wijkbv.ledger.testing import account, euros

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACERS = 50
AUTHORISED = 12
MEMBERS = 25  # each asks twice, with a cap of one share each


def _run(threads):
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_racing_subscriptions_never_exceed_the_authorised_number_or_the_cap(hood):
    coop = hood.cooperative
    share_class = services.create_share_class(
        coop,
        actor=hood.carol,
        code="A",
        name="Resident shares",
        nominal_value=euros("10.00"),
        authorised_shares=AUTHORISED,
        max_per_member=1,
    )
    members = [
        member_services.register_resident(coop, actor=None, full_name=f"Racer {n}")
        for n in range(MEMBERS)
    ]
    events_before = AuditEvent.objects.filter(cooperative=coop).count()
    start = threading.Barrier(RACERS)
    failures, refused = [], Counter()

    def race(number):
        try:
            membership = Membership.objects.get(pk=members[number % MEMBERS].pk)
            start.wait()
            try:
                services.subscribe_to_shares(
                    share_class, actor=None, membership=membership, count=1
                )
            except DomainError as refusal:
                refused[refusal.code] += 1
        except Exception as error:  # reported below, with the thread's number
            failures.append((number, repr(error)))
        finally:
            connection.close()

    _run([threading.Thread(target=race, args=(n,)) for n in range(RACERS)])

    assert failures == []
    subscriptions = list(Subscription.objects.filter(cooperative=coop))
    assert len(subscriptions) == AUTHORISED
    assert max(Counter(s.membership_id for s in subscriptions).values()) == 1
    assert sum(refused.values()) == RACERS - AUTHORISED
    assert set(refused) <= {"sold_out", "over_cap"}

    treasurer, board = User.objects.get(pk=hood.dave.pk), User.objects.get(pk=hood.carol.pk)
    for subscription in subscriptions:
        services.record_subscription_payment(subscription, actor=treasurer)
        services.approve_subscription(subscription, actor=board, **DEED)
        services.issue_shares(subscription, actor=treasurer)

    issued = ShareLot.objects.filter(share_class=share_class, held_until__isnull=True)
    assert issued.aggregate(total=Sum("count"))["total"] == AUTHORISED
    numbers = sorted(
        n for lot in issued for n in range(lot.first_certificate, lot.last_certificate + 1)
    )
    assert numbers == list(range(1, AUTHORISED + 1))
    assert balance(account(coop, "1000")) == euros(10 * AUTHORISED)
    assert find_problems(coop).problems == []
    events = AuditEvent.objects.filter(cooperative=coop)
    assert events.count() == events_before + AUTHORISED * 4
    assert list(events.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, events.count() + 1)
    )
    assert verify_chain(coop).broken is None


def test_a_payment_confirmed_by_several_webhooks_at_once_is_booked_once(hood):
    share_class = services.create_share_class(
        hood.cooperative,
        actor=hood.carol,
        code="A",
        name="Resident shares",
        nominal_value=euros("10.00"),
        authorised_shares=10,
    )
    subscription = services.subscribe_to_shares(share_class, actor=hood.alice, count=2)
    start = threading.Barrier(8)
    failures = []

    def confirm(number):
        try:
            start.wait()
            services.confirm_stripe_subscription_payment(
                Subscription.objects.get(pk=subscription.pk),
                amount=euros("20.00"),
                payment_reference="pi_race",
            )
        except Exception as error:  # reported below, with the thread's number
            failures.append((number, repr(error)))
        finally:
            connection.close()

    _run([threading.Thread(target=confirm, args=(n,)) for n in range(8)])

    assert failures == []
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.PAID
    assert balance(account(hood.cooperative, "1100")) == euros("20.00")
    assert find_problems(hood.cooperative).problems == []
    assert verify_chain(hood.cooperative).broken is None
