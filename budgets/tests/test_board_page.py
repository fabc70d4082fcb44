"""The board's page: proposals to check with the money left, refusals with a reason, and
closing a vote after its closing time."""

import pytest

from budgets import services
from budgets.models import Proposal
from budgets.tests.conftest import end, written
from budgets.tests.page_helpers import BASE, client, page

pytestmark = pytest.mark.django_db

URL = f"{BASE}/board/"


@pytest.fixture
def submitted(hood, stream):
    return services.submit_proposal(
        hood.cooperative,
        actor=hood.alice,
        title="Buurtmoestuin",
        description="Samen groente kweken.",
        amount="1200",
        theme="green",
        stream=stream,
    )


def _check(hood, proposal, **fields):
    return client(hood, "carol").post(f"{URL}proposals/{proposal.number}/check/", fields)


def test_it_lists_proposals_to_check_with_the_money_left(hood, submitted):
    text = page(client(hood, "carol").get(URL))

    assert "Buurtmoestuin" in text
    assert "Money left in this source: €10,000.00" in text


def test_the_board_finds_a_proposal_eligible(hood, submitted):
    response = _check(hood, submitted, **{"p1-eligible": "yes"})

    submitted.refresh_from_db()
    assert response.status_code == 302
    assert submitted.status == "eligible"


def test_the_board_refuses_with_a_reason(hood, submitted):
    _check(hood, submitted, **{"p1-eligible": "no", "p1-reason": "Te duur."})

    submitted.refresh_from_db()
    assert (submitted.status, submitted.refusal_reason) == ("refused", "Te duur.")


def test_a_refusal_without_a_reason_is_refused_and_nothing_is_written(hood, submitted):
    before = written(hood.cooperative)

    response = _check(hood, submitted, **{"p1-eligible": "no", "p1-reason": ""})

    assert response.status_code == 400
    assert "Write down why the proposal cannot be voted on" in page(response)
    assert Proposal.objects.get().status == "submitted"
    assert written(hood.cooperative) == before


def test_a_proposal_outside_the_earmark_cannot_be_made_eligible(hood, stream):
    proposal = services.submit_proposal(
        hood.cooperative,
        actor=hood.alice,
        title="Voetbaltoernooi",
        description="Een toernooi.",
        amount="800",
        theme="culture",
        stream=stream,
    )
    before = written(hood.cooperative)

    response = _check(hood, proposal, **{"p1-eligible": "yes"})

    assert response.status_code == 400
    assert "Wijkbudget may only be spent on" in page(response)
    assert written(hood.cooperative) == before


def test_the_board_closes_a_vote_after_its_closing_time(hood, budget_vote):
    services.cast_ballot(budget_vote, actor=hood.alice, approvals=["1"])
    end(budget_vote)
    browser = client(hood, "carol")

    text = page(browser.get(URL))
    response = browser.post(f"{BASE}/votes/{budget_vote.pk}/close/", follow=True)

    assert "Close and count: Wijkbudget 2026" in text
    budget_vote.refresh_from_db()
    assert budget_vote.is_closed
    assert "The vote has been closed and counted." in page(response)


def test_a_vote_still_open_is_not_closed(hood, budget_vote):
    before = written(hood.cooperative)

    response = client(hood, "carol").post(f"{BASE}/votes/{budget_vote.pk}/close/", follow=True)

    assert "close it after that" in page(response)
    assert written(hood.cooperative) == before


def test_a_coordinator_sees_the_way_to_paper_ballots_but_not_the_checks(
    hood, budget_vote, submitted
):
    text = page(client(hood, "bob").get(URL))

    assert f"{BASE}/votes/{budget_vote.pk}/paper/" in text
    assert "Proposals to check" not in text
