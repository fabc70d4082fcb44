"""Test helpers for the one rule: every decision appends exactly one audit event, and every edit
of a person's own account leaves a line in its row history."""

import contextlib

from wijkbv.audit.models import AuditEvent
from wijkbv.audit.references import actor_reference, subject_reference


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
        assert event.subject == subject_reference(subject), event.subject
    if payload is not None:
        assert event.payload == payload, event.payload
    return event


def assert_history(instance, *, reason: str):
    """Assert django-simple-history recorded the latest change of `instance` with `reason`.

    For edits that are not decisions of the cooperative (a person's own details): they append
    no audit event, and their row history says who changed what and why."""
    record = instance.history.order_by("-history_date", "-history_id").first()
    assert record is not None, f"no history was recorded for {instance!r}"
    assert record.history_change_reason == reason, (
        f"the last change of {instance!r} was recorded as {record.history_change_reason!r}, "
        f"not {reason!r}"
    )
    return record
