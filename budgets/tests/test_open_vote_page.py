"""The board opens a vote from a form: kind, proposals, rule with its explanation, electorate,
weighting, times, quorum and threshold, source and budget."""

import datetime

import pytest
from django.utils import timezone

from budgets.models import Vote
from budgets.tests.conftest import written
from budgets.tests.page_helpers import BASE, client, page

pytestmark = pytest.mark.django_db

URL = f"{BASE}/board/open-vote/"


def _moment(**delta):
    return (timezone.localtime() + datetime.timedelta(**delta)).strftime("%Y-%m-%dT%H:%M")


def _form(source, chosen, **fields):
    return {
        "title": "Wijkbudget 2026",
        "description": "Kies de projecten.",
        "kind": "budget",
        "proposals": [p.pk for p in chosen],
        "stream": source.pk,
        "budget_limit": "7000",
        "rule": "mes",
        "electorate": "members",
        "weighting": "per_member",
        "secrecy": "secret",
        "opens_at": _moment(minutes=-1),
        "closes_at": _moment(days=7),
        "quorum": "10",
    } | fields


def test_the_form_explains_each_rule(hood, proposals):
    text = page(client(hood, "carol").get(URL))

    assert "Equal shares: The budget is split into equal shares" in text
    assert "Most votes first: Projects are taken in order of votes" in text
    assert 'type="datetime-local" name="closes_at"' in text
    assert "#2 Geveltuinen (€2,500.00)" in text


def test_the_board_opens_a_participatory_budget(hood, stream, proposals):
    response = client(hood, "carol").post(URL, _form(stream, proposals), follow=True)

    vote = Vote.objects.get()
    assert (vote.kind, vote.rule, str(vote.budget_limit), vote.quorum) == (
        "budget",
        "mes",
        "7000.00",
        10,
    )
    assert sorted(p.number for p in vote.proposals.all()) == [1, 2, 3]
    assert vote.electorate_size == 5
    assert "The vote Wijkbudget 2026 is ready." in page(response)


def test_the_board_opens_a_yes_no_question(hood, stream):
    client(hood, "carol").post(
        URL,
        _form(
            stream, [], kind="yes_no", threshold="two_thirds", budget_limit="", rule="", stream=""
        ),
    )

    assert Vote.objects.get().threshold == "two_thirds"


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": ""}, "Fill in the question."),
        ({"closes_at": _moment(days=-1)}, "The closing time has already passed."),
        (
            {"opens_at": _moment(days=3), "closes_at": _moment(days=2)},
            "The vote must close after it opens.",
        ),
        ({"closes_at": "morgen"}, "Fill in a date and time."),
        ({"budget_limit": "50000"}, "less than €50,000.00"),
        ({"rule": ""}, "Choose how the budget is counted."),
        ({"quorum": "140"}, "Fill in a quorum from 0 to 100 percent."),
    ],
)
def test_bad_input_is_shown_and_nothing_is_written(hood, stream, proposals, fields, message):
    before = written(hood.cooperative)

    response = client(hood, "carol").post(URL, _form(stream, proposals, **fields))

    assert response.status_code == 400
    assert message in page(response)
    assert written(hood.cooperative) == before


def test_a_budget_needs_two_proposals(hood, stream, proposals):
    before = written(hood.cooperative)

    response = client(hood, "carol").post(URL, _form(stream, proposals[:1]))

    assert "A participatory budget needs at least two proposals" in page(response)
    assert written(hood.cooperative) == before
