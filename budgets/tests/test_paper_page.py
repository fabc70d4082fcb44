"""A coordinator enters a ballot filled in on paper at a place."""

import pytest

from budgets import services
from budgets.models import BallotRecord, Voter
from budgets.tests.conftest import end, open_yes_no, written
from budgets.tests.page_helpers import BASE, client, page

pytestmark = pytest.mark.django_db


def _url(vote):
    return f"{BASE}/votes/{vote.pk}/paper/"


def test_a_coordinator_enters_a_paper_budget_ballot(hood, budget_vote, place):
    alice = hood.membership("alice")

    response = client(hood, "bob").post(
        _url(budget_vote),
        {"member": str(alice.member_number), "place": place.pk, "approvals": ["1", "2"]},
        follow=True,
    )

    ballot = BallotRecord.objects.get()
    assert (ballot.approvals, ballot.channel, ballot.place) == (["1", "2"], "paper", place)
    assert Voter.objects.get(vote=budget_vote, membership=alice).channel == "paper"
    assert f"The paper ballot of member {alice.member_number} is counted." in page(response)


def test_a_paper_yes_no_ballot(hood, place):
    vote = open_yes_no(hood)

    client(hood, "carol").post(
        _url(vote),
        {
            "member": str(hood.membership("erin").member_number),
            "place": place.pk,
            "choice": "abstain",
        },
    )

    assert BallotRecord.objects.get().choice == "abstain"


def test_a_member_who_voted_cannot_be_entered_again(hood, budget_vote, place):
    services.cast_ballot(budget_vote, actor=hood.alice, approvals=["1"])
    before = written(hood.cooperative)

    response = client(hood, "bob").post(
        _url(budget_vote),
        {
            "member": str(hood.membership("alice").member_number),
            "place": place.pk,
            "approvals": ["2"],
        },
    )

    assert response.status_code == 400
    assert "has already voted; a paper ballot cannot be added." in page(response)
    assert written(hood.cooperative) == before


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"member": "999"}, "There is no member with this number."),
        ({"member": "abc"}, "Fill in a member number: only digits"),
        ({"place": ""}, "Choose the place where the ballot was filled in."),
        ({"approvals": ["1", "2", "3"]}, "more than the budget of €7,000.00"),
    ],
)
def test_bad_input_is_shown_and_nothing_is_written(hood, budget_vote, place, fields, message):
    before = written(hood.cooperative)
    form = {
        "member": str(hood.membership("alice").member_number),
        "place": place.pk,
        "approvals": ["1"],
    }

    response = client(hood, "bob").post(_url(budget_vote), form | fields)

    assert response.status_code == 400
    assert message in page(response)
    assert written(hood.cooperative) == before


def test_after_the_close_the_page_says_so(hood, budget_vote):
    end(budget_vote)

    text = page(client(hood, "bob").get(_url(budget_vote)))

    assert "Paper ballots can be entered only while the vote is open." in text
