"""/api/v1/c/<slug>/budgets/: funding streams, proposals, agreements and closing the year: the
same decisions as the services take, and the same refusals, with nothing written."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from budgets import services
from budgets.models import Agreement, Proposal, ProposalStatus
from budgets.tests.api_helpers import (
    API,
    add_stream,
    api,
    counts,
    eligible,
    end,
    open_yes_no,
    propose,
)
from members import services as member_services
from members.models import PartnerOrganisation, Sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def stream(hood):
    return add_stream(hood)


@pytest.fixture
def place(hood):
    return member_services.add_place(
        hood.cooperative, actor=hood.bob, name="Buurtkamer", kind="community_room"
    )


def refused(hood, response, status, message, before):
    """The answer is a refusal with `message`, and nothing was written."""
    assert response.status_code == status, response.json()
    body = response.json()
    text = body.get("detail") or str(body)
    assert message in text
    assert counts(hood.cooperative) == before


# Funding streams


def test_every_member_and_the_funder_read_the_streams_with_what_is_left(hood, stream):
    response = api(hood, "frank").get(f"{API}streams/")

    assert response.status_code == 200
    first, reserve = response.json()
    assert first["id"] == stream.pk
    assert (first["name"], first["funder_name"]) == ("Wijkbudget", "Gemeente Teststad")
    assert first["earmark"] == ["care", "green"]
    assert [first[k] for k in ("committed", "received", "allocated", "reserved", "left")] == [
        "20000.00",
        "10000.00",
        "0.00",
        "0.00",
        "10000.00",
    ]
    assert (reserve["id"], reserve["name"], reserve["committed"]) == (
        None,
        "Reinvestment reserve",
        None,
    )


def test_the_treasurer_adds_a_stream(hood):
    funder = PartnerOrganisation.objects.get(cooperative=hood.cooperative)
    before = counts(hood.cooperative)["events"]

    response = api(hood, "dave").post(
        f"{API}streams/",
        {
            "funder": funder.pk,
            "name": "Zorgfonds",
            "committed": "15000.00",
            "starts_on": "2026-01-01",
            "ends_on": "2027-06-30",
            "earmark": ["care"],
            "reporting": "Elk half jaar een verslag.",
            "payer_iban": "NL39 RABO 0300 0652 64",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["payer_iban"] == "NL39RABO0300065264"
    assert (body["name"], body["committed"], body["left"]) == ("Zorgfonds", "15000.00", "0.00")
    assert (body["ends_on"], body["earmark"]) == ("2027-06-30", ["care"])
    assert counts(hood.cooperative)["events"] == before + 1


GOOD_STREAM = {
    "name": "Zorgfonds",
    "committed": "15000.00",
    "starts_on": "2026-01-01",
    "ends_on": "2026-12-31",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"committed": "-5"}, "committed"),
        ({"committed": "lots"}, "committed"),
        ({"earmark": ["parties"]}, "earmark"),
        ({"earmark": "care"}, "earmark"),
        ({"ends_on": "2025-12-31"}, "The end date comes before the start date."),
        ({"name": "wijkbudget"}, "There is already a funding stream with this name."),
        ({"name": ""}, "name"),
        ({"funder": 999999}, "Choose one of this cooperative's partner organisations"),
        ({"funder": "the municipality"}, "funder"),
        ({"payer_iban": "NL39RABO0300065265"}, "This is not a valid IBAN."),
    ],
)
def test_it_refuses_a_stream_with_bad_data(hood, stream, change, message):
    funder = PartnerOrganisation.objects.get(cooperative=hood.cooperative)
    before = counts(hood.cooperative)

    response = api(hood, "carol").post(
        f"{API}streams/", {"funder": funder.pk, **GOOD_STREAM, **change}, format="json"
    )

    refused(hood, response, 400, message, before)


def test_a_resident_cannot_add_a_stream(hood):
    funder = PartnerOrganisation.objects.get(cooperative=hood.cooperative)
    before = counts(hood.cooperative)

    response = api(hood, "alice").post(
        f"{API}streams/", {"funder": funder.pk, **GOOD_STREAM}, format="json"
    )

    refused(hood, response, 403, "Only board member or treasurer may do this.", before)


def test_a_funder_of_another_cooperative_cannot_be_named(hood):
    other = member_services.add_partner_organisation(
        hood.other, actor=None, name="Fonds Elders", sector=Sector.GOVERNMENT
    )
    before = counts(hood.cooperative)

    response = api(hood, "carol").post(
        f"{API}streams/", {"funder": other.pk, **GOOD_STREAM}, format="json"
    )

    refused(hood, response, 400, "partner organisations as the funder", before)


def test_the_treasurer_records_money_received(hood, stream):
    response = api(hood, "dave").post(
        f"{API}streams/{stream.pk}/receipts/",
        {"amount": "2500.50", "received_on": "2026-03-01"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert (response.json()["received"], response.json()["left"]) == ("12500.50", "12500.50")


@pytest.mark.parametrize(
    ("name", "body", "status", "message"),
    [
        ("carol", {"amount": "100"}, 403, "Only treasurer may do this."),
        ("alice", {"amount": "100"}, 403, "Only treasurer may do this."),
        ("dave", {"amount": "0"}, 400, "amount"),
        ("dave", {"amount": ["100"]}, 400, "amount"),
        ("dave", {}, 400, "amount"),
        ("dave", {"amount": "100", "received_on": "2999-01-01"}, 400, "has not come yet"),
    ],
)
def test_it_refuses_a_bad_receipt(hood, stream, name, body, status, message):
    before = counts(hood.cooperative)

    response = api(hood, name).post(f"{API}streams/{stream.pk}/receipts/", body, format="json")

    refused(hood, response, status, message, before)


def test_a_stream_of_another_cooperative_is_not_found(hood, stream):
    response = api(hood, "olivia").post(
        f"/api/v1/c/elders/budgets/streams/{stream.pk}/receipts/", {"amount": "1"}, format="json"
    )

    assert response.status_code == 404


# Proposals


def test_a_resident_proposes_a_project(hood, stream, place):
    response = api(hood, "alice").post(
        f"{API}proposals/",
        {
            "title": "Buurtmaaltijd",
            "description": "Elke vrijdag samen eten in de buurtkamer.",
            "amount": "3000",
            "theme": "care",
            "stream": stream.pk,
            "place": place.pk,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["number"], body["status"], body["amount"]) == (1, "submitted", "3000.00")
    assert (body["stream"], body["place"]) == (stream.pk, place.pk)
    assert body["proposed_by"] == hood.membership("alice").member_number


def test_a_proposal_without_a_stream_is_paid_from_the_reserve(hood):
    response = api(hood, "bob").post(
        f"{API}proposals/",
        {
            "title": "Bankje",
            "description": "Een bank bij de speeltuin.",
            "amount": "400",
            "theme": "meeting",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["stream"] is None


GOOD_PROPOSAL = {
    "title": "Buurtmaaltijd",
    "description": "Samen eten.",
    "amount": "3000",
    "theme": "care",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "12.345"}, "amount"),
        ({"amount": [3000]}, "amount"),
        ({"theme": "parties"}, "theme"),
        ({"title": ""}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"description": "   "}, "description"),
        ({"stream": 999999}, "Choose one of this cooperative's funding streams, or the reserve."),
        ({"place": 999999}, "Choose one of this cooperative's places."),
        ({"stream": "Wijkbudget"}, "stream"),
    ],
)
def test_it_refuses_a_proposal_with_bad_data(hood, stream, change, message):
    before = counts(hood.cooperative)

    response = api(hood, "alice").post(
        f"{API}proposals/", {**GOOD_PROPOSAL, "stream": stream.pk, **change}, format="json"
    )

    refused(hood, response, 400, message, before)


def test_a_funder_cannot_propose(hood, stream):
    before = counts(hood.cooperative)

    response = api(hood, "frank").post(f"{API}proposals/", GOOD_PROPOSAL, format="json")

    refused(hood, response, 403, "may do this", before)


def test_members_list_proposals_and_the_board_those_to_check(hood, stream):
    checked = eligible(hood, stream, "Geveltuinen", "2500", theme="green")
    waiting = propose(hood, stream, "Buurtmaaltijd")
    client = api(hood, "carol")

    everything = client.get(f"{API}proposals/").json()
    to_check = client.get(f"{API}proposals/", {"status": "submitted"}).json()

    assert [p["number"] for p in everything["results"]] == [waiting.number, checked.number]
    assert [p["number"] for p in to_check["results"]] == [waiting.number]


def test_it_refuses_an_unknown_status_to_list(hood):
    response = api(hood, "carol").get(f"{API}proposals/", {"status": "lost"})

    assert response.status_code == 400
    assert response.json()["detail"] == "Choose a status from the list."


def test_refusals_are_in_dutch_unless_asked_otherwise(hood):
    client = APIClient()
    client.force_authenticate(hood.carol)

    response = client.get(f"{API}proposals/", {"status": "lost"})

    assert response.json()["detail"] == "Kies een status uit de lijst."


def test_a_proposal_is_read_by_its_number(hood, stream):
    proposal = propose(hood, stream)

    response = api(hood, "frank").get(f"{API}proposals/{proposal.number}/")

    assert response.status_code == 200
    assert response.json()["title"] == "Buurtmaaltijd"
    assert api(hood, "frank").get(f"{API}proposals/99/").status_code == 404


def test_the_proposer_withdraws_a_proposal(hood, stream):
    proposal = propose(hood, stream)

    response = api(hood, "alice").post(f"{API}proposals/{proposal.number}/withdraw/")

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


def test_another_resident_cannot_withdraw_it(hood, stream):
    proposal = propose(hood, stream)
    before = counts(hood.cooperative)

    response = api(hood, "bob").post(f"{API}proposals/{proposal.number}/withdraw/")

    refused(hood, response, 403, "Only board member may do this.", before)


def test_the_board_finds_a_proposal_eligible(hood, stream):
    proposal = propose(hood, stream)

    response = api(hood, "carol").post(
        f"{API}proposals/{proposal.number}/check/", {"eligible": True}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "eligible"


def test_the_board_refuses_a_proposal_with_a_reason_the_proposer_reads(hood, stream):
    proposal = propose(hood, stream)

    api(hood, "carol").post(
        f"{API}proposals/{proposal.number}/check/",
        {"eligible": False, "reason": "Dit doet de gemeente al."},
        format="json",
    )

    body = api(hood, "alice").get(f"{API}proposals/{proposal.number}/").json()
    assert (body["status"], body["reason"]) == ("refused", "Dit doet de gemeente al.")


@pytest.mark.parametrize(
    ("title", "amount", "theme", "body", "status", "message"),
    [
        # Outside the stream's earmark (care and green): it cannot be found eligible.
        (
            "Jongerenhonk",
            "3000",
            "youth",
            {"eligible": True},
            400,
            "Wijkbudget may only be spent on care and well-being, green and nature",
        ),
        # More than the € 10.000 the stream has left.
        (
            "Buurthuis",
            "15000",
            "care",
            {"eligible": True},
            400,
            "Wijkbudget has €10,000.00 left, and this proposal asks €15,000.00.",
        ),
        (
            "Buurtmaaltijd",
            "3000",
            "care",
            {"eligible": False},
            400,
            "Write down why the proposal cannot be voted on",
        ),
        ("Buurtmaaltijd", "3000", "care", {"eligible": "maybe"}, 400, "eligible"),
        ("Buurtmaaltijd", "3000", "care", {}, 400, "eligible"),
    ],
)
def test_it_refuses_a_check_that_breaks_a_rule(
    hood, stream, title, amount, theme, body, status, message
):
    proposal = propose(hood, stream, title, amount, theme)
    before = counts(hood.cooperative)

    response = api(hood, "carol").post(
        f"{API}proposals/{proposal.number}/check/", body, format="json"
    )

    refused(hood, response, status, message, before)
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED


def test_only_the_board_checks(hood, stream):
    proposal = propose(hood, stream)
    before = counts(hood.cooperative)

    response = api(hood, "bob").post(
        f"{API}proposals/{proposal.number}/check/", {"eligible": True}, format="json"
    )

    refused(hood, response, 403, "Only board member may do this.", before)


# Agreements


@pytest.fixture
def adopted(hood, stream):
    """Proposal 1, adopted by a yes/no vote: its € 3.000 are in its own budget now."""
    proposal = eligible(hood, stream)
    vote = open_yes_no(hood, proposal, stream)
    services.cast_ballot(vote, actor=hood.alice, choice="yes")
    services.close_vote(end(vote), actor=hood.carol)
    proposal.refresh_from_db()
    return proposal


def _due(days=30) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_the_board_makes_an_agreement_and_the_person_responsible_marks_it_done(hood, adopted):
    bob = hood.membership("bob")
    made = api(hood, "carol").post(
        f"{API}agreements/",
        {
            "proposal": adopted.number,
            "what": "Boodschappen doen",
            "responsible": bob.member_number,
            "due_on": _due(),
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert (made.json()["proposal"], made.json()["responsible"]) == (
        adopted.number,
        bob.member_number,
    )

    done = api(hood, "bob").post(f"{API}agreements/{made.json()['id']}/done/")

    assert done.status_code == 200
    assert done.json()["done_on"] == timezone.localdate().isoformat()
    listed = api(hood, "alice").get(f"{API}agreements/").json()["results"]
    assert [a["what"] for a in listed] == ["Boodschappen doen"]


@pytest.mark.parametrize(
    ("name", "change", "status", "message"),
    [
        ("alice", {}, 403, "Only board member or coordinator may do this."),
        ("carol", {"proposal": 99}, 400, "Choose proposals of this cooperative."),
        ("carol", {"responsible": 999}, 400, "There is no member with this number."),
        ("carol", {"due_on": "2020-01-01"}, 400, "The date has already passed."),
        ("carol", {"due_on": "soon"}, 400, "due_on"),
        ("carol", {"what": ""}, 400, "what"),
    ],
)
def test_it_refuses_a_bad_agreement(hood, adopted, name, change, status, message):
    body = {
        "proposal": adopted.number,
        "what": "Boodschappen doen",
        "responsible": hood.membership("bob").member_number,
        "due_on": _due(),
    }
    before = counts(hood.cooperative)

    response = api(hood, name).post(f"{API}agreements/", body | change, format="json")

    refused(hood, response, status, message, before)


def test_no_agreement_for_a_proposal_not_adopted(hood, stream):
    proposal = eligible(hood, stream)
    before = counts(hood.cooperative)

    response = api(hood, "carol").post(
        f"{API}agreements/",
        {"proposal": proposal.number, "what": "Iets", "responsible": 1, "due_on": _due()},
        format="json",
    )

    refused(hood, response, 400, "Agreements are made for adopted proposals only.", before)


def test_an_agreement_is_done_once_and_only_by_who_may(hood, adopted):
    agreement = services.add_agreement(
        adopted,
        actor=hood.carol,
        what="Boodschappen",
        responsible=hood.membership("bob"),
        due_on=_due(),
    )
    before = counts(hood.cooperative)

    by_another = api(hood, "alice").post(f"{API}agreements/{agreement.pk}/done/")

    refused(hood, by_another, 403, "Only board member or coordinator may do this.", before)
    api(hood, "bob").post(f"{API}agreements/{agreement.pk}/done/")
    before = counts(hood.cooperative)
    twice = api(hood, "bob").post(f"{API}agreements/{agreement.pk}/done/")
    refused(hood, twice, 400, "This agreement is already done.", before)
    assert Agreement.objects.get(pk=agreement.pk).done_on == timezone.localdate()


# The year's result


def test_the_treasurer_closes_a_year_that_has_ended(hood):
    year = timezone.localdate().year - 1

    response = api(hood, "dave").post(f"{API}years/", {"year": year}, format="json")

    assert response.status_code == 201, response.json()
    assert (response.json()["year"], response.json()["result"]) == (year, "0.00")


@pytest.mark.parametrize(
    ("name", "body", "status", "message"),
    [
        ("carol", {"year": 2025}, 403, "Only treasurer may do this."),
        ("dave", {"year": timezone.now().year}, 400, "Only a year that has ended can be closed."),
        ("dave", {"year": "last year"}, 400, "year"),
        ("dave", {"year": 25}, 400, "year"),
        ("dave", {}, 400, "year"),
    ],
)
def test_it_refuses_to_close_a_year_it_may_not(hood, name, body, status, message):
    before = counts(hood.cooperative)

    response = api(hood, name).post(f"{API}years/", body, format="json")

    refused(hood, response, status, message, before)


def test_a_year_is_closed_once(hood):
    year = timezone.localdate().year - 1
    services.close_year(hood.cooperative, actor=hood.dave, year=year)
    before = counts(hood.cooperative)

    response = api(hood, "dave").post(f"{API}years/", {"year": year}, format="json")

    refused(hood, response, 400, f"The year {year} has already been closed.", before)
