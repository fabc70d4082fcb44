"""The canonical form of an audit event and its hash.

Plain Python with no Django import: the standalone verifier (verify.py) uses the same rules, and a
funder can read them here in a dozen lines.
"""

import hashlib
import json

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "cooperative",
    "seq",
    "time",
    "actor",
    "on_behalf_of",
    "action",
    "subject",
    "payload",
)


def canonical(event: dict) -> str:
    """Sorted keys, no white space, UTF-8 text: the same bytes on every machine."""
    body = {field: event[field] for field in HASHED_FIELDS}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(prev_hash: str, event: dict) -> str:
    return text_hash(prev_hash, canonical(event))


def text_hash(prev_hash: str, text: str) -> str:
    return hashlib.sha256((prev_hash + text).encode("utf-8")).hexdigest()


# What follows writes the same text as `canonical` for a run of thousands of events, whose
# payloads are written once each, for the hash and for the database.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_SORTED_FIELDS = sorted(HASHED_FIELDS)


def canonical_payload(payload) -> str:
    """The payload as `canonical` writes it inside its event."""
    return _ENCODER.encode(payload)


def canonical_around(event: dict, payload_text: str) -> str:
    """`canonical(event)`, built around its payload written by `canonical_payload`."""
    return (
        "{"
        + ",".join(
            f'"{field}":{payload_text if field == "payload" else _value(event[field])}'
            for field in _SORTED_FIELDS
        )
        + "}"
    )


def _value(value) -> str:
    # An integer (the seq) as json writes it, without starting an encoder for it.
    return str(value) if type(value) is int else _ENCODER.encode(value)
