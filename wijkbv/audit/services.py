"""Appending to the audit chain. Every decision service calls `append_event` inside its own
transaction, so a decision and its record commit together or not at all."""

import datetime

from django.db import transaction

from wijkbv.audit.canonical import GENESIS_HASH, event_hash
from wijkbv.audit.models import AuditEvent, ChainHead


def start_chain(cooperative) -> ChainHead:
    """Create the empty chain of a new cooperative, in the transaction that creates it."""
    return ChainHead.objects.create(cooperative=cooperative, seq=0, hash=GENESIS_HASH)


def actor_reference(user, cooperative) -> str:
    """'member:17' for a member of this cooperative, 'user:5' for anyone else, 'system' for None."""
    if user is None:
        return "system"
    from members.models import Membership

    number = (
        Membership.objects.filter(user=user, cooperative=cooperative)
        .values_list("member_number", flat=True)
        .first()
    )
    return f"member:{number}" if number is not None else f"user:{user.pk}"


def append_event(
    cooperative,
    *,
    actor,
    action: str,
    subject=None,
    payload: dict | None = None,
    on_behalf_of=None,
) -> AuditEvent:
    """Append one event to the cooperative's chain. Must run inside the caller's transaction.

    `subject` is a model instance (recorded as "label:pk") or a string; `payload` must be JSON
    with no personal names; `on_behalf_of` is the user a coordinator acted for."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append_event must run inside the decision's transaction")
    if subject is not None and not isinstance(subject, str):
        subject = f"{subject._meta.label_lower}:{subject.pk}"
    head = ChainHead.objects.select_for_update().get(cooperative=cooperative)
    event = {
        "cooperative": cooperative.slug,
        "seq": head.seq + 1,
        "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds"),
        "actor": actor_reference(actor, cooperative),
        "on_behalf_of": actor_reference(on_behalf_of, cooperative) if on_behalf_of else "",
        "action": action,
        "subject": subject or "",
        "payload": payload or {},
    }
    digest = event_hash(head.hash, event)
    record = AuditEvent.objects.create(
        cooperative=cooperative,
        seq=event["seq"],
        time=event["time"],
        actor=event["actor"],
        on_behalf_of=event["on_behalf_of"],
        actor_user=actor,
        action=action,
        subject=event["subject"],
        payload=event["payload"],
        prev_hash=head.hash,
        hash=digest,
    )
    ChainHead.objects.filter(pk=head.pk).update(seq=event["seq"], hash=digest)
    return record
