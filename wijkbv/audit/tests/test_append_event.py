import pytest
from django.db import transaction

from wijkbv.audit.canonical import event_hash
from wijkbv.audit.models import AuditEvent, ChainHead
from wijkbv.audit.services import append_event
from wijkbv.audit.testing import assert_audit_event, captures_events


def _last(cooperative):
    return AuditEvent.objects.filter(cooperative=cooperative).order_by("-seq").first()


def test_it_appends_the_next_link_of_the_chain(hood):
    coop = hood.cooperative
    before = _last(coop)
    with captures_events(coop) as events:
        with transaction.atomic():
            appended = append_event(
                coop,
                actor=hood.bob,
                action="place.opened",
                subject="members.place:7",
                payload={"hours": 3, "names": ["kitchen"]},
            )
    event = assert_audit_event(
        events,
        action="place.opened",
        actor=hood.bob,
        subject="members.place:7",
        payload={"hours": 3, "names": ["kitchen"]},
    )
    assert event.pk == appended.pk
    assert event.seq == before.seq + 1
    assert event.prev_hash == before.hash
    assert event.hash == event_hash(before.hash, event.as_chain_dict())
    head = ChainHead.objects.get(cooperative=coop)
    assert (head.seq, head.hash) == (event.seq, event.hash)


def test_it_names_people_by_reference_never_by_name(hood):
    with captures_events(hood.cooperative) as events:
        with transaction.atomic():
            append_event(hood.cooperative, actor=hood.bob, action="a", on_behalf_of=hood.alice)
            append_event(hood.cooperative, actor=hood.olivia, action="b")
            append_event(hood.cooperative, actor=None, action="c")
    bob, alice = hood.membership("bob"), hood.membership("alice")
    assert [(e.actor, e.on_behalf_of) for e in events] == [
        (f"member:{bob.member_number}", f"member:{alice.member_number}"),
        (f"user:{hood.olivia.pk}", ""),
        ("system", ""),
    ]
    assert events[0].actor_user == hood.bob


def test_each_cooperative_has_its_own_chain(hood):
    with transaction.atomic():
        here = append_event(hood.cooperative, actor=None, action="a")
        there = append_event(hood.other, actor=None, action="a")
    assert here.seq == AuditEvent.objects.filter(cooperative=hood.cooperative).count()
    assert there.seq == AuditEvent.objects.filter(cooperative=hood.other).count()


@pytest.mark.parametrize(
    ("payload", "error", "message"),
    [
        ({"amount": 12.5}, TypeError, r"payload.amount is a float"),
        ({"lines": [{"amount": __import__("decimal").Decimal("1")}]}, TypeError, "Decimal"),
        ({"member": {"full_name": "Alice"}}, ValueError, "personal details never go"),
        ({"email": "alice@example.org"}, ValueError, "personal details never go"),
        ({1: "one"}, TypeError, "keys must be strings"),
    ],
)
def test_it_refuses_a_payload_that_does_not_belong_in_a_public_chain(hood, payload, error, message):
    with captures_events(hood.cooperative) as events:
        with pytest.raises(error, match=message):
            with transaction.atomic():
                append_event(hood.cooperative, actor=None, action="x", payload=payload)
    assert events == []


def test_it_goes_with_the_decision_when_the_decision_is_rolled_back(hood):
    head = ChainHead.objects.get(cooperative=hood.cooperative)
    with captures_events(hood.cooperative) as events:
        with pytest.raises(ZeroDivisionError):
            with transaction.atomic():
                append_event(hood.cooperative, actor=None, action="x")
                1 / 0  # noqa: B018 (the decision fails after its event was appended)
    assert events == []
    assert ChainHead.objects.get(pk=head.pk).seq == head.seq


@pytest.mark.django_db(transaction=True)
def test_it_must_run_inside_the_decisions_transaction(hood):
    with pytest.raises(RuntimeError, match="inside the decision's transaction"):
        append_event(hood.cooperative, actor=None, action="x")
