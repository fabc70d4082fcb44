import pytest

from budgets import services
from budgets.models import Proposal
from budgets.tests.conftest import written
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def _submit(hood, actor="alice", **changes):
    fields = {
        "title": "Buurtmaaltijd",
        "description": "Elke vrijdag samen eten in de buurtkamer.",
        "amount": "1.250,00",
        "theme": "meeting",
    } | changes
    return services.submit_proposal(hood.cooperative, actor=hood.people[actor], **fields)


def test_a_resident_proposes_a_project_paid_from_a_stream(hood, stream, place):
    with captures_events(hood.cooperative) as events:
        proposal = _submit(
            hood, stream=stream, theme="care", place=place, working_group="Werkgroep eten"
        )
    assert proposal.number == 1
    assert proposal.status == "submitted"
    assert str(proposal.amount) == "1250.00"
    assert proposal.proposed_by == hood.membership("alice")
    assert_audit_event(
        events,
        action="budget.proposal_submitted",
        actor=hood.alice,
        subject=proposal,
        payload={
            "number": 1,
            "title": "Buurtmaaltijd",
            "amount": "1250.00",
            "currency": "EUR",
            "stream": "Wijkbudget",
            "theme": "care",
            "proposed_by": hood.membership("alice").member_number,
        },
    )


def test_without_a_stream_the_reserve_pays_and_numbers_follow_on(hood):
    first = _submit(hood)
    second = _submit(hood, actor="bob", title="Bankjes")
    assert first.stream is None
    assert (first.number, second.number) == (1, 2)


def test_the_system_names_the_proposer(hood):
    proposal = services.submit_proposal(
        hood.cooperative,
        actor=None,
        title="Speeltuin",
        description="Een nieuwe schommel.",
        amount=900,
        theme="youth",
        proposer=hood.membership("erin"),
    )
    assert proposal.proposed_by == hood.membership("erin")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Fill in a title"),
        ({"title": "x" * 121}, "at most 120 characters"),
        ({"description": "  "}, "what the project is"),
        ({"amount": "0"}, "Fill in an amount"),
        ({"amount": "veel"}, "Fill in an amount"),
        ({"amount": 12.5}, "Fill in an amount"),
        ({"theme": "parking"}, "Choose a theme"),
        ({"stream": "Wijkbudget"}, "funding streams"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(hood, stream, changes, message):
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match=message):
        _submit(hood, **changes)
    assert written(hood.cooperative) == before


def test_funders_and_outsiders_do_not_propose(hood):
    for name in ("frank", "olivia"):
        with pytest.raises(NotAllowed):
            _submit(hood, actor=name)
    assert not Proposal.objects.exists()
