"""Reading the chain for the open pages: each selector is one query at any size."""

from django.db import transaction

from members.models import Cooperative
from wijkbv.audit.canonical import GENESIS_HASH
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.public import is_public
from wijkbv.audit.selectors import (
    EventRef,
    event_at,
    events_about,
    head,
    latest_public_events,
    public_events,
)
from wijkbv.audit.services import append_event, start_chain


def _append(cooperative, count, *, subject="budgets.expense:1", action="expense.approved"):
    with transaction.atomic():
        for _ in range(count):
            append_event(cooperative, actor=None, action=action, subject=subject, payload={})


def test_it_finds_the_events_about_each_subject_oldest_first(hood):
    _append(hood.cooperative, 2, subject="budgets.expense:1")
    _append(hood.cooperative, 1, subject="budgets.expense:2", action="expense.rejected")
    about_one = AuditEvent.objects.filter(cooperative=hood.cooperative, subject="budgets.expense:1")

    found = events_about(
        hood.cooperative, ["budgets.expense:1", "budgets.expense:2", "budgets.expense:3"]
    )

    assert found["budgets.expense:1"] == [
        EventRef(e.seq, e.action, e.time, e.hash, True) for e in about_one.order_by("seq")
    ]
    (rejected,) = found["budgets.expense:2"]
    assert rejected.action == "expense.rejected"
    assert rejected.public is False
    assert "budgets.expense:3" not in found


def test_it_reads_only_the_cooperatives_own_chain(hood):
    _append(hood.other, 1, subject="budgets.expense:1")

    assert events_about(hood.cooperative, ["budgets.expense:1"]) == {}


def test_it_asks_nothing_for_no_subjects(hood, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert events_about(hood.cooperative, []) == {}


def test_it_asks_one_query_however_many_events_and_subjects(hood, django_assert_num_queries):
    _append(hood.cooperative, 3, subject="budgets.expense:1")
    with django_assert_num_queries(1):
        events_about(hood.cooperative, ["budgets.expense:1"])

    for number in range(2, 40):
        _append(hood.cooperative, 3, subject=f"budgets.expense:{number}")
    subjects = [f"budgets.expense:{number}" for number in range(1, 40)]
    with django_assert_num_queries(1):
        found = events_about(hood.cooperative, subjects)
    assert sum(len(refs) for refs in found.values()) == 39 * 3


def test_the_head_is_the_last_event(hood, django_assert_num_queries):
    _append(hood.cooperative, 2)
    last = AuditEvent.objects.filter(cooperative=hood.cooperative).order_by("-seq").first()

    with django_assert_num_queries(1):
        assert head(hood.cooperative) == (last.seq, last.hash)


def test_the_head_of_an_empty_chain_is_the_start(db):
    cooperative = Cooperative.objects.create(name="Leeg", slug="leeg")
    start_chain(cooperative)

    assert head(cooperative) == (0, GENESIS_HASH)


def test_the_latest_public_events_leave_out_those_about_a_person(hood, django_assert_num_queries):
    _append(hood.cooperative, 3, action="ledger.posted")
    _append(hood.cooperative, 2, action="contribution.logged")

    with django_assert_num_queries(1):
        latest = latest_public_events(hood.cooperative, limit=2)

    last_public = (
        AuditEvent.objects.filter(cooperative=hood.cooperative, action="ledger.posted")
        .order_by("-seq")
        .values_list("seq", flat=True)
    )
    assert [event.seq for event in latest] == list(last_public[:2])


def test_the_database_condition_agrees_with_the_rule(hood):
    with transaction.atomic():
        for kind, claimant in (("invoice", None), ("claim", 17), ("invoice", 17)):
            append_event(
                hood.cooperative,
                actor=None,
                action="expense.submitted",
                payload={"kind": kind, "claimant": claimant},
            )
    _append(hood.cooperative, 1, action="member.registered")
    events = AuditEvent.objects.filter(cooperative=hood.cooperative)

    selected = set(events.filter(public_events()).values_list("seq", flat=True))

    assert selected == {e.seq for e in events if is_public(e.action, e.payload)}
    assert selected


def test_it_finds_one_event_by_its_seq(hood):
    assert event_at(hood.cooperative, 1).seq == 1
    assert event_at(hood.cooperative, 10_000) is None
