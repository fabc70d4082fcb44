"""How an event joins its chain: lock the head, build the event and its hash, write both.

`append_event` (services.py) does the three steps for a decision. The ledger does them inside a
booking, so that the whole booking, audit event included, takes two round trips to PostgreSQL;
that is why they are separate functions here.

Lock order, which every writer of a cooperative follows so that none waits for another in a
circle: the cooperative row, then the chain head, then (for the ledger) balance rows.
"""

import datetime
import json
from dataclasses import dataclass

from wijkbv.audit.canonical import event_hash
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.references import actor_reference, subject_reference
from wijkbv.audit.statements import array_literal

_PAYLOAD_FIELD = AuditEvent._meta.get_field("payload")

READ_HEAD = "SELECT label, seq, hash FROM audit_chainhead WHERE cooperative_id = %s"
LOCK_HEAD = READ_HEAD + " FOR UPDATE"  # SQLite has one writer at a time and no row locks
INSERT_EVENT = (
    "INSERT INTO audit_auditevent (cooperative_id, seq, time, actor, on_behalf_of,"
    " actor_user_id, action, subject, payload, prev_hash, hash)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id"
)
MOVE_HEAD = "UPDATE audit_chainhead SET seq = %s, hash = %s WHERE cooperative_id = %s"

# Keys that would put a person's details into a chain that funders and the public can read.
PERSONAL_KEYS = frozenset(
    {
        "full_name",
        "first_name",
        "last_name",
        "email",
        "phone",
        "street_address",
        "address",
        "postcode",
        "city",
        "birth_date",
        "iban",
    }
)


@dataclass(frozen=True)
class Head:
    label: str
    seq: int
    hash: str


def lock_head_statement(statements, cooperative) -> int:
    """Queue the statement that locks the chain head; read it with `head_from`."""
    connection = statements.cursor.db
    sql = LOCK_HEAD if connection.features.has_select_for_update else READ_HEAD
    return statements.add(sql, [cooperative.pk])


def head_from(rows) -> Head:
    label, seq, digest = rows[0]
    return Head(label, seq, digest)


# The fields of an event in the order `next_event` gives them.
_EVENT_FIELDS = (
    "id",
    "cooperative_id",
    "seq",
    "time",
    "actor",
    "on_behalf_of",
    "actor_user_id",
    "action",
    "subject",
    "payload",
    "prev_hash",
    "hash",
)
if tuple(field.attname for field in AuditEvent._meta.concrete_fields) != _EVENT_FIELDS:
    raise RuntimeError("audit.AuditEvent's fields changed: update next_event")


def next_event(
    head: Head, cooperative, *, actor, action: str, subject, payload, on_behalf_of
) -> AuditEvent:
    """The event that follows `head`, with its hash; not written yet."""
    payload = {} if payload is None else payload
    check_payload(payload)
    event = {
        "cooperative": head.label,
        "seq": head.seq + 1,
        "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds"),
        "actor": actor_reference(actor, cooperative),
        "on_behalf_of": (
            actor_reference(on_behalf_of, cooperative) if on_behalf_of is not None else ""
        ),
        "action": action,
        "subject": subject_reference(subject),
        "payload": payload,
    }
    # By position, in the order of the model's fields (id first): a run of thousands of events
    # (post_transactions) spends seconds on the keyword form's per-field lookups.
    return AuditEvent(
        None,
        cooperative.pk,
        event["seq"],
        event["time"],
        event["actor"],
        event["on_behalf_of"],
        None if actor is None else actor.pk,
        action,
        event["subject"],
        payload,
        head.hash,
        event_hash(head.hash, event),
    )


def write_event_statements(statements, record: AuditEvent) -> int:
    """Queue the insert of `record` and the move of the head to it; returns the index of the
    insert, whose rows hold the new event's id (give them to `written`)."""
    connection = statements.cursor.db
    index = statements.add(
        INSERT_EVENT,
        [
            record.cooperative_id,
            record.seq,
            record.time,
            record.actor,
            record.on_behalf_of,
            record.actor_user_id,
            record.action,
            record.subject,
            payload_for_database(record.payload, connection),
            record.prev_hash,
            record.hash,
        ],
    )
    statements.add(MOVE_HEAD, [record.seq, record.hash, record.cooperative_id])
    return index


def payload_for_database(payload, connection):
    """The payload as the database driver takes a JSON column's value."""
    return _PAYLOAD_FIELD.get_db_prep_save(payload, connection)


def written(record: AuditEvent, rows, connection) -> AuditEvent:
    record.pk = rows[0][0]
    record._state.adding = False
    record._state.db = connection.alias
    return record


_PLAIN = frozenset({str, int, bool, type(None)})


def check_payload(value, path: str = "payload") -> None:
    """Refuse what would hash differently on another machine (floats, Decimals, dates) and keys
    that carry personal details. A programming error, so TypeError or ValueError."""
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            if type(item) not in _PLAIN:
                check_payload(item, f"{path}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{path}: keys must be strings, not {key!r}")
            if key in PERSONAL_KEYS:
                raise ValueError(
                    f"{path}.{key}: personal details never go into the audit chain; "
                    "use member numbers"
                )
            # A plain value needs no call of its own (a run of thousands of events checks
            # hundreds of thousands of them); anything else is checked with its path.
            if type(item) not in _PLAIN:
                check_payload(item, f"{path}.{key}")
        return
    raise TypeError(
        f"{path} is a {type(value).__name__}; an audit payload holds dicts, lists, strings, "
        "integers, booleans and None (write amounts and dates as strings)"
    )


INSERT_EVENTS = (
    "INSERT INTO audit_auditevent (cooperative_id, seq, time, actor, on_behalf_of,"
    " actor_user_id, action, subject, payload, prev_hash, hash)"
    " SELECT %s, event.seq, event.time, event.actor, event.on_behalf_of, event.actor_user_id,"
    " event.action, event.subject, event.payload::jsonb, event.prev_hash, event.hash"
    " FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::bigint[], %s::text[],"
    " %s::text[], %s::text[], %s::text[], %s::text[]) WITH ORDINALITY AS event(seq, time,"
    " actor, on_behalf_of, actor_user_id, action, subject, payload, prev_hash, hash, position)"
    " ORDER BY event.position RETURNING id, seq"
)


def write_run_statements(statements, records: list[AuditEvent]) -> int:
    """Queue the insert of a run of events that follow each other (each made by `next_event`
    from the one before) and one move of the head to the last; returns the index whose rows
    are (id, seq) of the new events (give them to `written_run`). On PostgreSQL the run is one
    insert; migration 0005 lets the head move once for all of it."""
    connection = statements.cursor.db
    if connection.vendor != "postgresql":
        first = None
        for record in records:
            index = write_event_statements(statements, record)
            first = index if first is None else first
        return first
    index = statements.add(
        INSERT_EVENTS,
        [
            records[0].cooperative_id,
            array_literal(record.seq for record in records),
            array_literal(record.time for record in records),
            array_literal(record.actor for record in records),
            array_literal(record.on_behalf_of for record in records),
            array_literal(record.actor_user_id for record in records),
            array_literal(record.action for record in records),
            array_literal(record.subject for record in records),
            # Payloads hold only JSON's own types (check_payload): their text is the same JSON.
            array_literal(json.dumps(record.payload) for record in records),
            array_literal(record.prev_hash for record in records),
            array_literal(record.hash for record in records),
        ],
    )
    last = records[-1]
    statements.add(MOVE_HEAD, [last.seq, last.hash, last.cooperative_id])
    return index


def written_run(records: list[AuditEvent], results, index: int, connection) -> list[AuditEvent]:
    """Give the events of `write_run_statements` their ids from the rows the database returned."""
    if connection.vendor == "postgresql":
        ids = {seq: pk for pk, seq in results[index]}
    else:
        # One insert and one move of the head per event, in order.
        ids = {record.seq: results[index + 2 * n][0][0] for n, record in enumerate(records)}
    for record in records:
        written(record, [(ids[record.seq],)], connection)
    return records
