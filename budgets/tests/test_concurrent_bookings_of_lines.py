"""Bookings of one bank line racing on the real PostgreSQL server: the line's row lock makes
each booking see the one before it, so a line is booked once, as one transaction."""

from collections import Counter

import pytest

from budgets import services
from budgets.models import BankLine, BankLineStatus
from budgets.tests.bank_lines import bank_account, import_lines, other, pays, subscription
from wijkbv.audit.chain import verify_chain
from wijkbv.audit.models import AuditEvent
from wijkbv.ledger.models import Account, AccountType, Transaction
from wijkbv.racing import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACERS = 8


def test_one_line_booked_at_once_is_booked_once(hood):
    bank_account(hood)
    (rent,) = import_lines(hood, other("30.00"))
    income = Account.objects.filter(cooperative=hood.cooperative, type=AccountType.INCOME).first()
    before = Transaction.objects.count()
    refused, failures = race(
        lambda n: services.book_bank_line(rent, actor=hood.dave, account=income), RACERS
    )
    assert failures == []
    assert refused == Counter({"already_booked": RACERS - 1})
    assert Transaction.objects.count() == before + 1
    rent.refresh_from_db()
    assert rent.status == BankLineStatus.BOOKED
    assert AuditEvent.objects.filter(action="bank.line_booked").count() == 1
    assert verify_chain(hood.cooperative).broken is None


def test_matching_run_at_once_books_the_subscription_once(hood):
    bank_account(hood)
    wanted = subscription(hood)
    import_lines(hood, pays(wanted))
    refused, failures = race(
        lambda n: services.match_bank_lines(hood.cooperative, actor=hood.dave), RACERS
    )
    assert failures == []
    assert refused == Counter()
    assert AuditEvent.objects.filter(action="shares.subscription_paid").count() == 1
    assert AuditEvent.objects.filter(action="bank.lines_matched").count() == RACERS
    assert BankLine.objects.get().status == BankLineStatus.BOOKED
    assert verify_chain(hood.cooperative).broken is None
