"""The ballots of a closed budget vote as a Pabulib file: anyone can recount them with another
program, and each voter finds their row by their receipt."""

import pytest

from budgets import rules, services
from budgets.models import BallotRecord
from budgets.tests.conftest import end
from budgets.tests.page_helpers import BASE, client

pabulib = pytest.importorskip("budgets.pabulib")

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(hood, budget_vote):
    for name, approvals in {"alice": ["1", "2"], "bob": ["1"], "carol": ["2", "3"]}.items():
        services.cast_ballot(budget_vote, actor=hood.people[name], approvals=approvals)
    end(budget_vote)
    return services.close_vote(budget_vote, actor=hood.carol)


def test_the_file_recounts_to_the_same_winners(hood, closed):
    response = client(hood, "alice").get(f"{BASE}/votes/{closed.pk}/ballots.pb")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    vote = pabulib.read(response.content.decode())
    assert sorted(b for ballot in vote.ballots for b in ballot) == ["1", "1", "2", "2", "3"]
    result = rules.RULES[closed.rule](vote.projects, vote.rule_ballots(), vote.budget)
    assert list(result.winners) == closed.tally["winners"]


def test_each_row_is_named_by_its_receipt(hood, closed):
    text = client(hood, "alice").get(f"{BASE}/votes/{closed.pk}/ballots.pb").content.decode()

    for tracker in BallotRecord.objects.values_list("tracker", flat=True):
        assert f"{tracker};" in text


def test_the_results_page_links_the_file(hood, closed):
    text = client(hood, "alice").get(f"{BASE}/votes/{closed.pk}/results/").content.decode()

    assert f"{BASE}/votes/{closed.pk}/ballots.pb" in text


def test_there_is_no_file_while_the_vote_is_open(hood, budget_vote):
    response = client(hood, "alice").get(f"{BASE}/votes/{budget_vote.pk}/ballots.pb")

    assert response.status_code == 404
