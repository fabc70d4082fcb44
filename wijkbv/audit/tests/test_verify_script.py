"""verify.py, the verifier a funder runs on an export without any of our code."""

import ast
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from wijkbv.audit import canonical as ours
from wijkbv.audit import verify

SCRIPT = Path(verify.__file__)

EVENTS = [
    {
        "cooperative": "teststad",
        "seq": 1,
        "time": "2026-03-14T09:00:00.000001+00:00",
        "actor": "system",
        "on_behalf_of": "",
        "action": "cooperative.created",
        "subject": "members.cooperative:1",
        "payload": {"name": "Wijk-BV Teststad", "area_postcodes": ["1234"]},
    },
    {
        "cooperative": "teststad",
        "seq": 2,
        "time": "2026-03-14T09:00:01.000000+00:00",
        "actor": "member:4",
        "on_behalf_of": "member:1",
        "action": "ledger.posted",
        "subject": "ledger.transaction:9",
        "payload": {
            "lines": [["1000", "12.50"], ["8000", "-12.50"]],
            "seq": 1,
            "subject": 'a "quoted" ,"seq":2,"subject": trap',
            "note": "Café 't Hoekje — ☕",
            "nested": {"z": None, "a": [True, False, 0]},
        },
    },
    {
        "cooperative": "teststad",
        "seq": 3,
        "time": "2026-03-14T09:00:02.500000+00:00",
        "actor": "member:2",
        "on_behalf_of": "",
        "action": "vote.closed",
        "subject": "",
        "payload": {},
    },
]


def _chain(events):
    prev, lines = verify.GENESIS_HASH, []
    for event in events:
        text = ours.canonical(event)
        digest = hashlib.sha256((prev + text).encode("utf-8")).hexdigest()
        lines.append(verify.export_line(prev, digest, event["seq"], text))
        prev = digest
    return lines


def _run(tmp_path, lines, *args):
    export = tmp_path / "chain.jsonl"
    export.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    # -I -S: isolated, without site-packages: only the standard library is there.
    return subprocess.run(
        [sys.executable, "-I", "-S", str(SCRIPT), str(export), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_its_canonical_form_is_the_applications():
    for event in EVENTS:
        assert verify.canonical(event) == ours.canonical(event)
        assert (
            ours.event_hash("a" * 64, event)
            == hashlib.sha256(("a" * 64 + verify.canonical(event)).encode("utf-8")).hexdigest()
        )
    assert verify.GENESIS_HASH == ours.GENESIS_HASH
    assert verify.HASHED_FIELDS == ours.HASHED_FIELDS


def test_it_imports_nothing_but_the_standard_library():
    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
    assert imported <= sys.stdlib_module_names, imported - sys.stdlib_module_names


def test_it_accepts_an_intact_chain(tmp_path):
    lines = _chain(EVENTS)
    result = _run(tmp_path, lines)
    head = json.loads(lines[-1])["hash"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"OK: 3 events, head {head}"


def test_it_finds_a_head_published_earlier(tmp_path):
    lines = _chain(EVENTS)
    published = json.loads(lines[1])["hash"]
    result = _run(tmp_path, lines, "--head", published)
    assert result.returncode == 0
    assert f"the published head {published} is part of this chain" in result.stdout


def test_it_refuses_a_chain_without_the_published_head(tmp_path):
    published = json.loads(_chain(EVENTS)[1])["hash"]
    rewritten = [dict(event) for event in EVENTS]
    rewritten[1]["payload"] = {"lines": [["1000", "1.00"], ["8000", "-1.00"]]}
    result = _run(tmp_path, _chain(rewritten), "--head", published)
    assert result.returncode == 1
    assert f"BROKEN at seq 4: the head {published} is not in this chain" in result.stdout


def test_it_names_a_changed_event(tmp_path):
    lines = _chain(EVENTS)
    lines[1] = lines[1].replace('"12.50"', '"13.50"')
    result = _run(tmp_path, lines)
    assert result.returncode == 1
    assert (
        result.stdout.strip() == "BROKEN at seq 2: hash mismatch: the event is not what was hashed"
    )


def test_it_names_a_removed_event(tmp_path):
    lines = _chain(EVENTS)
    del lines[1]
    result = _run(tmp_path, lines)
    assert result.returncode == 1
    assert "BROKEN at seq 2: gap: seq 2 is missing, the line holds seq 3" in result.stdout


def test_it_names_a_wrong_link(tmp_path):
    lines = _chain(EVENTS)
    other = [dict(event) for event in EVENTS]
    other[0]["time"] = "2026-03-15T09:00:00.000000+00:00"
    lines[0] = _chain(other)[0]
    result = _run(tmp_path, lines)
    assert result.returncode == 1
    assert "BROKEN at seq 2: wrong link: prev_hash is " in result.stdout


def test_it_names_an_event_whose_own_seq_is_not_its_place(tmp_path):
    shifted = [dict(event) for event in EVENTS]
    shifted[2]["seq"] = 4
    lines = _chain(shifted)
    lines[2] = lines[2].replace('"seq":4,"event"', '"seq":3,"event"')
    result = _run(tmp_path, lines)
    assert result.returncode == 1
    assert "BROKEN at seq 3: gap: the event inside the line has another seq" in result.stdout


def test_it_names_a_line_that_is_not_an_event(tmp_path):
    result = _run(tmp_path, [*_chain(EVENTS), '{"hello": "world"}'])
    assert result.returncode == 1
    assert "BROKEN at seq 4: this line is not an event" in result.stdout


def test_strict_mode_also_checks_the_canonical_form(tmp_path):
    # Escaped non-ASCII text: hashed as it is, but not the canonical form (UTF-8 as it is).
    escaped = json.dumps(
        EVENTS[0] | {"payload": {"name": "Café"}}, sort_keys=True, separators=(",", ":")
    )
    digest = hashlib.sha256((verify.GENESIS_HASH + escaped).encode("utf-8")).hexdigest()
    lines = [verify.export_line(verify.GENESIS_HASH, digest, 1, escaped)]
    assert _run(tmp_path, lines).returncode == 0
    result = _run(tmp_path, lines, "--strict")
    assert result.returncode == 1
    assert "BROKEN at seq 1: the event is not written in canonical form" in result.stdout


def test_an_empty_export_is_an_empty_chain(tmp_path):
    result = _run(tmp_path, [])
    assert result.returncode == 0
    assert result.stdout.strip() == f"OK: 0 events, head {verify.GENESIS_HASH}"


def test_it_says_when_the_file_cannot_be_read(tmp_path):
    result = subprocess.run(
        [sys.executable, "-I", "-S", str(SCRIPT), str(tmp_path / "missing.jsonl")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "cannot read" in result.stderr


@pytest.mark.parametrize("strict", [False, True])
def test_the_verify_loop_agrees_with_the_script(strict):
    lines = [(line + "\n").encode("utf-8") for line in _chain(EVENTS)]
    assert verify.verify_lines(lines, strict=strict)[0] == 3


# The public export: an event about a person keeps its place and hashes, and its event is null.

PRIVATE = {
    "cooperative": "teststad",
    "seq": 4,
    "time": "2026-03-14T09:00:03.000000+00:00",
    "actor": "member:17",
    "on_behalf_of": "",
    "action": "contribution.logged",
    "subject": "reciprocity.contribution:5",
    "payload": {"member_number": 17, "hours": "2.75"},
}
LAST = {
    "cooperative": "teststad",
    "seq": 5,
    "time": "2026-03-14T09:00:04.000000+00:00",
    "actor": "member:4",
    "on_behalf_of": "",
    "action": "ledger.posted",
    "subject": "ledger.transaction:10",
    "payload": {"lines": [["1000", "5.00"], ["8000", "-5.00"]]},
}


def _redacted(line: str) -> str:
    parsed = json.loads(line)
    return verify.export_line(parsed["prev_hash"], parsed["hash"], parsed["seq"], verify.REDACTED)


def _public_chain(events=None):
    """The chain of EVENTS, PRIVATE and LAST with PRIVATE (seq 4) redacted."""
    lines = _chain(events or [*EVENTS, PRIVATE, LAST])
    lines[3] = _redacted(lines[3])
    return lines


def test_it_accepts_a_public_export_and_counts_its_redacted_events(tmp_path):
    lines = _public_chain()
    head = json.loads(lines[-1])["hash"]

    result = _run(tmp_path, lines, "--strict")

    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == [
        f"OK: 5 events, head {head}",
        "4 events checked in full; 1 redacted: their content is not published, so only their "
        "place in the chain is checked",
    ]
    assert "2.75" not in "".join(lines)


def test_it_finds_a_published_head_that_is_a_redacted_event(tmp_path):
    lines = _public_chain()
    published = json.loads(lines[3])["hash"]

    result = _run(tmp_path, lines, "--head", published)

    assert result.returncode == 0
    assert f"the published head {published} is part of this chain" in result.stdout


def test_it_names_a_changed_public_event_in_a_public_export(tmp_path):
    lines = _public_chain()
    lines[4] = lines[4].replace('"5.00"', '"6.00"')

    result = _run(tmp_path, lines)

    assert result.returncode == 1
    assert result.stdout.strip() == (
        "BROKEN at seq 5: hash mismatch: the event is not what was hashed"
    )


def test_it_names_a_redacted_line_whose_hash_was_changed(tmp_path):
    lines = _public_chain()
    lines[3] = lines[3].replace(json.loads(lines[3])["hash"], "b" * 64)

    result = _run(tmp_path, lines)

    assert result.returncode == 1
    assert f"BROKEN at seq 5: wrong link: prev_hash is {json.loads(lines[4])['prev_hash']}, " in (
        result.stdout
    )
    assert f"the hash of seq 4 is {'b' * 64}" in result.stdout


def test_it_names_a_redacted_line_whose_link_was_changed(tmp_path):
    lines = _public_chain()
    lines[3] = lines[3].replace(json.loads(lines[3])["prev_hash"], "c" * 64)

    result = _run(tmp_path, lines)

    assert result.returncode == 1
    assert "BROKEN at seq 4: wrong link: prev_hash is " + "c" * 64 in result.stdout


def test_it_names_a_removed_redacted_line(tmp_path):
    lines = _public_chain()
    del lines[3]

    result = _run(tmp_path, lines)

    assert result.returncode == 1
    assert "BROKEN at seq 4: gap: seq 4 is missing, the line holds seq 5" in result.stdout


def test_it_names_reordered_lines_of_a_public_export(tmp_path):
    lines = _public_chain()
    lines[3], lines[4] = lines[4], lines[3]

    result = _run(tmp_path, lines)

    assert result.returncode == 1
    assert "BROKEN at seq 4: gap: seq 4 is missing, the line holds seq 5" in result.stdout


def test_it_refuses_a_redacted_line_whose_hash_is_not_a_hash(tmp_path):
    lines = _public_chain()[:4]
    lines[3] = lines[3].replace(json.loads(lines[3])["hash"], "Z" * 64)

    result = _run(tmp_path, lines)

    assert result.returncode == 1
    assert "BROKEN at seq 4: this line is not an event of an audit chain export" in result.stdout


def _rebuilt_around_the_redacted_event(original):
    """What someone who controls the server could publish: event 2 rewritten and its links
    made up again, joined to the original hash of the redacted event 4."""
    rewritten = [dict(event) for event in EVENTS]
    rewritten[1]["payload"] = {"lines": [["1000", "1.00"], ["8000", "-1.00"]]}
    lines = _chain(rewritten)
    fourth = json.loads(original[3])
    lines.append(
        verify.export_line(json.loads(lines[2])["hash"], fourth["hash"], 4, verify.REDACTED)
    )
    lines.append(original[4])
    return lines


def test_a_chain_rebuilt_around_a_redacted_event_passes_without_the_earlier_export(tmp_path):
    # The limit of a public export on its own, which is why a funder keeps the one they got.
    original = _public_chain()
    head = json.loads(original[-1])["hash"]

    result = _run(tmp_path, _rebuilt_around_the_redacted_event(original), "--head", head)

    assert result.returncode == 0


def test_it_finds_a_chain_rebuilt_since_the_earlier_export(tmp_path):
    original = _public_chain()
    earlier = tmp_path / "earlier.jsonl"
    earlier.write_text("".join(line + "\n" for line in original[:4]), encoding="utf-8")

    result = _run(tmp_path, _rebuilt_around_the_redacted_event(original), "--earlier", str(earlier))

    assert result.returncode == 1
    assert "BROKEN at seq 2: changed since the earlier export: its hash was " in result.stdout


def test_it_confirms_an_earlier_export_is_still_part_of_the_chain(tmp_path):
    lines = _public_chain()
    earlier = tmp_path / "earlier.jsonl"
    earlier.write_text("".join(line + "\n" for line in lines[:4]), encoding="utf-8")

    result = _run(tmp_path, lines, "--earlier", str(earlier))

    assert result.returncode == 0, result.stdout
    assert f"all 4 events of {earlier} are still here, unchanged" in result.stdout


def test_a_full_export_and_a_public_one_of_the_same_chain_agree(tmp_path):
    full = tmp_path / "full.jsonl"
    full.write_text("".join(line + "\n" for line in _chain([*EVENTS, PRIVATE])), encoding="utf-8")

    result = _run(tmp_path, _public_chain(), "--earlier", str(full))

    assert result.returncode == 0, result.stdout


def test_it_names_events_removed_since_the_earlier_export(tmp_path):
    lines = _public_chain()
    earlier = tmp_path / "earlier.jsonl"
    earlier.write_text("".join(line + "\n" for line in lines), encoding="utf-8")

    result = _run(tmp_path, lines[:3], "--earlier", str(earlier))

    assert result.returncode == 1
    assert (
        "BROKEN at seq 4: the earlier export has 5 events and this one 3: events were removed"
        in result.stdout
    )


def test_it_says_when_the_earlier_export_is_itself_broken(tmp_path):
    lines = _public_chain()
    earlier = tmp_path / "earlier.jsonl"
    earlier.write_text(lines[1] + "\n", encoding="utf-8")

    result = _run(tmp_path, lines, "--earlier", str(earlier))

    assert result.returncode == 1
    assert result.stdout.startswith(f"BROKEN in the earlier export {earlier} at seq 1: ")
