"""/api/v1/c/<slug>/budgets/votes/: opening a vote, ballots with receipts, proxies, paper
ballots, closing, results and the published ballots; every refusal with its message and
nothing written; and no answer that links a member to what they voted."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from budgets import services
from budgets.models import BallotRecord, Proposal, ProposalStatus, Vote, Voter
from budgets.tests.api_helpers import (
    API,
    add_stream,
    api,
    counts,
    eligible,
    end,
    open_budget,
    open_yes_no,
)
from members import services as member_services
from wijkbv.ledger.lines import credit, debit
from wijkbv.ledger.models import Account, Purpose
from wijkbv.ledger.services import post_transaction
from wijkbv.ledger.testing import euros

pytestmark = pytest.mark.django_db


@pytest.fixture
def stream(hood):
    return add_stream(hood)


@pytest.fixture
def proposals(hood, stream):
    """#1 € 3.000, #2 € 2.500 (green), #3 € 4.000, all eligible, from the € 10.000 stream."""
    return [
        eligible(hood, stream, "Buurtmaaltijd", "3000"),
        eligible(hood, stream, "Geveltuinen", "2500", theme="green"),
        eligible(hood, stream, "Maatjesproject", "4000"),
    ]


@pytest.fixture
def vote(hood, stream, proposals):
    """A participatory budget of € 7.000 with the greedy rule, open now."""
    return open_budget(hood, stream, proposals)


@pytest.fixture
def place(hood):
    return member_services.add_place(
        hood.cooperative, actor=hood.bob, name="Buurtkamer", kind="community_room"
    )


def refused(hood, response, status, message, before):
    """The answer is a refusal with `message`, and nothing was written."""
    assert response.status_code == status, response.json()
    body = response.json()
    assert message in (body.get("detail") or json.dumps(body))
    assert counts(hood.cooperative) == before


def ballot(hood, name, vote, body):
    return api(hood, name).post(f"{API}votes/{vote.pk}/ballot/", body, format="json")


def number(hood, name) -> int:
    return hood.membership(name).member_number


# Opening


def _opening(source, **change):
    now = timezone.now()
    return {
        "title": "Wijkbudget 2026",
        "kind": "budget",
        "electorate": "members",
        "weighting": "per_member",
        "rule": "mes",
        "closes_at": (now + datetime.timedelta(days=7)).isoformat(),
        "stream": source.pk,
        "budget_limit": "7000",
        "proposals": [1, 2, 3],
    } | change


def test_the_board_opens_a_participatory_budget(hood, stream, proposals):
    response = api(hood, "carol").post(f"{API}votes/", _opening(stream), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["rule"], body["state"], body["budget_limit"]) == (
        "budget",
        "mes",
        "open",
        "7000.00",
    )
    assert [p["number"] for p in body["proposals"]] == [1, 2, 3]
    # Everyone but the funder: alice, bob, carol, dave and erin.
    assert (body["electorate_size"], body["my_place"]["may_vote"]) == (5, True)
    assert Proposal.objects.filter(status=ProposalStatus.IN_VOTE).count() == 3


def test_the_board_opens_a_yes_no_vote_with_a_majority(hood, stream, proposals):
    response = api(hood, "carol").post(
        f"{API}votes/",
        _opening(
            stream,
            kind="yes_no",
            rule="",
            threshold="two_thirds",
            budget_limit=None,
            proposals=[1],
            quorum=30,
        ),
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert (response.json()["threshold"], response.json()["quorum"]) == ("two_thirds", 30)


@pytest.mark.parametrize(
    ("name", "change", "status", "message"),
    [
        ("alice", {}, 403, "Only board member may do this."),
        ("carol", {"proposals": [1, 99]}, 400, "Choose proposals of this cooperative."),
        ("carol", {"proposals": [1]}, 400, "at least two proposals"),
        ("carol", {"proposals": "1,2"}, 400, "proposals"),
        (
            "carol",
            {"opens_at": "2019-12-01T00:00:00Z", "closes_at": "2020-01-01T00:00:00Z"},
            400,
            "The closing time has already passed.",
        ),
        ("carol", {"closes_at": "next week"}, 400, "closes_at"),
        ("carol", {"kind": "poll"}, 400, "kind"),
        ("carol", {"rule": ""}, 400, "Choose how the budget is counted."),
        ("carol", {"quorum": 150}, 400, "quorum"),
        ("carol", {"stream": 999999}, 400, "Choose one of this cooperative's funding streams"),
        # The stream has € 10.000 left: a budget of € 12.000 would spend money it has not got.
        ("carol", {"budget_limit": "12000"}, 400, "Wijkbudget has €10,000.00 left"),
    ],
)
def test_it_refuses_to_open_a_vote_that_breaks_a_rule(
    hood, stream, proposals, name, change, status, message
):
    before = counts(hood.cooperative)

    response = api(hood, name).post(f"{API}votes/", _opening(stream, **change), format="json")

    refused(hood, response, status, message, before)


# Reading a vote and one's place in it


def test_members_list_the_votes(hood, vote):
    response = api(hood, "frank").get(f"{API}votes/")

    assert response.status_code == 200
    assert [v["id"] for v in response.json()["results"]] == [vote.pk]


def test_a_voter_sees_whether_they_may_vote_and_the_turnout_so_far(hood, vote):
    client = api(hood, "alice")
    before = client.get(f"{API}votes/{vote.pk}/").json()
    ballot(hood, "alice", vote, {"approvals": ["1"]})
    after = client.get(f"{API}votes/{vote.pk}/").json()

    assert before["my_place"] == {
        "may_vote": True,
        "voted": False,
        "weight": 1,
        "proxy_given_to": None,
        "proxies_held": [],
    }
    assert before["explanation"][0] == (
        "Tick every project you support. Together they may cost at most the budget of €7,000.00."
    )
    assert after["my_place"]["voted"] is True
    assert (before["turnout"]["voted"], after["turnout"]["voted"]) == (0, 1)
    assert after["turnout"]["voters"] == 5


def test_a_funder_is_not_on_the_list_of_voters(hood, vote):
    body = api(hood, "frank").get(f"{API}votes/{vote.pk}/").json()

    assert (body["my_place"]["may_vote"], body["my_place"]["weight"]) == (False, 0)


def test_a_vote_of_another_cooperative_is_not_found(hood, vote):
    client = api(hood, "olivia")

    assert client.get(f"/api/v1/c/elders/budgets/votes/{vote.pk}/").status_code == 404
    assert client.get(f"{API}votes/{vote.pk}/").status_code == 403


# Ballots


def test_a_voter_casts_a_budget_ballot_and_gets_a_receipt(hood, vote):
    response = ballot(hood, "alice", vote, {"approvals": ["1", "2"]})

    assert response.status_code == 201, response.json()
    receipt = response.json()
    assert set(receipt) == {"tracker", "nonce", "replaced"}
    assert len(receipt["tracker"]) == 64
    assert receipt["replaced"] is False
    stored = BallotRecord.objects.get(tracker=receipt["tracker"])
    assert (stored.approvals, stored.nonce) == (["1", "2"], receipt["nonce"])


def test_voting_again_replaces_the_ballot(hood, vote):
    first = ballot(hood, "alice", vote, {"approvals": ["1"]}).json()

    again = ballot(hood, "alice", vote, {"approvals": [3]})

    assert again.status_code == 201
    assert again.json()["replaced"] is True
    assert list(BallotRecord.objects.values_list("approvals", flat=True)) == [["3"]]
    assert not BallotRecord.objects.filter(tracker=first["tracker"]).exists()


def test_a_voter_answers_a_yes_no_vote(hood, stream, proposals):
    yes_no = open_yes_no(hood, proposals[0], stream)

    response = ballot(hood, "alice", yes_no, {"choice": "yes"})

    assert response.status_code == 201, response.json()
    assert BallotRecord.objects.get().choice == "yes"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        # #1, #2 and #3 cost € 9.500 together, more than the budget of € 7.000.
        ({"approvals": ["1", "2", "3"]}, "Your choice costs €9,500.00, more than the budget"),
        ({"approvals": ["1", "9"]}, "These projects are not in this vote: 9."),
        ({"approvals": ["1", "1"]}, "Choose each project only once."),
        ({"approvals": "1"}, "approvals"),
        ({"approvals": {"1": True}}, "approvals"),
        ({"approvals": [["1"]]}, "approvals"),
        ({"choice": "yes"}, "Choose the projects you support."),
        ({"approvals": ["1"], "for_member": "bob"}, "for_member"),
        ({"approvals": ["1"], "for_member": 999}, "There is no member with this number."),
    ],
)
def test_it_refuses_a_bad_budget_ballot(hood, vote, body, message):
    before = counts(hood.cooperative)

    response = ballot(hood, "alice", vote, body)

    refused(hood, response, 400, message, before)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"choice": "maybe"}, "Choose yes, no or abstain."),
        ({}, "Choose yes, no or abstain."),
        ({"choice": "yes", "approvals": ["1"]}, "This vote asks for yes, no or abstain."),
        ({"choice": ["yes"]}, "choice"),
    ],
)
def test_it_refuses_a_bad_yes_no_ballot(hood, stream, proposals, body, message):
    yes_no = open_yes_no(hood, proposals[0], stream)
    before = counts(hood.cooperative)

    response = ballot(hood, "alice", yes_no, body)

    refused(hood, response, 400, message, before)


def test_it_refuses_a_ballot_before_the_vote_opens(hood, stream, proposals):
    later = timezone.now() + datetime.timedelta(days=1)
    scheduled = open_budget(
        hood, stream, proposals, opens_at=later, closes_at=later + datetime.timedelta(days=7)
    )
    before = counts(hood.cooperative)

    response = ballot(hood, "alice", scheduled, {"approvals": ["1"]})

    refused(hood, response, 400, "This vote opens on", before)


def test_it_refuses_a_ballot_after_the_closing_time(hood, vote):
    end(vote)
    before = counts(hood.cooperative)

    response = ballot(hood, "alice", vote, {"approvals": ["1"]})

    refused(hood, response, 400, "This vote has closed: no more ballots can be cast.", before)


def test_it_refuses_a_ballot_after_the_vote_is_closed(hood, vote):
    services.close_vote(end(vote), actor=hood.carol)
    before = counts(hood.cooperative)

    response = ballot(hood, "alice", vote, {"approvals": ["1"]})

    refused(hood, response, 400, "This vote has closed", before)


def test_it_refuses_a_ballot_of_who_is_not_in_the_electorate(hood, vote):
    before = counts(hood.cooperative)

    response = ballot(hood, "frank", vote, {"approvals": ["1"]})

    refused(hood, response, 403, "You are not on the list of voters for this vote.", before)


def test_a_member_who_joined_after_the_opening_may_not_vote(hood, vote):
    newcomer = member_services.register_resident(
        hood.cooperative, actor=None, full_name="Nina Nieuw", email="nina@example.org"
    )
    client = api(hood)
    client.force_authenticate(newcomer.user)
    before = counts(hood.cooperative)

    response = client.post(f"{API}votes/{vote.pk}/ballot/", {"approvals": ["1"]}, format="json")

    refused(hood, response, 403, "It was fixed when the vote opened.", before)


def test_it_refuses_a_ballot_for_a_member_whose_proxy_one_does_not_hold(hood, vote):
    before = counts(hood.cooperative)

    response = ballot(hood, "bob", vote, {"approvals": ["1"], "for_member": number(hood, "alice")})

    refused(hood, response, 403, "You do not hold this member's proxy for this vote.", before)


def test_it_refuses_a_ballot_that_is_not_json(hood, vote):
    before = counts(hood.cooperative)

    response = api(hood, "alice").post(
        f"{API}votes/{vote.pk}/ballot/", '{"approvals": ["1"', content_type="application/json"
    )

    refused(hood, response, 400, "JSON parse error", before)


# Proxies


def proxy(hood, name, vote, to):
    return api(hood, name).post(
        f"{API}votes/{vote.pk}/proxy/", {"to_member_number": number(hood, to)}, format="json"
    )


def test_a_voter_gives_a_proxy_and_the_holder_votes_for_them(hood, vote):
    given = proxy(hood, "alice", vote, "bob")
    assert given.status_code == 201, given.json()
    assert given.json()["proxy_given_to"] == number(hood, "bob")
    held = api(hood, "bob").get(f"{API}votes/{vote.pk}/").json()["my_place"]["proxies_held"]
    assert held == [{"member_number": number(hood, "alice"), "voted": False}]

    cast = ballot(hood, "bob", vote, {"approvals": ["2"], "for_member": number(hood, "alice")})

    assert cast.status_code == 201, cast.json()
    alice = Voter.objects.get(vote=vote, membership=hood.membership("alice"))
    assert (alice.voted, alice.channel) == (True, "proxy")
    assert Voter.objects.get(vote=vote, membership=hood.membership("bob")).voted is False


def test_a_voter_takes_their_proxy_back(hood, vote):
    proxy(hood, "alice", vote, "bob")

    response = api(hood, "alice").delete(f"{API}votes/{vote.pk}/proxy/")

    assert response.status_code == 200
    assert response.json()["proxy_given_to"] is None


def test_it_refuses_a_proxy_to_oneself(hood, vote):
    before = counts(hood.cooperative)

    response = proxy(hood, "alice", vote, "alice")

    refused(hood, response, 400, "You cannot give your proxy to yourself.", before)


def test_it_refuses_a_proxy_chain(hood, vote):
    """A gave B their proxy: B cannot pass it on to C, and C cannot give theirs to A."""
    proxy(hood, "alice", vote, "bob")
    before = counts(hood.cooperative)

    passed_on = proxy(hood, "bob", vote, "carol")
    refused(hood, passed_on, 400, "Others have given you their proxy", before)

    to_a_giver = proxy(hood, "carol", vote, "alice")
    refused(hood, to_a_giver, 400, "has given their own proxy away", before)


@pytest.mark.parametrize(
    ("name", "body", "status", "message"),
    [
        ("alice", {"to_member_number": 999}, 400, "There is no member with this number."),
        ("alice", {"to_member_number": "bob"}, 400, "to_member_number"),
        ("alice", {}, 400, "to_member_number"),
        ("frank", {"to_member_number": 1}, 403, "You are not on the list of voters"),
    ],
)
def test_it_refuses_a_bad_proxy(hood, vote, name, body, status, message):
    before = counts(hood.cooperative)

    response = api(hood, name).post(f"{API}votes/{vote.pk}/proxy/", body, format="json")

    refused(hood, response, status, message, before)


def test_a_proxy_cannot_go_to_someone_outside_the_electorate(hood, vote):
    before = counts(hood.cooperative)

    response = proxy(hood, "alice", vote, "frank")

    refused(hood, response, 400, "may not vote in this vote, so cannot hold a proxy", before)


def test_it_refuses_a_proxy_after_voting_and_taking_back_none(hood, vote):
    ballot(hood, "alice", vote, {"approvals": ["1"]})
    before = counts(hood.cooperative)

    after_voting = proxy(hood, "alice", vote, "bob")
    refused(hood, after_voting, 400, "You have already voted.", before)

    nothing_to_take_back = api(hood, "alice").delete(f"{API}votes/{vote.pk}/proxy/")
    refused(hood, nothing_to_take_back, 400, "You have not given a proxy for this vote.", before)


# Paper ballots


def test_a_coordinator_enters_a_paper_ballot(hood, vote, place):
    response = api(hood, "bob").post(
        f"{API}votes/{vote.pk}/paper-ballots/",
        {"member_number": number(hood, "erin"), "place": place.pk, "approvals": ["3"]},
        format="json",
    )

    assert response.status_code == 201, response.json()
    erin = Voter.objects.get(vote=vote, membership=hood.membership("erin"))
    assert (erin.voted, erin.channel) == (True, "paper")


@pytest.mark.parametrize(
    ("name", "change", "status", "message"),
    [
        ("alice", {}, 403, "Only coordinator or board member may do this."),
        ("bob", {"member_number": 999}, 400, "There is no member with this number."),
        ("bob", {"place": 999999}, 400, "Choose the place where the ballot was filled in."),
        ("bob", {"approvals": ["1", "2", "3"]}, 400, "more than the budget"),
        ("bob", {"member_number": "erin"}, 400, "member_number"),
    ],
)
def test_it_refuses_a_bad_paper_ballot(hood, vote, place, name, change, status, message):
    body = {"member_number": number(hood, "erin"), "place": place.pk, "approvals": ["3"]}
    before = counts(hood.cooperative)

    response = api(hood, name).post(
        f"{API}votes/{vote.pk}/paper-ballots/", body | change, format="json"
    )

    refused(hood, response, status, message, before)


def test_a_paper_ballot_is_refused_for_who_has_voted(hood, vote, place):
    ballot(hood, "erin", vote, {"approvals": ["1"]})
    before = counts(hood.cooperative)

    response = api(hood, "bob").post(
        f"{API}votes/{vote.pk}/paper-ballots/",
        {"member_number": number(hood, "erin"), "place": place.pk, "approvals": ["3"]},
        format="json",
    )

    refused(hood, response, 400, "has already voted; a paper ballot cannot be added.", before)


# Closing, results and the published ballots


def test_the_board_closes_a_budget_vote_and_the_money_moves(hood, vote, stream):
    ballot(hood, "alice", vote, {"approvals": ["1", "3"]})
    ballot(hood, "bob", vote, {"approvals": ["1", "2"]})
    ballot(hood, "erin", vote, {"approvals": ["3"]})
    end(vote)

    response = api(hood, "carol").post(f"{API}votes/{vote.pk}/close/")

    assert response.status_code == 200, response.json()
    result = response.json()
    # Greedy: #1 (2 votes, € 3.000), #3 (2 votes, € 4.000); #2 no longer fits in € 7.000.
    assert (result["outcome"], result["winners"], result["adopted"]) == (
        "budget_decided",
        ["1", "3"],
        [1, 3],
    )
    lost = {p["number"]: p for p in result["projects"]}[2]
    assert (lost["approvals"], lost["adopted"], lost["loss"]["reason"]) == (
        1,
        False,
        "did_not_fit",
    )
    assert lost["why_lost"] == [
        "It had 1 vote and costs €2,500.00, but when its turn came only €0.00 of the budget "
        "was left."
    ]
    assert result["rule_explanation"].startswith("Projects are taken in order of votes")
    assert result["turnout"]["voted"] == 3
    assert result["roll_call"] is None
    (summary, _reserve) = api(hood, "frank").get(f"{API}streams/").json()
    assert (summary["allocated"], summary["left"]) == ("7000.00", "3000.00")


def test_it_refuses_to_close_before_the_closing_time(hood, vote):
    before = counts(hood.cooperative)

    response = api(hood, "carol").post(f"{API}votes/{vote.pk}/close/")

    refused(hood, response, 400, "This vote is open until", before)


def test_only_the_board_closes(hood, vote):
    end(vote)
    before = counts(hood.cooperative)

    response = api(hood, "bob").post(f"{API}votes/{vote.pk}/close/")

    refused(hood, response, 403, "Only board member may do this.", before)


def test_a_vote_is_closed_once(hood, vote):
    services.close_vote(end(vote), actor=hood.carol)
    before = counts(hood.cooperative)

    response = api(hood, "carol").post(f"{API}votes/{vote.pk}/close/")

    refused(hood, response, 400, "This vote has already been closed.", before)


def test_it_refuses_to_allocate_more_than_the_fund_has(hood, stream, proposals):
    """The funder took € 8.000 back after the vote opened: the € 3.000 the adopted proposal
    needs are no longer in the fund, so closing is refused and nothing moves."""
    yes_no = open_yes_no(hood, proposals[0], stream)
    ballot(hood, "alice", yes_no, {"choice": "yes"})
    bank = Account.objects.get(cooperative=hood.cooperative, purpose=Purpose.BANK)
    post_transaction(
        hood.cooperative,
        actor=hood.dave,
        booking_date=timezone.localdate(),
        description="Terugbetaald aan de gemeente",
        lines=[debit(stream.account, euros(8000)), credit(bank, euros(8000))],
    )
    end(yes_no)
    before = counts(hood.cooperative)

    response = api(hood, "carol").post(f"{API}votes/{yes_no.pk}/close/")

    refused(
        hood,
        response,
        400,
        "Wijkbudget has €2,000.00, and the adopted proposals need €3,000.00.",
        before,
    )
    assert Vote.objects.get(pk=yes_no.pk).closed_at is None
    assert Proposal.objects.get(pk=proposals[0].pk).status == ProposalStatus.IN_VOTE


def test_results_and_ballots_wait_for_the_close(hood, vote):
    client = api(hood, "alice")

    for what in ("results", "ballots"):
        response = client.get(f"{API}votes/{vote.pk}/{what}/")
        assert response.status_code == 400
        assert response.json()["code"] == "not_closed"


def test_a_yes_no_result_has_its_totals(hood, stream, proposals):
    yes_no = open_yes_no(hood, proposals[0], stream)
    ballot(hood, "alice", yes_no, {"choice": "yes"})
    ballot(hood, "bob", yes_no, {"choice": "no"})
    ballot(hood, "erin", yes_no, {"choice": "yes"})
    services.close_vote(end(yes_no), actor=hood.carol)

    result = api(hood, "frank").get(f"{API}votes/{yes_no.pk}/results/").json()

    assert result["totals"] == {"yes": 2, "no": 1, "abstain": 0}
    assert (result["outcome"], result["adopted"]) == ("adopted", [1])


def test_every_voter_finds_their_ballot_in_the_published_list(hood, vote):
    receipts = {
        name: ballot(hood, name, vote, {"approvals": approvals}).json()
        for name, approvals in (("alice", ["1", "3"]), ("bob", ["2"]), ("erin", ["3"]))
    }
    services.close_vote(end(vote), actor=hood.carol)

    published = api(hood, "frank").get(f"{API}votes/{vote.pk}/ballots/").json()

    assert published["count"] == 3
    by_tracker = {row["tracker"]: row for row in published["results"]}
    assert by_tracker[receipts["alice"]["tracker"]]["approvals"] == ["1", "3"]
    assert by_tracker[receipts["bob"]["tracker"]]["approvals"] == ["2"]
    assert [row["tracker"] for row in published["results"]] == sorted(by_tracker)


# Secrecy


def test_no_answer_links_a_member_to_what_they_voted(hood, vote, place):
    ballot(hood, "alice", vote, {"approvals": ["1", "3"]})
    proxy(hood, "erin", vote, "bob")
    ballot(hood, "bob", vote, {"approvals": ["2"], "for_member": number(hood, "erin")})
    api(hood, "bob").post(
        f"{API}votes/{vote.pk}/paper-ballots/",
        {"member_number": number(hood, "dave"), "place": place.pk, "approvals": ["3"]},
        format="json",
    )
    while_open = {
        name: api(hood, name).get(f"{API}votes/{vote.pk}/").json()
        for name in ("alice", "bob", "carol", "dave", "erin")
    }
    services.close_vote(end(vote), actor=hood.carol)
    results = api(hood, "carol").get(f"{API}votes/{vote.pk}/results/").json()
    published = api(hood, "carol").get(f"{API}votes/{vote.pk}/ballots/").json()["results"]
    after = api(hood, "alice").get(f"{API}votes/{vote.pk}/").json()

    # The published ballots say what, never who, nor how: dave's is the only paper ballot, and
    # the audit chain names him as having voted on paper.
    assert all(set(row) == {"tracker", "choice", "approvals", "weight"} for row in published)
    # One's place in the vote says whether one voted, never what, nor a receipt.
    for body in [*while_open.values(), after]:
        text = json.dumps(body)
        assert "approvals" not in text
        assert "tracker" not in text and "choice" not in text
        assert set(body["my_place"]) == {
            "may_vote",
            "voted",
            "weight",
            "proxy_given_to",
            "proxies_held",
        }
    # A secret vote's result has no roll call and names no member.
    assert results["roll_call"] is None
    assert "member" not in json.dumps({k: v for k, v in results.items() if k != "roll_call"})


def test_only_an_open_vote_publishes_who_voted_what(hood, stream, proposals):
    roll_call = open_yes_no(hood, proposals[0], stream, secrecy="open")
    ballot(hood, "alice", roll_call, {"choice": "yes"})
    services.close_vote(end(roll_call), actor=hood.carol)

    result = api(hood, "bob").get(f"{API}votes/{roll_call.pk}/results/").json()

    assert result["roll_call"] == [
        {"member_number": number(hood, "alice"), "choice": "yes", "approvals": []}
    ]


# Reading stays cheap


def _decided(hood, stream, count):
    """`count` proposals, each adopted by its own vote and with an agreement."""
    for index in range(count):
        proposal = eligible(hood, stream, f"Plan {index}", "10")
        vote = open_yes_no(hood, proposal, stream, title=f"Plan {index}?")
        services.cast_ballot(vote, actor=hood.alice, choice="yes")
        services.close_vote(end(vote), actor=hood.carol)
        services.add_agreement(
            proposal,
            actor=hood.carol,
            what="Doen",
            responsible=hood.membership("bob"),
            due_on=timezone.localdate(),
        )


@pytest.mark.parametrize("url", ["votes/", "proposals/", "agreements/"])
def test_a_list_of_ten_takes_no_more_queries_than_a_list_of_one(
    hood, stream, django_assert_max_num_queries, url
):
    client = api(hood, "alice")
    _decided(hood, stream, 1)
    with CaptureQueriesContext(connection) as for_one:
        assert client.get(f"{API}{url}").json()["count"] == 1
    _decided(hood, stream, 9)

    with django_assert_max_num_queries(len(for_one.captured_queries)):
        assert client.get(f"{API}{url}").json()["count"] == 10
