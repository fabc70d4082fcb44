"""Eight people booking, reversing and spending one project budget at the same moment, on the
same accounts, against the real PostgreSQL server."""

import datetime
import random
import threading

import pytest
from django.db import connection
from django.db.models import Count, Sum

from members.models import User
from wijkbv.audit.chain import verify_chain
from wijkbv.audit.models import AuditEvent
from wijkbv.errors import DomainError
from wijkbv.ledger import services
from wijkbv.ledger.checking import find_problems
from wijkbv.ledger.lines import credit, debit
from wijkbv.ledger.models import AccountType, Balance, Posting, Purpose, Transaction
from wijkbv.ledger.selectors import balance
from wijkbv.ledger.testing import account, euros

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8
ROUNDS = 12
DAY = datetime.date(2026, 3, 14)


def test_concurrent_bookings_keep_the_books_balanced_and_the_chain_whole(hood):
    coop = hood.cooperative
    accounts = [account(coop, code) for code in ("1000", "1100", "1200", "8000", "4000")]
    project = services.open_account(
        coop,
        actor=hood.dave,
        code="2101",
        name="Buurtmoestuin",
        type=AccountType.LIABILITY,
        purpose=Purpose.PROJECT_BUDGET,
    )
    services.post_transaction(
        coop,
        actor=hood.dave,
        booking_date=DAY,
        description="Allocation",
        lines=[debit(account(coop, "2000"), euros(100)), credit(project, euros(100))],
    )
    events_before = AuditEvent.objects.filter(cooperative=coop).count()
    start = threading.Barrier(THREADS)
    failures, spent, refused, done = [], [], [], []

    def work(number):
        try:
            treasurer = User.objects.get(pk=hood.dave.pk)
            rng = random.Random(number)
            start.wait()
            for round_ in range(ROUNDS):
                if round_ % 4 == 3:
                    try:
                        services.post_transaction(
                            coop,
                            actor=treasurer,
                            booking_date=DAY,
                            description="Seeds",
                            lines=[debit(project, euros(7)), credit(accounts[0], euros(7))],
                        )
                        spent.append(7)
                    except DomainError:
                        refused.append(number)
                    continue
                first, second = rng.sample(accounts, 2)
                amount = euros(rng.randint(1, 5000) / 100)
                booked = services.post_transaction(
                    coop,
                    actor=treasurer,
                    booking_date=DAY,
                    description=f"Booking {number}.{round_}",
                    lines=[debit(first, amount), credit(second, amount)],
                )
                done.append(1)
                if round_ % 3 == 0:
                    services.reverse_transaction(booked, actor=treasurer, reason="test")
                    done.append(1)
        except Exception as error:  # reported below, with the thread's number
            failures.append((number, repr(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    # Every transaction has two or more postings summing to zero.
    sums = Posting.objects.values("transaction_id").annotate(total=Sum("amount"), n=Count("id"))
    assert sums.count() == Transaction.objects.count()
    assert all(row["total"] == 0 and row["n"] >= 2 for row in sums)
    # Every balance equals the sum of its postings; the project budget never went below zero.
    for row in Balance.objects.filter(account__cooperative=coop):
        posted = Posting.objects.filter(account_id=row.account_id).aggregate(t=Sum("amount"))["t"]
        assert row.amount == (posted or 0)
    assert sum(spent) <= 100
    assert balance(project) == euros(-100 + sum(spent))
    assert len(spent) == 14 and len(refused) == THREADS * (ROUNDS // 4) - 14
    # One event per booking, gapless and linked.
    events = AuditEvent.objects.filter(cooperative=coop)
    assert events.count() == events_before + len(done) + len(spent)
    seqs = list(events.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert verify_chain(coop).broken is None
    assert find_problems(coop).problems == []
