"""PostgreSQL checks a run of events written in one statement as a whole: every event must follow
the head or another event of its chain, and a run with one bad link is refused whole."""

import pytest
from django.db import IntegrityError, transaction

from wijkbv.audit.canonical import event_hash
from wijkbv.audit.models import AuditEvent, ChainHead

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _event_after(cooperative_id, label, seq, prev_hash):
    event = {
        "cooperative": label,
        "seq": seq + 1,
        "time": "2026-03-14T09:00:00.000000+00:00",
        "actor": "system",
        "on_behalf_of": "",
        "action": "by.hand",
        "subject": "",
        "payload": {},
    }
    return AuditEvent(
        cooperative_id=cooperative_id,
        seq=seq + 1,
        time=event["time"],
        actor="system",
        action="by.hand",
        payload={},
        prev_hash=prev_hash,
        hash=event_hash(prev_hash, event),
    )


def _run_after(head, count):
    """`count` events that follow `head` one after another."""
    events, seq, prev_hash = [], head.seq, head.hash
    for _ in range(count):
        event = _event_after(head.cooperative_id, head.label, seq, prev_hash)
        events.append(event)
        seq, prev_hash = event.seq, event.hash
    return events


def _head(hood):
    return ChainHead.objects.get(cooperative=hood.cooperative)


def _refused_whole(hood, run, message="is not the next link of its chain"):
    before = AuditEvent.objects.count()
    with pytest.raises(IntegrityError, match=message):
        with transaction.atomic():
            AuditEvent.objects.bulk_create(run)
    assert AuditEvent.objects.count() == before


def test_a_run_written_in_two_statements_is_appended(hood):
    head = _head(hood)
    run = _run_after(head, 6)

    with transaction.atomic():
        AuditEvent.objects.bulk_create(run[:3])
        AuditEvent.objects.bulk_create(run[3:])
        ChainHead.objects.filter(pk=head.pk).update(seq=run[-1].seq, hash=run[-1].hash)

    assert _head(hood).seq == head.seq + 6


def test_a_run_is_appended_whatever_the_order_of_its_rows(hood):
    head = _head(hood)
    run = _run_after(head, 4)

    with transaction.atomic():
        AuditEvent.objects.bulk_create(list(reversed(run)))
        ChainHead.objects.filter(pk=head.pk).update(seq=run[-1].seq, hash=run[-1].hash)

    assert _head(hood).seq == head.seq + 4


def test_it_refuses_a_run_with_a_gap_in_the_middle(hood):
    run = _run_after(_head(hood), 6)
    del run[3]
    _refused_whole(hood, run, f"seq {run[3].seq} of cooperative")


def test_it_refuses_a_run_with_a_wrong_prev_hash_in_the_middle(hood):
    run = _run_after(_head(hood), 5)
    run[2].prev_hash = "0" * 64
    _refused_whole(hood, run, f"seq {run[2].seq} of cooperative")


def test_it_refuses_a_run_whose_first_event_does_not_follow_the_head(hood):
    head = _head(hood)
    run = _run_after(
        ChainHead(
            cooperative_id=head.cooperative_id, label=head.label, seq=head.seq + 1, hash=head.hash
        ),
        3,
    )
    _refused_whole(hood, run)


def test_it_refuses_a_run_with_an_event_of_another_cooperative(hood):
    run = _run_after(_head(hood), 4)
    run[2].cooperative_id = hood.other.pk
    _refused_whole(hood, run)


def test_it_refuses_a_run_that_continues_another_cooperatives_chain(hood):
    theirs = ChainHead.objects.get(cooperative=hood.other)
    ours = _head(hood)
    run = _run_after(theirs, 3)
    for event in run:
        event.cooperative_id = ours.cooperative_id
        event.seq += ours.seq - theirs.seq
    _refused_whole(hood, run)


def test_it_refuses_two_events_that_both_follow_the_head(hood):
    head = _head(hood)
    (one,) = _run_after(head, 1)
    other = _event_after(head.cooperative_id, "another label", head.seq, head.hash)
    _refused_whole(hood, [one, other], "audit_seq_unique")
