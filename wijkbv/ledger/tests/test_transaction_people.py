"""PostgreSQL checks the people a transaction names, its author and whom it was booked for, once
per statement (migration 0010, ADR 0070), as strictly as the foreign keys did: a transaction
naming a user that does not exist is refused with its statement, and a user named by the books
is never deleted or given another id, not even by a delete that started while the bookings were
being written."""

import pytest
from django.db import IntegrityError, connection, transaction

from members.models import User
from wijkbv.ledger.models import Transaction
from wijkbv.ledger.testing import account, ledger_rows
from wijkbv.ledger.tests.test_rules_per_statement import DAY, _balanced, _postings, _refused_whole
from wijkbv.postgres_testing import delete_racing

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _bare_user(email="nobody@example.org"):
    """A user with no membership, no login and nothing else naming it."""
    return User.objects.create_user(email=email, full_name="Nobody")


def _booked_by(cooperative, people):
    """One balanced transaction per (created_by, on_behalf_of) pair, written in one INSERT."""
    booked = Transaction.objects.bulk_create(
        [
            Transaction(
                cooperative=cooperative,
                booking_date=DAY,
                description="by hand",
                action="x",
                created_by_id=author,
                on_behalf_of_id=behalf,
            )
            for author, behalf in people
        ]
    )
    _postings(_balanced(booked, account(cooperative, "1000"), account(cooperative, "8000")))
    return booked


def _delete_user(pk):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM members_user WHERE id = %s", [pk])


def test_transactions_naming_people_that_exist_are_booked(hood):
    with transaction.atomic():
        _booked_by(hood.cooperative, [(hood.dave.pk, None), (hood.dave.pk, hood.alice.pk)])
    assert Transaction.objects.filter(created_by=hood.dave, action="x").count() == 2
    assert Transaction.objects.filter(on_behalf_of=hood.alice, action="x").count() == 1


@pytest.mark.parametrize("column", ["author", "on behalf of"])
def test_it_refuses_whole_a_statement_naming_a_user_that_does_not_exist(hood, column):
    missing = User.objects.order_by("-pk").first().pk + 1000
    people = [(hood.dave.pk, None)] * 5
    people[3] = (missing, None) if column == "author" else (hood.dave.pk, missing)
    _refused_whole(
        hood,
        f"ledger transaction [0-9]+ refused: user {missing} does not exist",
        lambda: _booked_by(hood.cooperative, people),
    )


def test_the_person_index_holds_only_bookings_made_on_someones_behalf(hood):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'transaction_on_behalf_of'"
        )
        (definition,) = cursor.fetchone()
    assert definition.endswith("WHERE (on_behalf_of_id IS NOT NULL)")


@pytest.mark.parametrize("column", ["author", "on behalf of"])
def test_a_user_named_by_a_transaction_is_neither_deleted_nor_given_another_id(hood, column):
    nobody = _bare_user()
    with transaction.atomic():
        _delete_user(nobody.pk)
    assert not User.objects.filter(pk=nobody.pk).exists()

    named = _bare_user("named@example.org")
    with transaction.atomic():
        _booked_by(
            hood.cooperative,
            [(named.pk, None) if column == "author" else (hood.dave.pk, named.pk)],
        )
    before = ledger_rows(hood.cooperative)
    for sql in (
        "DELETE FROM members_user WHERE id = %s",
        "UPDATE members_user SET id = id + 100000 WHERE id = %s",
    ):
        with pytest.raises(IntegrityError, match=f"user {named.pk} is named by ledger"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [named.pk])
    assert User.objects.filter(pk=named.pk).exists()
    assert ledger_rows(hood.cooperative) == before


def test_a_delete_that_waits_for_bookings_being_written_is_refused_when_they_commit(hood):
    """The booking locks the user as its foreign key did: the delete waits, then sees the
    transactions and is refused; the books keep both."""
    named = _bare_user("named@example.org")
    error = delete_racing(
        lambda: _booked_by(hood.cooperative, [(named.pk, None)] * 3),
        lambda: _delete_user(named.pk),
    )
    assert f"user {named.pk} is named by ledger transactions" in error
    assert User.objects.filter(pk=named.pk).exists()
    assert Transaction.objects.filter(created_by=named).count() == 3
