"""The audit chain on the open pages: how to check it, its public export, the verifier, and each
event. Events about a person are shown by their place and hashes alone (wijkbv/audit/public.py,
docs/decisions/0064-the-public-chain.md)."""

import datetime
import json
from pathlib import Path

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from members.models import Cooperative
from wijkbv.audit import selectors, verify
from wijkbv.audit.chain import export_chain
from wijkbv.audit.public import is_public

LATEST = 20


def _cooperative(slug) -> Cooperative:
    return get_object_or_404(Cooperative, slug=slug)


def _moment(text: str) -> datetime.datetime | None:
    """An event's time, stored as ISO 8601 text exactly as it was hashed."""
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        return None


def _file_name(cooperative) -> str:
    return f"{cooperative.slug}-chain-{timezone.localdate().isoformat()}.jsonl"


def chain(request, slug):
    """The chain's head, how to check it with verify.py, the latest public events, downloads."""
    cooperative = _cooperative(slug)
    seq, digest = selectors.head(cooperative)
    newest = selectors.event_at(cooperative, seq) if seq else None
    latest = [
        {"seq": event.seq, "moment": _moment(event.time), "action": event.action}
        for event in selectors.latest_public_events(cooperative, limit=LATEST)
    ]
    context = {
        "cooperative": cooperative,
        "head": (seq, digest),
        "head_moment": _moment(newest.time) if newest else None,
        "latest": latest,
        "file_name": _file_name(cooperative),
    }
    return render(request, "budgets/open/chain.html", context)


def chain_export(request, slug):
    """The public export: every event, those about a person without their content."""
    cooperative = _cooperative(slug)
    response = StreamingHttpResponse(
        export_chain(cooperative, public=True), content_type="application/jsonl; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(cooperative)}"'
    return response


def verifier(request, slug):
    """verify.py itself, the script that checks an export with Python's standard library."""
    _cooperative(slug)
    return FileResponse(
        Path(verify.__file__).open("rb"),
        as_attachment=True,
        filename="verify.py",
        content_type="text/x-python; charset=utf-8",
    )


def _shown(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _entries(payload) -> list[tuple[str, str]]:
    if not isinstance(payload, dict):
        return [("", _shown(payload))]
    return [(key, _shown(value)) for key, value in sorted(payload.items())]


def chain_event(request, slug, seq):
    """One event: its place, hashes and neighbours; its content only when it is public."""
    cooperative = _cooperative(slug)
    event = selectors.event_at(cooperative, seq)
    if event is None:
        raise Http404
    last_seq, _digest = selectors.head(cooperative)
    public = is_public(event.action, event.payload)
    context = {
        "cooperative": cooperative,
        "event": event,
        "public": public,
        "moment": _moment(event.time) if public else None,
        "payload": _entries(event.payload) if public else [],
        "previous": seq - 1 if seq > 1 else None,
        "next": seq + 1 if seq < last_seq else None,
    }
    return render(request, "budgets/open/chain_event.html", context)
