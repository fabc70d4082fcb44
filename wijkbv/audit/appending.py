"""How an event joins its chain: lock the head, build the event and its hash, write both.

`append_event` (services.py) does the three steps for a decision. The ledger does them inside a
booking, so that the whole booking, audit event included, takes two round trips to PostgreSQL;
that is why they are separate functions here.

Lock order, which every writer of a cooperative follows so that none waits for another in a
circle: the cooperative row, then the chain head, then (for the ledger) balance rows.
"""

import datetime
from dataclasses import dataclass

from wijkbv.audit.canonical import canonical_around, canonical_payload, event_hash, text_hash
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
    event = _hashed_fields(head.label, head.seq + 1, references, action, subject, payload)
    # By position, in the order of the model's fields (id first; see _EVENT_FIELDS).
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


def _hashed_fields(label: str, seq: int, references, action: str, subject, payload) -> dict:
    """What the hash of an event made now covers (canonical.HASHED_FIELDS)."""
    return {
        "cooperative": label,
        "seq": seq,
        "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds"),
        "actor": references[0],
        "on_behalf_of": references[1],
        "action": action,
        "subject": subject_reference(subject),
        "payload": payload,
    }


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
    move_head(statements, record.cooperative_id, record.seq, record.hash)
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


def copy_run(cursor, head: Head, cooperative, *, actor, events) -> Head:
    """Write a run of events that follow `head`, each linked to the one before, with one COPY
    (PostgreSQL), and return the head after the last: move the chain's head there once
    afterwards (`move_head`). The chain's rules check the run as a whole (migration 0007).

    `events` gives (action, subject, payload, references) for each event, as `next_event` takes
    them; the references of its actor and of whom it acted for are given, because no query may
    run while the COPY streams. It may be a generator that makes them as they are written, so
    the database stores one while the next is made. Each payload is checked and each event
    hashed as `next_event` does it, without a model instance each, and its payload is written
    once as JSON, for the hash and for the database."""
    cooperative_pk = cooperative.pk
    actor_pk = None if actor is None else actor.pk
    label, seq, prev_hash = head.label, head.seq, head.hash
    with cursor.cursor.copy(COPY_EVENTS) as copy:
        for action, subject, payload, references in events:
            payload = {} if payload is None else payload
            check_payload(payload)
            seq += 1
            event = _hashed_fields(label, seq, references, action, subject, payload)
            text = canonical_payload(payload)
            digest = text_hash(prev_hash, canonical_around(event, text))
            # In the order of COPY_EVENTS' columns (see `_columns`).
            copy.write_row(
                (
                    cooperative_pk,
                    seq,
                    event["time"],
                    event["actor"],
                    event["on_behalf_of"],
                    actor_pk,
                    action,
                    event["subject"],
                    text,
                    prev_hash,
                    digest,
                )
            )
            prev_hash = digest
    return Head(label, seq, prev_hash)


def move_head(statements, cooperative_pk: int, seq: int, digest: str) -> None:
    """Queue the move of the chain's head to the event (`seq`, `digest`) just written, or the
    last of a run."""
    statements.add(MOVE_HEAD, [seq, digest, cooperative_pk])
