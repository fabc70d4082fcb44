"""The home of deciding together: open votes with what I can do, proposals and decisions."""

import datetime

import pytest
from django.utils import timezone

from budgets import services
from budgets.tests.conftest import end
from budgets.tests.page_helpers import BASE, client, page

pytestmark = pytest.mark.django_db


def test_it_invites_a_voter_to_vote_and_shows_the_turnout(hood, budget_vote):
    services.cast_ballot(budget_vote, actor=hood.bob, approvals=["1"])

    text = page(client(hood, "alice").get(f"{BASE}/"))

    assert "Wijkbudget 2026" in text
    assert "Vote now" in text
    assert "1 of 5 voters have voted so far." in text
    assert f'href="{BASE}/votes/{budget_vote.pk}/"' in text


def test_it_says_you_voted_after_voting(hood, budget_vote):
    services.cast_ballot(budget_vote, actor=hood.alice, approvals=["1"])

    text = page(client(hood, "alice").get(f"{BASE}/"))

    assert "You voted" in text
    assert "Vote now" not in text


def test_a_funder_sees_the_vote_but_is_not_on_the_list(hood, budget_vote):
    text = page(client(hood, "frank").get(f"{BASE}/"))

    assert "You are not on the list of voters for this vote." in text
    assert "Propose a project" not in text


def test_it_lists_my_proposals_and_the_eligible_ones(hood, stream, proposals):
    services.submit_proposal(
        hood.cooperative,
        actor=hood.alice,
        title="Bankje bij de vijver",
        description="Een bankje.",
        amount="400",
        theme="green",
        stream=stream,
    )

    text = page(client(hood, "alice").get(f"{BASE}/"))

    assert "Bankje bij de vijver" in text
    assert "Waiting for the board&#x27;s check" in text
    assert "Geveltuinen" in text


def test_it_links_the_results_of_closed_votes(hood, budget_vote):
    end(budget_vote)
    services.close_vote(budget_vote, actor=hood.carol)

    text = page(client(hood, "alice").get(f"{BASE}/"))

    assert f'href="{BASE}/votes/{budget_vote.pk}/results/"' in text
    assert "Budget decided" in text


def test_it_lists_what_i_agreed_to_do(hood, budget_vote):
    services.cast_ballot(budget_vote, actor=hood.alice, approvals=["1"])
    end(budget_vote)
    services.close_vote(budget_vote, actor=hood.carol)
    services.add_agreement(
        budget_vote.proposals.get(number=1),
        actor=hood.carol,
        what="Pannen kopen",
        responsible=hood.membership("alice"),
        due_on=timezone.localdate() + datetime.timedelta(days=5),
    )

    text = page(client(hood, "alice").get(f"{BASE}/"))

    assert "What you agreed to do" in text
    assert "Mark as done: Pannen kopen" in text
