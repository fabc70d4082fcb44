"""The results of a closed vote: outcome, turnout, a chart with the same numbers as a table,
why each losing project lost, and every ballot with a search for one's receipt."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets import services
from budgets.models import BallotRecord
from budgets.tests.conftest import end, open_budget, open_yes_no
from budgets.tests.page_helpers import BASE, client, page

pytestmark = pytest.mark.django_db


def _url(vote):
    return f"{BASE}/votes/{vote.pk}/results/"


@pytest.fixture
def closed(hood, budget_vote):
    for name, approvals in {"alice": ["1", "2"], "bob": ["1"], "carol": ["2", "3"]}.items():
        services.cast_ballot(budget_vote, actor=hood.people[name], approvals=approvals)
    end(budget_vote)
    return services.close_vote(budget_vote, actor=hood.carol)


def test_it_shows_the_outcome_and_the_turnout(hood, closed):
    text = page(client(hood, "alice").get(_url(closed)))

    assert "Budget decided" in text
    assert "€5,500.00 of the budget of €7,000.00 is spent." in text
    assert "of 5 voters" in text


def test_the_chart_is_an_accessible_image_with_its_numbers_in_a_table(hood, closed):
    text = page(client(hood, "alice").get(_url(closed)))

    svg = text.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg
    assert "<title" in svg
    assert "Buurtmaaltijd" in svg
    table = text.split('id="votes-caption"', 1)[1].split("</table>", 1)[0]
    assert '<th scope="row">Buurtmaaltijd</th><td>2</td>' in table
    assert '<th scope="row">Maatjesproject</th><td>1</td>' in table


def test_it_says_why_a_project_lost_in_plain_words(hood, closed):
    text = page(client(hood, "alice").get(_url(closed)))

    assert "Why did this project lose?" in text
    assert "Its one supporter had" in text
    assert "it costs €4,000.00." in text
    assert "They spent their share on: Geveltuinen" in text


def test_a_voter_finds_their_ballot_by_receipt(hood, stream, proposals):
    vote = open_budget(hood, stream, proposals)
    receipt = services.cast_ballot(vote, actor=hood.alice, approvals=["1", "2"])
    services.cast_ballot(vote, actor=hood.bob, approvals=["3"])
    end(vote)
    services.close_vote(vote, actor=hood.carol)

    text = page(client(hood, "alice").get(_url(vote), {"receipt": receipt.tracker[:8].upper()}))

    assert "Found: this is your ballot as it was counted." in text
    assert receipt.tracker in text
    assert "#1, #2" in text
    other = BallotRecord.objects.exclude(tracker=receipt.tracker).get()
    assert other.tracker not in text


def test_an_unknown_receipt_is_said_to_be_unknown(hood, closed):
    text = page(client(hood, "alice").get(_url(closed), {"receipt": "ffffffffff"}))

    assert "No ballot has this receipt." in text


def test_the_ballot_list_holds_every_ballot_without_a_search(hood, closed):
    text = page(client(hood, "alice").get(_url(closed)))

    for tracker in BallotRecord.objects.values_list("tracker", flat=True):
        assert tracker in text
    assert "3 ballots" in text


def test_an_open_vote_shows_its_roll_call(hood):
    vote = open_yes_no(hood, secrecy="open")
    services.cast_ballot(vote, actor=hood.alice, choice="no")
    end(vote)
    services.close_vote(vote, actor=hood.carol)

    text = page(client(hood, "bob").get(_url(vote)))

    assert "Roll call" in text
    roll = text.split('id="roll-caption"', 1)[1]
    assert "Alice Test" in roll
    assert "<td>No</td>" in roll


def test_before_the_close_it_says_when_results_come(hood, budget_vote):
    text = page(client(hood, "alice").get(_url(budget_vote)))

    assert "The results are shown here once the vote is closed and counted." in text


def test_with_most_votes_first_it_says_what_was_left_when_its_turn_came(hood, stream, proposals):
    vote = open_budget(hood, stream, proposals, rule="greedy")
    for name, approvals in {"alice": ["1", "2"], "bob": ["1"], "carol": ["2", "3"]}.items():
        services.cast_ballot(vote, actor=hood.people[name], approvals=approvals)
    end(vote)
    services.close_vote(vote, actor=hood.carol)

    text = page(client(hood, "alice").get(_url(vote)))

    assert (
        "It had 1 vote and costs €4,000.00, but when its turn came only €1,500.00 of the "
        "budget was left." in text
    )


def test_a_project_nobody_voted_for_says_so(hood, stream, proposals):
    vote = open_budget(hood, stream, proposals)
    services.cast_ballot(vote, actor=hood.alice, approvals=["1"])
    end(vote)
    services.close_vote(vote, actor=hood.carol)

    text = page(client(hood, "alice").get(_url(vote)))

    assert "Nobody voted for this project." in text


def test_amounts_are_written_the_dutch_way_on_a_dutch_page(hood, closed):
    text = page(hood.client_for("alice").get(_url(closed)))

    # A non-breaking space keeps the sign with its amount.
    assert "€\xa04.000,00" in text
    assert "€\xa05.500,00" in text


def _more_ballots(vote, count):
    BallotRecord.objects.bulk_create(
        BallotRecord(
            vote=vote,
            approvals=["1"],
            weight=1,
            channel="online",
            nonce=f"{n:032x}",
            tracker=f"{n:064x}",
        )
        for n in range(count)
    )


def test_the_page_takes_as_many_queries_for_many_ballots_as_for_few(
    hood, closed, django_assert_num_queries
):
    browser = client(hood, "alice")
    browser.get(_url(closed))
    with CaptureQueriesContext(connection) as few:
        browser.get(_url(closed))
    _more_ballots(closed, 250)
    with django_assert_num_queries(len(few)):
        browser.get(_url(closed))


def test_the_ballot_list_does_not_say_how_a_ballot_was_cast(hood, stream, proposals, place):
    """The audit chain names who voted on paper, so a ballot marked "paper" in the list
    would be theirs (ADR 0041): the list gives receipt, choice and weight only."""
    vote = open_budget(hood, stream, proposals, budget="5000")
    services.enter_paper_ballot(
        vote, actor=hood.bob, member=hood.membership("erin"), place=place, approvals=["2"]
    )
    services.cast_ballot(vote, actor=hood.alice, approvals=["1"])
    end(vote)
    services.close_vote(vote, actor=hood.carol)
    text = page(client(hood, "alice").get(_url(vote)))
    ballots = text[text.index("ballots-caption") :]
    assert "Op papier" not in ballots
    assert "Online" not in ballots
    assert BallotRecord.objects.get(vote=vote, approvals=["2"]).tracker in ballots
