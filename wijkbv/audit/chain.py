"""Reading a chain back: verify it against its own hashes, export it for anyone to verify.

Verification recomputes every hash from the stored fields with the rules of canonical.py, so a
row changed in the database behind the application's back is found, and named by its seq.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from wijkbv.audit.canonical import GENESIS_HASH, canonical, event_hash
from wijkbv.audit.models import AuditEvent, ChainHead
from wijkbv.audit.public import is_public
from wijkbv.audit.verify import REDACTED, export_line

_FIELDS = (
    "seq",
    "time",
    "actor",
    "on_behalf_of",
    "action",
    "subject",
    "payload",
    "prev_hash",
    "hash",
)
_CHUNK = 2000


@dataclass(frozen=True)
class Break:
    """The first place a chain does not hold: the seq and why."""

    seq: int
    reason: str

    def __str__(self):
        return f"seq {self.seq}: {self.reason}"


@dataclass(frozen=True)
class Verified:
    label: str
    events: int
    head: str
    broken: Break | None


def _rows(head: ChainHead) -> Iterator[dict]:
    rows = AuditEvent.objects.filter(cooperative_id=head.cooperative_id).order_by("seq")
    for values in rows.values_list(*_FIELDS).iterator(chunk_size=_CHUNK):
        row = dict(zip(_FIELDS, values, strict=True))
        row["cooperative"] = head.label
        yield row


def verify_chain(cooperative) -> Verified:
    """Walk the cooperative's chain from the start and stop at the first break: a gap in seq,
    a prev_hash that is not the previous event's hash (wrong link), or a hash that does not match
    the event (hash mismatch). The chain head must point at the last event."""
    head = ChainHead.objects.get(cooperative=cooperative)
    expected, prev, count = 1, GENESIS_HASH, 0
    for row in _rows(head):
        seq = row["seq"]
        if seq != expected:
            return Verified(
                head.label,
                count,
                head.hash,
                Break(expected, f"gap: seq {expected} is missing, the chain goes on at seq {seq}"),
            )
        if row["prev_hash"] != prev:
            return Verified(
                head.label,
                count,
                head.hash,
                Break(
                    seq,
                    f"wrong link: prev_hash is {row['prev_hash']}, "
                    f"the hash of seq {seq - 1} is {prev}",
                ),
            )
        if event_hash(prev, row) != row["hash"]:
            return Verified(
                head.label,
                count,
                head.hash,
                Break(seq, "hash mismatch: the stored event is not what was hashed"),
            )
        prev, expected, count = row["hash"], expected + 1, count + 1
    if head.seq != count or head.hash != prev:
        seq = min(head.seq, count + 1)
        return Verified(
            head.label,
            count,
            head.hash,
            Break(
                seq,
                f"gap: the chain ends at seq {count} with hash {prev}, "
                f"but its head is at seq {head.seq} with hash {head.hash}",
            ),
        )
    return Verified(head.label, count, head.hash, None)


def export_chain(cooperative, *, public: bool = False) -> Iterator[str]:
    """The chain as lines for verify.py, oldest first. Each event is written in canonical form
    from its stored fields, so a changed row no longer matches its hash there either.

    `public`: an event that is not public (see public.py) keeps its seq and both hashes, and its
    event is null, so the chain still links and its content stays private."""
    head = ChainHead.objects.get(cooperative=cooperative)
    for row in _rows(head):
        if public and not is_public(row["action"], row["payload"]):
            event = REDACTED
        else:
            event = canonical(row)
        yield export_line(row["prev_hash"], row["hash"], row["seq"], event) + "\n"
