import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from wijkbv.audit.canonical import GENESIS_HASH, canonical
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.services import append_event
from wijkbv.audit.verify import verify_lines


def _export(slug):
    out = io.StringIO()
    call_command("audit", "export", "--cooperative", slug, stdout=out)
    return out.getvalue()


def test_it_writes_the_chain_as_json_lines_oldest_first(hood):
    with transaction.atomic():
        append_event(hood.cooperative, actor=None, action="test.done", payload={"naam": "tuin é"})
    lines = _export("teststad").splitlines()
    events = list(AuditEvent.objects.filter(cooperative=hood.cooperative).order_by("seq"))
    assert len(lines) == len(events)
    first = json.loads(lines[0])
    assert first["seq"] == 1
    assert first["prev_hash"] == GENESIS_HASH
    assert first["hash"] == events[0].hash
    last = json.loads(lines[-1])
    assert last["event"]["payload"] == {"naam": "tuin é"}
    stored = events[-1].as_chain_dict()
    del stored["hash"], stored["prev_hash"]
    assert last["event"] == stored
    # The event is written exactly as it was hashed.
    assert lines[-1].endswith(f',"event":{canonical(stored)}}}')


def test_an_export_verifies_with_the_standalone_verifier(hood):
    text = _export("teststad")
    count, head = verify_lines(
        text.encode("utf-8").splitlines(keepends=True),
        head=AuditEvent.objects.get(cooperative=hood.cooperative, seq=3).hash,
        strict=True,
    )
    last = AuditEvent.objects.filter(cooperative=hood.cooperative).order_by("-seq").first()
    assert (count, head) == (last.seq, last.hash)


def test_it_needs_a_cooperative(hood):
    with pytest.raises(CommandError):
        call_command("audit", "export")
    with pytest.raises(CommandError, match="there is no cooperative 'nowhere'"):
        call_command("audit", "export", "--cooperative", "nowhere")
