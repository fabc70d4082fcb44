"""Proposing a project on the web, following it, and withdrawing it."""

import pytest

from budgets import services
from budgets.models import Proposal
from budgets.tests.conftest import written
from budgets.tests.page_helpers import BASE, client, page

pytestmark = pytest.mark.django_db

URL = f"{BASE}/propose/"


def _form(source, **fields):
    return {
        "title": "Speeltuin",
        "description": "Een speeltuin voor de kinderen van de buurt.",
        "amount": "2400,50",
        "stream": source.pk,
        "theme": "green",
        "working_group": "Groen",
    } | fields


def test_a_resident_proposes_a_project(hood, stream, place):
    response = client(hood, "alice").post(URL, _form(stream, place=place.pk), follow=True)

    proposal = Proposal.objects.get()
    assert (proposal.title, str(proposal.amount), proposal.stream) == (
        "Speeltuin",
        "2400.50",
        stream,
    )
    assert proposal.place == place
    assert proposal.proposed_by == hood.membership("alice")
    assert "Thank you! Your proposal Speeltuin is sent." in page(response)
    assert "Waiting for the board&#x27;s check" in page(response)


def test_a_project_paid_from_the_reserve_needs_no_stream(hood, stream):
    client(hood, "alice").post(URL, _form(stream, stream=""))

    assert Proposal.objects.get().stream is None


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": ""}, "Fill in a title."),
        ({"amount": "veel"}, "Fill in an amount in euros and cents, more than zero"),
        ({"amount": "-5"}, "Fill in an amount in euros and cents, more than zero"),
        ({"theme": ""}, "Choose a theme."),
        ({"description": ""}, "Say in a few sentences what the project is and who it is for."),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_written(hood, stream, fields, message):
    before = written(hood.cooperative)

    response = client(hood, "alice").post(URL, _form(stream, **fields))

    assert response.status_code == 400
    assert message in page(response)
    assert written(hood.cooperative) == before


def test_the_proposer_reads_the_board_s_reason_for_a_refusal(hood, stream):
    proposal = services.submit_proposal(
        hood.cooperative,
        actor=hood.alice,
        title="Feest",
        description="Een feest.",
        amount="500",
        theme="culture",
        stream=stream,
    )
    services.check_proposal(
        proposal, actor=hood.carol, eligible=False, reason="Dit fonds is voor zorg en groen."
    )

    text = page(client(hood, "alice").get(URL))

    assert "Not eligible" in text
    assert "Dit fonds is voor zorg en groen." in text


def test_the_proposer_withdraws_a_proposal(hood, stream):
    client(hood, "alice").post(URL, _form(stream))
    proposal = Proposal.objects.get()

    response = client(hood, "alice").post(
        f"{BASE}/proposals/{proposal.number}/withdraw/", follow=True
    )

    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    assert "Your proposal has been withdrawn." in page(response)


def test_someone_else_cannot_withdraw_it(hood, stream):
    client(hood, "alice").post(URL, _form(stream))
    proposal = Proposal.objects.get()

    response = client(hood, "bob").post(
        f"{BASE}/proposals/{proposal.number}/withdraw/", follow=True
    )

    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    assert "Only board member may do this." in page(response)
