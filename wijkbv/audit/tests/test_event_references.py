"""PostgreSQL checks an event's cooperative and acting user once per statement (migration 0009,
ADR 0070), as strictly as the foreign keys did: an event naming a cooperative or a user that does
not exist is refused with its statement, and a cooperative or user named by an event is never
deleted or given another id, not even by a delete that started while the events were written."""

import pytest
from django.db import IntegrityError, connection, transaction

from members.models import Cooperative, User
from wijkbv.audit.models import AuditEvent, ChainHead
from wijkbv.audit.tests.test_chain_rules_per_statement import _head, _refused_whole, _run_after
from wijkbv.postgres_testing import delete_racing

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _bare_user(email="nobody@example.org"):
    """A user with no membership, no login and nothing else naming it."""
    return User.objects.create_user(email=email, full_name="Nobody")


def _append(hood, run):
    head = _head(hood)
    with transaction.atomic():
        AuditEvent.objects.bulk_create(run)
        ChainHead.objects.filter(pk=head.pk).update(seq=run[-1].seq, hash=run[-1].hash)


def test_a_run_naming_users_that_exist_is_appended(hood):
    run = _run_after(_head(hood), 4)
    for event in run:
        event.actor_user_id = hood.dave.pk
    _append(hood, run)
    assert AuditEvent.objects.filter(actor_user=hood.dave, action="by.hand").count() == 4


def test_it_refuses_whole_a_run_with_an_event_of_a_user_that_does_not_exist(hood):
    missing = User.objects.order_by("-pk").first().pk + 1000
    run = _run_after(_head(hood), 5)
    for event in run:
        event.actor_user_id = hood.dave.pk
    run[3].actor_user_id = missing
    _refused_whole(
        hood, run, f"seq {run[3].seq} of cooperative [0-9]+ refused: user {missing} does not exist"
    )


def test_it_refuses_an_event_of_a_cooperative_that_does_not_exist(hood):
    """Said as such, before the chain rule finds that it has no chain either."""
    missing = Cooperative.objects.order_by("-pk").first().pk + 1000
    run = _run_after(_head(hood), 3)
    run[1].cooperative_id = missing
    _refused_whole(hood, run, f"refused: cooperative {missing} does not exist")


def test_a_user_without_events_can_be_deleted_and_one_with_events_cannot(hood):
    nobody = _bare_user()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM members_user WHERE id = %s", [nobody.pk])
    assert not User.objects.filter(pk=nobody.pk).exists()

    acting = _bare_user("acting@example.org")
    run = _run_after(_head(hood), 1)
    run[0].actor_user_id = acting.pk
    _append(hood, run)
    for sql in (
        "DELETE FROM members_user WHERE id = %s",
        "UPDATE members_user SET id = id + 100000 WHERE id = %s",
    ):
        with pytest.raises(IntegrityError, match=f"user {acting.pk} has audit events"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [acting.pk])
    assert User.objects.filter(pk=acting.pk).exists()
    # A change of its other columns is not this rule's business.
    User.objects.filter(pk=acting.pk).update(full_name="Someone")
    assert User.objects.get(pk=acting.pk).full_name == "Someone"


def test_a_cooperative_with_events_is_neither_deleted_nor_given_another_id(hood):
    pk = hood.cooperative.pk
    before = AuditEvent.objects.filter(cooperative_id=pk).count()
    assert before > 0
    for sql in (
        "DELETE FROM members_cooperative WHERE id = %s",
        "UPDATE members_cooperative SET id = id + 100000 WHERE id = %s",
    ):
        with pytest.raises(IntegrityError, match=f"cooperative {pk} has audit events"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [pk])
    assert AuditEvent.objects.filter(cooperative_id=pk).count() == before


def test_a_delete_that_waits_for_events_being_written_is_refused_when_they_commit(hood):
    """The run locks the user as its foreign key did: the delete waits, then sees the events
    and is refused; the chain keeps both."""
    acting = _bare_user("acting@example.org")

    def append():
        run = _run_after(_head(hood), 3)
        for event in run:
            event.actor_user_id = acting.pk
        AuditEvent.objects.bulk_create(run)
        ChainHead.objects.filter(cooperative=hood.cooperative).update(
            seq=run[-1].seq, hash=run[-1].hash
        )

    def delete():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM members_user WHERE id = %s", [acting.pk])

    error = delete_racing(append, delete)
    assert f"user {acting.pk} has audit events" in error
    assert User.objects.filter(pk=acting.pk).exists()
    assert AuditEvent.objects.filter(actor_user=acting).count() == 3
