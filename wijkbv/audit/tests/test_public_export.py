"""`manage.py audit export --public`: the chain everyone may download, without the content of
events about a person, still checked by verify.py."""

import io
import json
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command
from django.db import transaction

from wijkbv.audit import verify
from wijkbv.audit.chain import export_chain
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.public import is_public
from wijkbv.audit.services import append_event


def _export(slug, *options):
    out = io.StringIO()
    call_command("audit", "export", "--cooperative", slug, *options, stdout=out)
    return out.getvalue()


def _decide(cooperative):
    """A resident's hours (private) between two bookings (public)."""
    with transaction.atomic():
        append_event(
            cooperative,
            actor=None,
            action="ledger.posted",
            payload={"lines": [["1000", "40.00"], ["8000", "-40.00"]]},
        )
        append_event(
            cooperative,
            actor=None,
            action="contribution.logged",
            subject="reciprocity.contribution:77",
            payload={"member_number": 4213, "hours": "7.25", "activity": "Gedeelde maaltijd"},
        )
        append_event(
            cooperative,
            actor=None,
            action="ledger.posted",
            payload={"lines": [["1000", "12.00"], ["8000", "-12.00"]]},
        )


def _verify(tmp_path, text, *options):
    export = tmp_path / "chain.jsonl"
    export.write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-I", "-S", str(Path(verify.__file__)), str(export), *options],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_public_export_verifies_with_the_standalone_verifier(hood, tmp_path):
    _decide(hood.cooperative)
    events = AuditEvent.objects.filter(cooperative=hood.cooperative)
    redacted = sum(not is_public(e.action, e.payload) for e in events)
    last = events.order_by("-seq").first()

    result = _verify(tmp_path, _export("teststad", "--public"), "--head", last.hash, "--strict")

    assert result.returncode == 0, result.stdout
    assert redacted >= 1
    assert result.stdout.splitlines() == [
        f"OK: {events.count()} events, head {last.hash}",
        f"{events.count() - redacted} events checked in full; {redacted} redacted: their content "
        "is not published, so only their place in the chain is checked",
        f"the published head {last.hash} is part of this chain",
    ]


def test_it_leaves_out_what_a_resident_gave(hood):
    _decide(hood.cooperative)

    text = _export("teststad", "--public")

    assert "contribution.logged" not in text
    assert '"member_number":4213' not in text
    assert '"hours":"7.25"' not in text
    assert "Gedeelde maaltijd" not in text


def test_a_redacted_event_keeps_its_place_and_hashes(hood):
    _decide(hood.cooperative)
    private = AuditEvent.objects.get(cooperative=hood.cooperative, action="contribution.logged")

    lines = _export("teststad", "--public").splitlines()

    assert json.loads(lines[private.seq - 1]) == {
        "hash": private.hash,
        "prev_hash": private.prev_hash,
        "seq": private.seq,
        "event": None,
    }


def test_a_public_event_is_written_whole(hood):
    _decide(hood.cooperative)
    posted = AuditEvent.objects.filter(cooperative=hood.cooperative, action="ledger.posted").last()

    lines = _export("teststad", "--public").splitlines()

    stored = posted.as_chain_dict()
    del stored["hash"], stored["prev_hash"]
    assert json.loads(lines[posted.seq - 1])["event"] == stored


def test_the_full_export_still_holds_every_event(hood, tmp_path):
    _decide(hood.cooperative)

    text = _export("teststad")

    assert '"event":null' not in text
    assert '"hours":"7.25"' in text
    assert "".join(export_chain(hood.cooperative, public=False)) == text
    result = _verify(tmp_path, text)
    assert result.returncode == 0
    assert result.stdout.strip() == (
        f"OK: {AuditEvent.objects.filter(cooperative=hood.cooperative).count()} events, "
        f"head {AuditEvent.objects.filter(cooperative=hood.cooperative).last().hash}"
    )


def test_a_changed_public_event_in_the_public_export_is_found(hood, tmp_path):
    _decide(hood.cooperative)
    text = _export("teststad", "--public").replace('"12.00"', '"120.00"')

    result = _verify(tmp_path, text)

    last = AuditEvent.objects.filter(cooperative=hood.cooperative).last()
    assert result.returncode == 1
    assert result.stdout.strip() == (
        f"BROKEN at seq {last.seq}: hash mismatch: the event is not what was hashed"
    )


def test_the_full_export_kept_earlier_vouches_for_the_public_one(hood, tmp_path):
    _decide(hood.cooperative)
    earlier = tmp_path / "earlier.jsonl"
    earlier.write_text(_export("teststad"), encoding="utf-8")

    result = _verify(tmp_path, _export("teststad", "--public"), "--earlier", str(earlier))

    assert result.returncode == 0, result.stdout
