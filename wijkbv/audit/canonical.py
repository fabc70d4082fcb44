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
    return hashlib.sha256((prev_hash + canonical(event)).encode("utf-8")).hexdigest()
