"""PostgreSQL checks a posting's transaction and account once per statement (migration 0009, ADR
0067), as strictly as the foreign keys did: a posting naming a transaction or an account that
does not exist is refused with its statement, and an account with postings is never deleted,
not even by a delete that started while the postings were being written."""

import pytest
from django.db import IntegrityError, connection, transaction

from wijkbv.ledger import services
from wijkbv.ledger.models import Account, AccountType, Transaction
from wijkbv.ledger.testing import account, ledger_rows
from wijkbv.ledger.tests.test_rules_per_statement import (
    DAY,
    _balanced,
    _postings,
    _refused_whole,
    _transactions,
)
from wijkbv.postgres_testing import delete_racing

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bank(hood):
    return account(hood.cooperative, "1000")


@pytest.fixture
def gifts(hood):
    return account(hood.cooperative, "8000")


def _unused_account(hood, code="8990"):
    return services.open_account(
        hood.cooperative, actor=hood.dave, code=code, name="Spare", type=AccountType.INCOME
    )


def _delete_account(pk):
    """Delete an account as a hand-written query would: its balance row first."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_balance WHERE account_id = %s", [pk])
        cursor.execute("DELETE FROM ledger_account WHERE id = %s", [pk])


def test_it_refuses_whole_a_statement_with_a_posting_on_an_account_that_does_not_exist(
    hood, bank, gifts
):
    missing = Account.objects.order_by("-pk").first().pk + 1000

    def write():
        booked = _transactions(hood.cooperative, 5)
        lines = _balanced(booked, bank, gifts)
        lines[7] = (booked[3], Account(pk=missing, currency="EUR"), "-5.00")
        _postings(lines)

    _refused_whole(hood, f"posting [0-9]+ refused: account {missing} does not exist", write)


def test_it_refuses_whole_a_statement_with_a_posting_on_a_transaction_that_does_not_exist(
    hood, bank, gifts
):
    def write():
        booked = _transactions(hood.cooperative, 4)
        lines = _balanced(booked, bank, gifts)
        ghost = _transactions(hood.cooperative, 1)[0]
        ghost.pk += 1000
        lines += [(ghost, bank, "1.00"), (ghost, gifts, "-1.00")]
        _postings(lines)

    _refused_whole(hood, "refused: ledger transaction [0-9]+ does not exist", write)


def test_an_account_without_postings_can_be_deleted_and_one_with_postings_cannot(hood, bank, gifts):
    spare = _unused_account(hood)
    with transaction.atomic():
        _delete_account(spare.pk)
    assert not Account.objects.filter(pk=spare.pk).exists()

    with transaction.atomic():
        _postings(_balanced(_transactions(hood.cooperative, 1), bank, gifts))
    before = ledger_rows(hood.cooperative)
    with pytest.raises(IntegrityError, match=f"account {gifts.pk} has postings"):
        with transaction.atomic():
            _delete_account(gifts.pk)
    assert Account.objects.filter(pk=gifts.pk).exists()
    assert ledger_rows(hood.cooperative) == before


def test_an_account_with_postings_keeps_its_id(hood, bank, gifts):
    with transaction.atomic():
        _postings(_balanced(_transactions(hood.cooperative, 1), bank, gifts))
    with pytest.raises(IntegrityError, match="cannot be deleted or given another id"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE ledger_account SET id = id + 100000 WHERE id = %s", [gifts.pk])
    # A change of its other columns is not this rule's business.
    Account.objects.filter(pk=gifts.pk).update(name="Giften")
    assert Account.objects.get(pk=gifts.pk).name == "Giften"


def test_a_delete_that_waits_for_postings_being_written_is_refused_when_they_commit(hood, bank):
    """The booking locks the account as its foreign key did: the delete waits, then sees the
    postings and is refused; the books keep both."""
    spare = _unused_account(hood)
    error = delete_racing(
        lambda: _postings(_balanced(_transactions(hood.cooperative, 3), bank, spare)),
        lambda: _delete_account(spare.pk),
    )
    assert f"account {spare.pk} has postings" in error
    assert Account.objects.filter(pk=spare.pk).exists()
    assert spare.postings.count() == 3


def test_it_refuses_whole_a_statement_with_a_transaction_of_a_cooperative_that_does_not_exist(
    hood,
):
    from members.models import Cooperative

    missing = Cooperative.objects.order_by("-pk").first().pk + 1000

    def write():
        Transaction.objects.bulk_create(
            [
                Transaction(cooperative_id=pk, booking_date=DAY, description="x", action="x")
                for pk in (hood.cooperative.pk, missing, hood.cooperative.pk)
            ]
        )

    _refused_whole(hood, f"refused: cooperative {missing} does not exist", write)


def test_a_cooperative_with_transactions_is_neither_deleted_nor_given_another_id(hood, bank, gifts):
    with transaction.atomic():
        _postings(_balanced(_transactions(hood.cooperative, 1), bank, gifts))
    pk = hood.cooperative.pk
    for sql in (
        "DELETE FROM members_cooperative WHERE id = %s",
        "UPDATE members_cooperative SET id = id + 100000 WHERE id = %s",
    ):
        with pytest.raises(IntegrityError, match=f"cooperative {pk} has ledger transactions"):
            with transaction.atomic(), connection.cursor() as cursor:
                # Its audit events would refuse it first (audit migration 0009): this rule is
                # the ledger's own, so the chain's is set aside, for this transaction only.
                cursor.execute(
                    "ALTER TABLE members_cooperative DISABLE TRIGGER audit_cooperative_with_events"
                )
                cursor.execute(sql, [pk])
    assert ledger_rows(hood.cooperative) == (1, 2)
