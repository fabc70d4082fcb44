"""PostgreSQL keeps the audit chain append-only and linked, whoever writes to it."""

import pytest
from django.db import IntegrityError, connection, transaction

from wijkbv.audit.canonical import event_hash
from wijkbv.audit.models import AuditEvent, ChainHead

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _sql(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def first(hood):
    return AuditEvent.objects.get(cooperative=hood.cooperative, seq=1)


def test_it_refuses_to_change_an_event(first):
    with pytest.raises(IntegrityError, match="UPDATE on audit_auditevent refused"):
        AuditEvent.objects.filter(pk=first.pk).update(action="something.else")
    assert AuditEvent.objects.get(pk=first.pk).action == first.action


def test_it_refuses_to_delete_an_event(first):
    with pytest.raises(IntegrityError, match="DELETE on audit_auditevent refused"):
        _sql("DELETE FROM audit_auditevent WHERE id = %s", [first.pk])
    assert AuditEvent.objects.filter(pk=first.pk).exists()


def test_it_refuses_to_delete_a_chain_head(hood):
    with pytest.raises(IntegrityError, match="DELETE on audit_chainhead refused"):
        _sql("DELETE FROM audit_chainhead WHERE cooperative_id = %s", [hood.cooperative.pk])


def _event_after(head, **changes):
    event = {
        "cooperative": head.label,
        "seq": head.seq + 1,
        "time": "2026-03-14T09:00:00.000000+00:00",
        "actor": "system",
        "on_behalf_of": "",
        "action": "by.hand",
        "subject": "",
        "payload": {},
    } | changes
    return AuditEvent(
        cooperative_id=head.cooperative_id,
        seq=event["seq"],
        time=event["time"],
        actor="system",
        action="by.hand",
        payload={},
        prev_hash=head.hash,
        hash=event_hash(head.hash, event),
    )


def test_it_refuses_an_event_that_skips_a_seq(hood):
    head = ChainHead.objects.get(cooperative=hood.cooperative)
    skipping = _event_after(head, seq=head.seq + 2)
    skipping.seq = head.seq + 2
    with pytest.raises(IntegrityError, match="is not the next link of its chain"):
        skipping.save()
    assert AuditEvent.objects.filter(cooperative=hood.cooperative).count() == head.seq


def test_it_refuses_an_event_that_does_not_link_to_the_head(hood):
    head = ChainHead.objects.get(cooperative=hood.cooperative)
    unlinked = _event_after(head)
    unlinked.prev_hash = "0" * 64
    with pytest.raises(IntegrityError, match="is not the next link of its chain"):
        unlinked.save()


def test_the_head_only_moves_to_the_next_event(hood):
    head = ChainHead.objects.get(cooperative=hood.cooperative)
    with pytest.raises(IntegrityError, match="may only move to its next event"):
        ChainHead.objects.filter(pk=head.pk).update(seq=head.seq - 1)
    with pytest.raises(IntegrityError, match="may only move to its next event"):
        ChainHead.objects.filter(pk=head.pk).update(seq=head.seq + 1, hash="f" * 64)
    with transaction.atomic():
        following = _event_after(head)
        following.save()
        ChainHead.objects.filter(pk=head.pk).update(seq=following.seq, hash=following.hash)
    assert ChainHead.objects.get(pk=head.pk).seq == head.seq + 1


def _run_after(head, count):
    """`count` events that follow `head` one after another."""
    events, prev = [], head
    for _ in range(count):
        event = _event_after(prev)
        events.append(event)
        prev = ChainHead(
            cooperative_id=head.cooperative_id, label=head.label, seq=event.seq, hash=event.hash
        )
    return events


def test_a_run_of_events_is_appended_and_the_head_moves_once(hood):
    head = ChainHead.objects.get(cooperative=hood.cooperative)
    run = _run_after(head, 3)

    with transaction.atomic():
        AuditEvent.objects.bulk_create(run)
        ChainHead.objects.filter(pk=head.pk).update(seq=run[-1].seq, hash=run[-1].hash)

    assert ChainHead.objects.get(pk=head.pk).seq == head.seq + 3


def test_it_refuses_an_event_that_extends_an_event_behind_the_head(hood):
    head = ChainHead.objects.get(cooperative=hood.cooperative)
    earlier = AuditEvent.objects.get(cooperative=hood.cooperative, seq=head.seq - 1)
    fork = _event_after(
        ChainHead(
            cooperative_id=head.cooperative_id, label=head.label, seq=earlier.seq, hash=earlier.hash
        )
    )
    fork.seq = head.seq + 1

    with pytest.raises(IntegrityError, match="is not the next link of its chain"):
        fork.save()


def test_the_head_does_not_move_past_an_event_that_is_not_there(hood):
    head = ChainHead.objects.get(cooperative=hood.cooperative)
    (following,) = _run_after(head, 1)
    following.save()

    with pytest.raises(IntegrityError, match="may only move to its next event"):
        ChainHead.objects.filter(pk=head.pk).update(seq=following.seq + 1, hash=following.hash)
