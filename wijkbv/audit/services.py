"""Appending to the audit chain. Every decision service calls `append_event` inside its own
transaction, so a decision and its record commit together or not at all."""

from django.db import transaction

from wijkbv.audit.appending import (
    head_from,
    lock_head_statement,
    next_event,
    write_event_statements,
    written,
)
from wijkbv.audit.canonical import GENESIS_HASH
from wijkbv.audit.models import AuditEvent, ChainHead
from wijkbv.audit.statements import Statements


def start_chain(cooperative) -> ChainHead:
    """Create the empty chain of a new cooperative, in the transaction that creates it.

    The chain keeps the cooperative's short name of this moment as its label: it is hashed into
    every event, so the chain still verifies if the cooperative is renamed later."""
    return ChainHead.objects.create(
        cooperative=cooperative, label=cooperative.slug, seq=0, hash=GENESIS_HASH
    )


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

    `subject` is a model instance (recorded as "label:pk") or a string; `payload` is JSON made of
    dicts, lists, strings, integers, booleans and None, with member numbers instead of personal
    details (amounts are strings such as "12.50", never floats); `on_behalf_of` is the user a
    coordinator acted for.

    Invariant: `seq` is gapless and `hash = sha256(prev_hash + canonical(event))`. The chain head
    stays locked until the caller's transaction ends, so events are numbered in commit order."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("append_event must run inside the decision's transaction")
    with connection.cursor() as cursor:
        statements = Statements(cursor)
        lock_head_statement(statements, cooperative)
        head = head_from(statements.run()[0])
        record = next_event(
            head,
            cooperative,
            actor=actor,
            action=action,
            subject=subject,
            payload=payload,
            on_behalf_of=on_behalf_of,
        )
        index = write_event_statements(statements, record)
        return written(record, statements.run()[index], connection)
