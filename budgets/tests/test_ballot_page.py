"""The ballot: the rule in plain words, yes/no/abstain or projects with a running budget bar,
the receipt after voting, a clear page for who cannot vote, and an over-budget ballot refused
with the boxes still ticked."""

import datetime

import pytest
from django.utils import timezone

from budgets import services
from budgets.models import BallotRecord, Vote, Voter
from budgets.tests.conftest import end, open_yes_no, written
from budgets.tests.page_helpers import BASE, client, page

pytestmark = pytest.mark.django_db


def _url(vote):
    return f"{BASE}/votes/{vote.pk}/"


def test_it_explains_the_rule_and_lists_the_projects(hood, budget_vote):
    text = page(client(hood, "alice").get(_url(budget_vote)))

    assert "The budget is split into equal shares, one for each voter." in text
    assert "Together they may cost at most the budget of €7,000.00." in text
    for title in ("Buurtmaaltijd", "Geveltuinen", "Maatjesproject"):
        assert title in text
    assert 'data-cost="3000.00"' in text
    assert "Your choice: €0.00 of the budget of €7,000.00" in text
    assert "js/budgets-ballot" in text
    assert "<script>" not in text  # no inline script: the site's CSP forbids it


def test_a_voter_ticks_projects_and_gets_a_receipt(hood, budget_vote):
    response = client(hood, "alice").post(_url(budget_vote), {"approvals": ["1", "2"]})

    ballot = BallotRecord.objects.get()
    assert ballot.approvals == ["1", "2"]
    text = page(response)
    assert ballot.tracker in text
    assert "Your receipt" in text
    assert "your new ballot replaces the old one" in text


def test_a_ballot_over_the_budget_is_refused_with_the_boxes_still_ticked(hood, budget_vote):
    before = written(hood.cooperative)

    response = client(hood, "alice").post(_url(budget_vote), {"approvals": ["1", "2", "3"]})

    assert response.status_code == 400
    text = page(response)
    assert "Your choice costs €9,500.00, more than the budget of €7,000.00." in text
    assert 'value="1" id="approval-1" data-cost="3000.00" checked' in text
    assert 'value="3" id="approval-3" data-cost="4000.00" checked' in text
    assert written(hood.cooperative) == before


def test_a_project_not_in_the_vote_is_refused(hood, budget_vote):
    before = written(hood.cooperative)

    response = client(hood, "alice").post(_url(budget_vote), {"approvals": ["9"]})

    assert response.status_code == 400
    assert "Choose projects from the list." in page(response)
    assert written(hood.cooperative) == before


def test_voting_again_replaces_the_ballot(hood, budget_vote):
    browser = client(hood, "alice")
    browser.post(_url(budget_vote), {"approvals": ["1"]})

    again = page(browser.get(_url(budget_vote)))
    response = browser.post(_url(budget_vote), {"approvals": ["2"]})

    assert "You have voted. You can vote again until" in again
    assert "It replaces your earlier ballot." in page(response)
    assert list(BallotRecord.objects.values_list("approvals", flat=True)) == [["2"]]


def test_a_yes_no_vote_offers_yes_no_and_abstain(hood):
    vote = open_yes_no(hood)
    browser = client(hood, "alice")

    text = page(browser.get(_url(vote)))
    browser.post(_url(vote), {"choice": "yes"})

    assert 'type="radio" name="choice" value="abstain"' in text
    assert "more than half of the yes and no votes are yes" in text
    assert BallotRecord.objects.get().choice == "yes"


def test_a_yes_no_ballot_without_a_choice_is_refused(hood):
    vote = open_yes_no(hood)
    before = written(hood.cooperative)

    response = client(hood, "alice").post(_url(vote), {})

    assert response.status_code == 400
    assert "Choose yes, no or abstain." in page(response)
    assert written(hood.cooperative) == before


def test_someone_not_on_the_list_reads_why_not(hood, budget_vote):
    response = client(hood, "frank").get(_url(budget_vote))

    assert response.status_code == 200
    assert "You are not on the list of voters for this vote." in page(response)


def test_before_opening_the_page_says_when_it_opens(hood, budget_vote):
    later = timezone.now() + datetime.timedelta(days=1)
    Vote.objects.filter(pk=budget_vote.pk).update(
        opens_at=later, closes_at=later + datetime.timedelta(days=1)
    )

    text = page(client(hood, "alice").get(_url(budget_vote)))

    assert "This vote opens on" in text
    assert 'name="approvals"' not in text


def test_after_the_close_a_ballot_is_not_taken(hood, budget_vote):
    end(budget_vote)
    before = written(hood.cooperative)

    response = client(hood, "alice").post(_url(budget_vote), {"approvals": ["1"]})

    assert "This vote has closed: no more ballots can be cast." in page(response)
    assert written(hood.cooperative) == before


def test_a_voter_gives_a_proxy_by_member_number_and_takes_it_back(hood, budget_vote):
    browser = client(hood, "alice")
    bob = hood.membership("bob")

    response = browser.post(
        f"{_url(budget_vote)}proxy/", {"to": str(bob.member_number)}, follow=True
    )
    given = Voter.objects.get(vote=budget_vote, membership=hood.membership("alice"))
    text = page(response)
    browser.post(f"{_url(budget_vote)}proxy/", {"withdraw": "1"})
    given.refresh_from_db()

    assert "You gave your proxy to Bob Test" in text
    assert given.proxy_holder is None


def test_a_proxy_is_found_by_full_name(hood, budget_vote):
    client(hood, "alice").post(f"{_url(budget_vote)}proxy/", {"to": "bob test"})

    voter = Voter.objects.get(vote=budget_vote, membership=hood.membership("alice"))
    assert voter.proxy_holder.membership == hood.membership("bob")


def test_a_proxy_to_oneself_is_refused(hood, budget_vote):
    alice = hood.membership("alice")
    before = written(hood.cooperative)

    response = client(hood, "alice").post(
        f"{_url(budget_vote)}proxy/", {"to": str(alice.member_number)}
    )

    assert response.status_code == 400
    assert "You cannot give your proxy to yourself." in page(response)
    assert written(hood.cooperative) == before


def test_a_proxy_to_an_unknown_name_is_refused(hood, budget_vote):
    before = written(hood.cooperative)

    response = client(hood, "alice").post(f"{_url(budget_vote)}proxy/", {"to": "Nobody Here"})

    assert "Nobody on the list of voters has this name" in page(response)
    assert written(hood.cooperative) == before


def test_a_proxy_holder_votes_for_the_giver_separately(hood, budget_vote):
    bob = hood.membership("bob")
    alice = hood.membership("alice")
    services.give_proxy(budget_vote, actor=hood.alice, to=bob)
    browser = client(hood, "bob")

    own = page(browser.get(_url(budget_vote)))
    theirs = page(browser.get(f"{_url(budget_vote)}?for={alice.member_number}"))
    browser.post(_url(budget_vote), {"approvals": ["2"], "for_member": str(alice.member_number)})

    assert "Vote for Alice Test" in own
    assert "You are filling in the ballot of Alice Test" in theirs
    voter = Voter.objects.get(vote=budget_vote, membership=alice)
    assert (voter.voted, voter.channel) == (True, "proxy")
    assert not Voter.objects.get(vote=budget_vote, membership=bob).voted


def test_a_ballot_for_a_proxy_taken_back_is_not_counted_as_one_s_own(hood, budget_vote):
    alice = hood.membership("alice")
    services.give_proxy(budget_vote, actor=hood.alice, to=hood.membership("bob"))
    services.withdraw_proxy(budget_vote, actor=hood.alice)
    before = written(hood.cooperative)

    response = client(hood, "bob").post(
        _url(budget_vote), {"approvals": ["2"], "for_member": str(alice.member_number)}
    )

    assert response.status_code == 400
    assert "You no longer hold this member&#x27;s proxy for this vote." in page(response)
    assert written(hood.cooperative) == before
