"""Reading the chain for pages: the events about the objects a page shows, the head, the latest
public events and one event. Each is one query, whatever the length of the chain."""

from dataclasses import dataclass

from django.db.models import Q

from wijkbv.audit.models import AuditEvent, ChainHead
from wijkbv.audit.public import PUBLIC_ACTIONS, is_public


@dataclass(frozen=True)
class EventRef:
    """Enough of an event to name it and link to it. `public` says whether everyone may read
    its content (public.py); a page for everyone shows a redacted event by its seq alone."""

    seq: int
    action: str
    time: str
    hash: str
    public: bool


_REF_FIELDS = ("subject", "seq", "action", "time", "hash", "payload")


def events_about(cooperative, subjects: list[str]) -> dict[str, list[EventRef]]:
    """The events of the cooperative's chain about each of `subjects` ("app_label.model:pk", as
    wijkbv.audit.references.subject_reference writes them), oldest first. A subject without
    events is left out. One query, on the index of (cooperative, subject)."""
    found: dict[str, list[EventRef]] = {}
    wanted = sorted(set(subjects))
    if not wanted:
        return found
    rows = (
        AuditEvent.objects.filter(cooperative=cooperative, subject__in=wanted)
        .order_by("seq")
        .values_list(*_REF_FIELDS)
    )
    for subject, seq, action, time, digest, payload in rows:
        found.setdefault(subject, []).append(
            EventRef(seq, action, time, digest, is_public(action, payload))
        )
    return found


def head(cooperative) -> tuple[int, str]:
    """The seq and hash of the last event of the cooperative's chain ((0, 64 zeros) when it has
    none): what a report prints, so a funder can later find it in the chain."""
    return ChainHead.objects.filter(cooperative=cooperative).values_list("seq", "hash").get()


def public_events() -> Q:
    """The events public.is_public lets through, as a condition the database can check."""
    return Q(action__in=PUBLIC_ACTIONS) | Q(
        action="expense.submitted", payload__kind="invoice", payload__claimant=None
    )


def latest_public_events(cooperative, *, limit: int = 20) -> list[AuditEvent]:
    """The cooperative's last `limit` public events, newest first."""
    return list(
        AuditEvent.objects.filter(public_events(), cooperative=cooperative)
        .order_by("-seq")
        .only("seq", "time", "action", "hash")[:limit]
    )


def event_at(cooperative, seq: int) -> AuditEvent | None:
    """The event at `seq` of the cooperative's chain, or None."""
    return AuditEvent.objects.filter(cooperative=cooperative, seq=seq).first()
