#!/usr/bin/env python3
"""Verify an exported wijkbv audit chain, with nothing but Python's standard library.

    python verify.py chain.jsonl [--head HASH] [--earlier OLD.jsonl] [--strict]

`manage.py audit export --cooperative SLUG` writes the chain of one cooperative, one event per
line, oldest first:

    {"hash":"<64 hex>","prev_hash":"<64 hex>","seq":<n>,"event":<canonical event>}

<canonical event> is the event exactly as it was hashed: JSON with sorted keys, no spaces, UTF-8
(see `canonical` below), and hash = sha256(prev_hash + canonical event). The first event follows
64 zeros. Each event repeats the hash of the one before it, so changing, removing or reordering any
event breaks every link after it.

The public export (`--public`, and the download on a cooperative's open pages) leaves out the
content of events about a person, such as the hours a resident gave. Such a redacted event keeps
its place, its hash and the hash before it, and its event is null:

    {"hash":"<64 hex>","prev_hash":"<64 hex>","seq":<n>,"event":null}

Checks, line by line: the line has this form; seq counts 1, 2, 3... without a gap; prev_hash is
the hash of the line before; the hash matches the event's text; the event's own "seq" is the
line's. With --head: the head hash you were given earlier (in a report, on the public page) is
the hash of one of the events, so the chain you hold now still contains what was published then.
With --strict it also checks that every event is written in canonical form, which is slower.

A redacted event's hash cannot be recomputed without its content: its seq and its link to the
line before are checked, and the next line must name its hash. Someone who controls the server
could therefore rebuild a public export around a redacted event. Keep the export you download
with a report; later, `--earlier OLD.jsonl` checks that every event of that file is still in the
new one with the same hash, in the same place: that proves nothing was rewritten since, also
across redacted events. The full export has no redacted events and is checked whole.

Exit status 0 when everything holds; 1 with the first broken seq and why; 2 for a usage error.
"""

import argparse
import hashlib
import json
import re
import sys
from typing import NamedTuple

GENESIS_HASH = "0" * 64
REDACTED = "null"  # the event of a line whose content is not published
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


def export_line(prev_hash: str, digest: str, seq: int, canonical_event: str) -> str:
    """One line of an export (without its newline)."""
    return f'{{"hash":"{digest}","prev_hash":"{prev_hash}","seq":{seq},"event":{canonical_event}}}'


class Broken(Exception):
    def __init__(self, seq, reason):
        super().__init__(f"seq {seq}: {reason}")
        self.seq = seq
        self.reason = reason


class Checked(NamedTuple):
    events: int  # every line, redacted or not
    redacted: int  # lines whose content is not published: their links are checked, not their hash
    head: str  # the hash of the last event


_HEX_DIGEST = re.compile(rb"[0-9a-f]{64}")


def verify_lines(lines, *, head: str | None = None, strict: bool = False) -> tuple[int, str]:
    """Verify an export given as lines of bytes. Returns (number of events, last hash); raises
    Broken at the first line that does not hold. See `check_lines`."""
    checked = check_lines(lines, head=head, strict=strict)
    return checked.events, checked.head


def check_lines(
    lines,
    *,
    head: str | None = None,
    strict: bool = False,
    earlier: list[bytes] | None = None,
    hashes: list[bytes] | None = None,
) -> Checked:
    """Verify an export given as lines of bytes; raise Broken at the first line that does not
    hold. `earlier` is the list of hashes of an export downloaded before, each of which must be
    the hash at its seq here; `hashes`, when given, collects this export's hashes.

    The loop reads each line by position instead of parsing it: the hash is taken over the exact
    bytes of the event, and the fixed layout above says where each part is. That keeps it fast
    (several hundred thousand events a second) without trusting anything it has not checked."""
    sha256 = hashlib.sha256
    wanted = head.encode("ascii") if head else None
    head_seq = None
    prev = GENESIS_HASH.encode("ascii")
    redacted_event = REDACTED.encode("ascii")
    seq = redacted = 0
    kept = len(earlier) if earlier is not None else 0
    for line in lines:
        seq += 1
        line = line.rstrip(b"\r\n")
        if (
            line[:9] != b'{"hash":"'
            or line[73:88] != b'","prev_hash":"'
            or line[152:160] != b'","seq":'
            or line[-1:] != b"}"
        ):
            raise Broken(seq, "this line is not an event of an audit chain export")
        end_of_seq = line.find(b',"event":', 160)
        if end_of_seq < 0 or line[160:end_of_seq] != b"%d" % seq:
            found = line[160:end_of_seq].decode("ascii", "replace")
            raise Broken(seq, f"gap: seq {seq} is missing, the line holds seq {found}")
        digest = line[9:73]
        if line[88:152] != prev:
            raise Broken(
                seq,
                f"wrong link: prev_hash is {line[88:152].decode('ascii', 'replace')}, "
                f"the hash of seq {seq - 1} is {prev.decode()}",
            )
        event = line[end_of_seq + 9 : -1]
        if event == redacted_event:
            # Its content is not published: the next line must name this hash as its prev_hash.
            if not _HEX_DIGEST.fullmatch(digest):
                raise Broken(seq, "this line is not an event of an audit chain export")
            redacted += 1
        else:
            if sha256(prev + event).hexdigest().encode("ascii") != digest:
                raise Broken(seq, "hash mismatch: the event is not what was hashed")
            # The event's own seq is its last top-level "seq" key: in canonical order only the
            # subject and time, strings with their quotes escaped, come after it.
            at = event.rfind(b',"seq":')
            if at < 0 or event.find(b',"seq":%d,"subject":' % seq, at) != at:
                raise Broken(seq, "gap: the event inside the line has another seq")
            if strict:
                _check_canonical(seq, event)
        if seq <= kept and earlier[seq - 1] != digest:
            raise Broken(
                seq,
                f"changed since the earlier export: its hash was {earlier[seq - 1].decode()}, "
                f"now it is {digest.decode()}",
            )
        if hashes is not None:
            hashes.append(digest)
        if digest == wanted:
            head_seq = seq
        prev = digest
    if kept > seq:
        raise Broken(
            seq + 1,
            f"the earlier export has {kept} events and this one {seq}: events were removed",
        )
    if wanted is not None and head_seq is None:
        raise Broken(
            seq + 1, f"the head {head} is not in this chain: events were removed or changed"
        )
    return Checked(seq, redacted, prev.decode("ascii"))


def _check_canonical(seq: int, event: bytes) -> None:
    try:
        parsed = json.loads(event)
        text = canonical(parsed)
    except (ValueError, KeyError, TypeError):
        raise Broken(seq, "the event is not an audit event in canonical JSON") from None
    if text.encode("utf-8") != event or parsed["seq"] != seq:
        raise Broken(seq, "the event is not written in canonical form")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Verify an exported wijkbv audit chain.")
    parser.add_argument("export", help="the file `manage.py audit export` wrote (JSON lines)")
    parser.add_argument("--head", help="a head hash published earlier, to find in the chain")
    parser.add_argument(
        "--earlier",
        metavar="OLD.jsonl",
        help="an export downloaded before: each of its events must still be here, unchanged",
    )
    parser.add_argument(
        "--strict", action="store_true", help="also check each event's canonical form (slower)"
    )
    args = parser.parse_args(argv)
    earlier = None
    reading = args.earlier
    try:
        if args.earlier:
            earlier = []
            with open(args.earlier, "rb") as old:
                try:
                    check_lines(old, strict=args.strict, hashes=earlier)
                except Broken as broken:
                    print(
                        f"BROKEN in the earlier export {args.earlier} at seq {broken.seq}: "
                        f"{broken.reason}"
                    )
                    return 1
        reading = args.export
        with open(args.export, "rb") as export:
            checked = check_lines(export, head=args.head, strict=args.strict, earlier=earlier)
    except Broken as broken:
        print(f"BROKEN at seq {broken.seq}: {broken.reason}")
        return 1
    except OSError as error:
        print(f"cannot read {reading}: {error}", file=sys.stderr)
        return 2
    print(f"OK: {checked.events} events, head {checked.head}")
    if checked.redacted:
        print(
            f"{checked.events - checked.redacted} events checked in full; {checked.redacted} "
            "redacted: their content is not published, so only their place in the chain is checked"
        )
    if args.head:
        print(f"the published head {args.head} is part of this chain")
    if earlier is not None:
        print(f"all {len(earlier)} events of {args.earlier} are still here, unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
