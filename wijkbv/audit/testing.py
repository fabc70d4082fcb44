"""Test helpers for the one rule: every decision appends exactly one audit event."""

import contextlib

from wijkbv.audit.models import AuditEvent
from wijkbv.audit.services import actor_reference


@contextlib.contextmanager
def captures_events(cooperative):
    """Collect the audit events the block appends to the cooperative's chain."""
    before = AuditEvent.objects.filter(cooperative=cooperative).count()
    captured: list[AuditEvent] = []
    yield captured
    captured.extend(AuditEvent.objects.filter(cooperative=cooperative).order_by("seq")[before:])


def assert_audit_event(
    events, *, action: str, actor=None, on_behalf_of=None, subject=None, payload: dict | None = None
) -> AuditEvent:
    """Assert `events` (from `captures_events`) is exactly one event with these values.

    `payload` is compared whole; `actor`/`on_behalf_of` are users (None: the system)."""
    assert len(events) == 1, f"expected one audit event, got {[e.action for e in events]}"
    event = events[0]
    assert event.action == action, event.action
    assert event.actor == actor_reference(actor, event.cooperative), event.actor
    expected_behalf = actor_reference(on_behalf_of, event.cooperative) if on_behalf_of else ""
    assert event.on_behalf_of == expected_behalf, event.on_behalf_of
    if subject is not None:
        expected = (
            subject if isinstance(subject, str) else f"{subject._meta.label_lower}:{subject.pk}"
        )
        assert event.subject == expected, event.subject
    if payload is not None:
        assert event.payload == payload, event.payload
    return event
