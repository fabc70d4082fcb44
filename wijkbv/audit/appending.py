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
    head: Head,
    cooperative,
    *,
    actor,
    action: str,
    subject,
    payload,
    on_behalf_of,
    references: tuple[str, str] | None = None,
) -> AuditEvent:
    """The event that follows `head`, with its hash; not written yet. `references`, when
    given, are the references of `actor` and `on_behalf_of` (see `actor_references`), looked
    up before: a run of events made while a COPY streams them may not query the database."""
    payload = {} if payload is None else payload
    check_payload(payload)
    if references is None:
        references = actor_references(cooperative, actor, on_behalf_of)
    event = {
        "cooperative": head.label,
        "seq": head.seq + 1,
        "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds"),
        "actor": references[0],
        "on_behalf_of": references[1],
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


def actor_references(cooperative, actor, on_behalf_of) -> tuple[str, str]:
    """The references of an event's actor and of whom it acted for ("" for nobody)."""
    return (
        actor_reference(actor, cooperative),
        actor_reference(on_behalf_of, cooperative) if on_behalf_of is not None else "",
    )


def _columns(record: AuditEvent, payload) -> tuple:
    """An event's values in the order of INSERT_EVENT's and COPY_EVENTS' columns, with its
    payload as the statement takes it."""
    return (
        record.cooperative_id,
        record.seq,
        record.time,
        record.actor,
        record.on_behalf_of,
        record.actor_user_id,
        record.action,
        record.subject,
        payload,
        record.prev_hash,
        record.hash,
    )


def write_event_statements(statements, record: AuditEvent) -> int:
    """Queue the insert of `record` and the move of the head to it; returns the index of the
    insert, whose rows hold the new event's id (give them to `written`)."""
    payload = payload_for_database(record.payload, statements.cursor.db)
    index = statements.add(INSERT_EVENT, _columns(record, payload))
    move_head(statements, record)
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
    # Nearly every payload passes: a quick look first, and the message's path only for one
    # that does not (a run of thousands of events checks hundreds of thousands of values).
    if not _passes(value):
        _check(value, path)


def _passes(value) -> bool:
    """True when `_check` has nothing to refuse in `value`; False when it may have (it then
    says what, or finds nothing after all in a subclass of a list or a dict)."""
    kind = type(value)
    if kind is dict:
        if not PERSONAL_KEYS.isdisjoint(value):
            return False
        for key, item in value.items():
            if type(key) is not str or (type(item) not in _PLAIN and not _passes(item)):
                return False
        return True
    if kind is list or kind is tuple:
        return all(type(item) in _PLAIN or _passes(item) for item in value)
    return kind in _PLAIN or isinstance(value, str | int)  # a choice, for example


def _check(value, path: str) -> None:
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            if type(item) not in _PLAIN:
                _check(item, f"{path}[{index}]")
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
            if type(item) not in _PLAIN:
                _check(item, f"{path}.{key}")
        return
    raise TypeError(
        f"{path} is a {type(value).__name__}; an audit payload holds dicts, lists, strings, "
        "integers, booleans and None (write amounts and dates as strings)"
    )


COPY_EVENTS = (
    "COPY audit_auditevent (cooperative_id, seq, time, actor, on_behalf_of, actor_user_id,"
    " action, subject, payload, prev_hash, hash) FROM STDIN"
)


def copy_run(cursor, records) -> None:
    """Write a run of events that follow each other (each made by `next_event` from the one
    before) with one COPY, on PostgreSQL; `records` may be a generator that makes them as they
    are written, so the database stores one while the next is made. The chain's rules check
    the run as a whole (migration 0007). The head is moved afterwards, once (`move_head`)."""
    with cursor.cursor.copy(COPY_EVENTS) as copy:
        for record in records:
            # Payloads hold only JSON's own types (check_payload): this is their JSON.
            copy.write_row(_columns(record, json.dumps(record.payload)))


def move_head(statements, record: AuditEvent) -> None:
    """Queue the move of the head to `record`, the event just written or the last of a run."""
    statements.add(MOVE_HEAD, [record.seq, record.hash, record.cooperative_id])
