"""PostgreSQL checks the ledger's rules once per statement: a statement that writes many rows is
refused whole when one of them breaks a rule, and the check at commit still sees every
transaction, however and in how many statements it was written."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from wijkbv.ledger import services
from wijkbv.ledger.models import AccountType, Posting, Purpose, Transaction
from wijkbv.ledger.testing import account, ledger_rows

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DAY = datetime.date(2026, 3, 14)


@pytest.fixture
def bank(hood):
    return account(hood.cooperative, "1000")


@pytest.fixture
def gifts(hood):
    return account(hood.cooperative, "8000")


def _transactions(cooperative, count, booking_date=DAY):
    """`count` transactions written in one INSERT."""
    return Transaction.objects.bulk_create(
        [
            Transaction(
                cooperative=cooperative,
                booking_date=booking_date,
                description="by hand",
                action="x",
            )
            for _ in range(count)
        ]
    )


def _unsaved_postings(lines):
    return [
        Posting(
            transaction=booked,
            account=posted_on,
            amount=Decimal(amount),
            currency=posted_on.currency,
            booking_date=booked.booking_date,
        )
        for booked, posted_on, amount in lines
    ]


def _postings(lines):
    """Postings (transaction, account, amount) written in one INSERT."""
    return Posting.objects.bulk_create(_unsaved_postings(lines))


def _balanced(booked, bank, gifts):
    return [line for one in booked for line in ((one, bank, "5.00"), (one, gifts, "-5.00"))]


def _refused_whole(hood, message, write):
    before = ledger_rows(hood.cooperative)
    with pytest.raises(IntegrityError, match=message):
        with transaction.atomic():
            write()
    assert ledger_rows(hood.cooperative) == before


def test_it_accepts_many_balanced_transactions_written_in_two_statements(hood, bank, gifts):
    with transaction.atomic():
        booked = _transactions(hood.cooperative, 50)
        _postings(_balanced(booked, bank, gifts))
    assert ledger_rows(hood.cooperative) == (50, 100)


def test_it_refuses_whole_a_statement_with_one_transaction_in_a_closed_period(hood, bank, gifts):
    services.close_period(hood.cooperative, actor=hood.dave, until=DAY)

    def write():
        booked = _transactions(hood.cooperative, 3, booking_date=DAY + datetime.timedelta(days=1))
        booked += _transactions(hood.cooperative, 1, booking_date=DAY)
        _postings(_balanced(booked, bank, gifts))

    _refused_whole(hood, "is booked on 2026-03-14, in a closed period", write)


def test_it_refuses_whole_a_statement_when_one_of_its_transactions_is_closed(hood):
    services.close_period(hood.cooperative, actor=hood.dave, until=DAY)
    later = DAY + datetime.timedelta(days=1)

    def write():
        Transaction.objects.bulk_create(
            [
                Transaction(
                    cooperative=hood.cooperative, booking_date=date, description="x", action="x"
                )
                for date in (later, DAY, later)
            ]
        )

    _refused_whole(hood, "in a closed period", write)


def test_it_refuses_at_commit_one_unbalanced_transaction_among_many(hood, bank, gifts):
    def write():
        booked = _transactions(hood.cooperative, 20)
        lines = _balanced(booked, bank, gifts)
        lines[21] = (booked[10], gifts, "-4.99")
        _postings(lines)

    _refused_whole(hood, r"does not sum to zero: 0\.01", write)


def test_it_refuses_at_commit_a_transaction_without_postings_among_many(hood, bank, gifts):
    def write():
        booked = _transactions(hood.cooperative, 5)
        _postings(_balanced(booked[:2] + booked[3:], bank, gifts))

    _refused_whole(hood, "has 0 posting", write)


def test_it_refuses_at_commit_a_posting_on_another_cooperatives_account_among_many(
    hood, bank, gifts
):
    theirs = account(hood.other, "8000")

    def write():
        booked = _transactions(hood.cooperative, 5)
        lines = _balanced(booked, bank, gifts)
        lines[5] = (booked[2], theirs, "-5.00")
        _postings(lines)

    _refused_whole(hood, "differs from its account or transaction", write)


def test_it_refuses_at_commit_a_posting_on_another_day_than_its_transaction(hood, bank, gifts):
    def write():
        booked = _transactions(hood.cooperative, 3)
        postings = _unsaved_postings(_balanced(booked, bank, gifts))
        for posting in postings[2:4]:
            posting.booking_date = DAY + datetime.timedelta(days=1)
        Posting.objects.bulk_create(postings)

    _refused_whole(hood, "differs from its account or transaction", write)


def test_it_refuses_at_commit_a_project_budget_below_zero_among_many(hood, bank, gifts):
    project = services.open_account(
        hood.cooperative,
        actor=hood.dave,
        code="2101",
        name="Buurtmoestuin",
        type=AccountType.LIABILITY,
        purpose=Purpose.PROJECT_BUDGET,
    )

    def write():
        booked = _transactions(hood.cooperative, 4)
        lines = _balanced(booked, bank, gifts)
        lines[4:6] = [(booked[2], project, "5.00"), (booked[2], bank, "-5.00")]
        _postings(lines)

    _refused_whole(hood, "takes project budget 2101 below zero", write)


def test_it_refuses_at_commit_an_unbalanced_transaction_written_after_a_balanced_run(
    hood, bank, gifts
):
    def write():
        booked = _transactions(hood.cooperative, 10)
        _postings(_balanced(booked, bank, gifts))
        (late,) = _transactions(hood.cooperative, 1)
        _postings([(late, bank, "5.00")])

    _refused_whole(hood, "has 1 posting", write)


def test_it_refuses_whole_postings_that_add_to_an_earlier_transaction(hood, bank, gifts):
    with transaction.atomic():
        (earlier,) = _transactions(hood.cooperative, 1)
        _postings(_balanced([earlier], bank, gifts))

    def write():
        booked = _transactions(hood.cooperative, 3)
        lines = _balanced(booked, bank, gifts)
        lines.insert(3, (earlier, bank, "1.00"))
        _postings(lines)

    _refused_whole(hood, f"ledger transaction {earlier.pk} is already booked", write)


def test_a_savepoint_rolled_back_takes_its_unbalanced_transaction_with_it(hood, bank, gifts):
    with transaction.atomic():
        booked = _transactions(hood.cooperative, 2)
        _postings(_balanced(booked, bank, gifts))
        with pytest.raises(IntegrityError):
            with transaction.atomic():
                _transactions(hood.cooperative, 3)
                raise IntegrityError("given up")
        later = _transactions(hood.cooperative, 2)
        _postings(_balanced(later, bank, gifts))
    assert ledger_rows(hood.cooperative) == (4, 8)


def test_it_checks_each_transaction_at_once_when_the_rule_is_made_immediate(hood, bank, gifts):
    def write():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ledger_transaction_balanced IMMEDIATE")
        _transactions(hood.cooperative, 3)

    _refused_whole(hood, "has 0 posting", write)
