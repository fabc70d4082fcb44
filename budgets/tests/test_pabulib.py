"""Pabulib files: written and read back, read by pabutools, written by pabutools, and refused."""

import random
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from budgets import pabulib
from budgets.pabulib import PabulibError
from budgets.rules import Ballot, Project

DATA = Path(__file__).parent / "data"

META = {"description": "Wijkbudget", "country": "Netherlands", "unit": "Assen", "instance": "2026"}


def test_it_imports_without_django():
    code = "import sys, budgets.pabulib; print('django' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def _random_vote(seed):
    chance = random.Random(seed)
    made = [
        Project(f"p{i}", chance.choice([chance.randint(1, 5_000), Decimal("12.50")]), name)
        for i, name in enumerate(
            chance.sample(["Bankjes", 'Plein "Groen"', "Moestuin; en kas", "", "Speeltuin"], 4)
        )
    ]
    ballots = []
    for _ in range(chance.randint(0, 15)):
        chosen = frozenset(p.id for p in chance.sample(made, chance.randint(0, len(made))))
        ballots.append(Ballot(chosen, chance.choice([1, 1, 1, 2, 3, 0])))
    return made, ballots, chance.randint(0, 10_000)


def _as_lists(ballots, projects):
    order = [p.id for p in projects]
    return [sorted(b.projects, key=order.index) for b in ballots for _ in range(b.weight)]


def test_it_reads_back_what_it_writes():
    for seed in range(100):
        made, ballots, budget = _random_vote(seed)
        text = pabulib.write({**META, "budget": budget}, made, ballots)
        vote = pabulib.read(text)
        assert vote.projects == made, seed
        assert vote.ballots == _as_lists(ballots, made), seed
        assert vote.budget == budget
        assert vote.meta["vote_type"] == "approval"
        assert vote.meta["num_votes"] == str(len(vote.ballots))
        assert {k: vote.meta[k] for k in META} == META
        assert pabulib.write(vote.meta, vote.projects, vote.ballots, vote.voter_ids) == text


def test_it_writes_a_weighted_ballot_as_that_many_voters():
    text = pabulib.write(
        {"budget": 10},
        [Project("a", 5)],
        [Ballot(frozenset({"a"}), 3), Ballot(frozenset({"a"}), 0)],
        voter_ids=["t1", "t2"],
    )
    assert text.endswith("VOTES\nvoter_id;vote\nt1;a\nt1-2;a\nt1-3;a\n")
    assert "a;5;3\n" in text  # the votes column counts every copy


def test_what_it_writes_is_what_pabutools_reads():
    pytest.importorskip("pabutools")
    from pabutools.election.pabulib import parse_pabulib_from_string

    for seed in range(60):
        made, ballots, budget = _random_vote(seed)
        text = pabulib.write({**META, "budget": budget}, made, ballots)
        instance, profile = parse_pabulib_from_string(text)
        assert instance.budget_limit == budget
        assert {(p.name, Fraction(str(p.cost))) for p in instance} == {
            (p.id, Fraction(p.cost)) for p in made
        }
        names = {p.name: instance.project_meta[p].get("name") for p in instance}
        assert names == {p.id: p.name or None for p in made} or not any(p.name for p in made)
        assert [sorted(p.name for p in ballot) for ballot in profile] == [
            sorted(b) for b in _as_lists(ballots, made)
        ]


def test_it_reads_what_pabutools_writes():
    pytest.importorskip("pabutools")
    from pabutools.election import ApprovalBallot, ApprovalProfile, Instance
    from pabutools.election import Project as PabuProject
    from pabutools.election.pabulib import election_as_pabulib_string

    for seed in range(30):
        made, ballots, budget = _random_vote(seed)
        theirs = {p.id: PabuProject(p.id, p.cost) for p in made}
        instance = Instance(theirs.values(), budget_limit=budget)
        instance.meta = {**META}
        profile = ApprovalProfile(
            [ApprovalBallot(theirs[i] for i in b) for b in _as_lists(ballots, made)]
        )
        vote = pabulib.read(election_as_pabulib_string(instance, profile))
        assert vote.budget == budget
        assert {(p.id, Fraction(p.cost)) for p in vote.projects} == {
            (p.id, Fraction(p.cost)) for p in made
        }
        # pabutools writes the voters sorted by id, so compare the ballots as a collection.
        assert sorted(map(sorted, vote.ballots)) == sorted(map(sorted, _as_lists(ballots, made)))


@pytest.mark.parametrize("name", ["format_example.pb", "quoted_vote.pb"])
def test_it_reads_files_as_pabutools_does(name):
    pytest.importorskip("pabutools")
    from pabutools.election.pabulib import parse_pabulib

    vote = pabulib.read(DATA / name)
    instance, profile = parse_pabulib(str(DATA / name))
    assert Fraction(vote.budget) == Fraction(str(instance.budget_limit))
    assert {(p.id, Fraction(p.cost)) for p in vote.projects} == {
        (p.name, Fraction(str(p.cost))) for p in instance
    }
    assert [sorted(b) for b in vote.ballots] == [sorted(p.name for p in b) for b in profile]


def test_it_reads_quotes_spaces_a_byte_order_mark_and_none():
    vote = pabulib.read((DATA / "quoted_vote.pb").read_bytes())
    assert vote.meta["description"] == "Wijkbudget De Vaart; ronde 2"
    assert vote.projects == [
        Project("b-12", 1500, "Bankjes; en prullenbakken"),
        Project("b-3", Decimal("2000.25"), '"Groen" plein'),
        Project("b-7", 3500, ""),
        Project("b-9", 900, "Moestuin"),
    ]
    assert vote.budget == Decimal("5000.50")
    assert vote.ballots[3] == []
    assert vote.voter_ids == ["v1", "v2", "v3", "v4", "v5", "v6", "v7"]
    # The weight column is voter metadata, as in pabutools: v1 is one voter.
    assert len(vote.ballots) == 7
    with open(DATA / "format_example.pb", encoding="utf-8") as file:
        assert pabulib.read(file).ballots[0] == ["1", "2", "4"]


GOOD = """META
key;value
budget;100
vote_type;approval
PROJECTS
project_id;cost
a;60
b;50
VOTES
voter_id;vote
1;a,b
2;b
"""


def _broken(old, new):
    assert old in GOOD
    return GOOD.replace(old, new)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (_broken("VOTES\nvoter_id;vote\n1;a,b\n2;b\n", ""), None, "no section VOTES"),
        (_broken("META\nkey;value\n", ""), 1, "must start with the section META"),
        (_broken("2;b", "2;b,x"), 12, "votes for project x, which is not in PROJECTS"),
        (_broken("a;60", "a;sixty"), 7, "The cost of project a, sixty, is not a number"),
        (_broken("b;50", "a;50"), 8, "project id a appears twice"),
        (_broken("b;50", "b;-5"), 8, "below zero"),
        (_broken("approval", "ordinal"), 4, "vote type is ordinal; only approval votes"),
        (_broken("vote_type;approval\n", ""), 1, "META has no vote_type"),
        (_broken("budget;100\n", ""), 1, "META has no budget"),
        (_broken("budget;100", "budget;lots"), 3, "budget lots is not a number"),
        (_broken("2;b", "1;b"), 12, "voter id 1 appears twice"),
        (_broken("project_id;cost", "id;cost"), 6, "PROJECTS has no column project_id"),
        (_broken("voter_id;vote\n", "voter_id;votes\n"), 10, "VOTES has no column vote"),
        (_broken("a;60", "a;60;x"), 7, "has 3 values where the header has 2"),
        (_broken("budget;100", 'budget;"100'), 3, "quoted value is not closed"),
        (_broken("budget;100", "budget;100\nnum_votes;3"), 4, "num_votes is 3, but the file has 2"),
        (_broken("PROJECTS", "META"), 5, "section META appears a second time"),
        (_broken("budget;100", "budget"), 3, "key and a value"),
        (_broken("b;50", "x,y;50"), 8, "x,y cannot be a project id"),
        (_broken("a;60", "a;1/3"), 7, "The cost of project a, 1/3, is not a number"),
        (_broken("a;60", "a;1/0"), 7, "The cost of project a, 1/0, is not a number"),
        (_broken("a;60", "a;1e999999999"), 7, "The cost of project a, 1e999999999, is not a"),
        (_broken("a;60", "a;NaN"), 7, "The cost of project a, NaN, is not a number"),
    ],
)
def test_it_refuses_a_broken_file_with_a_plain_message(text, line, message):
    with pytest.raises(PabulibError, match=message) as raised:
        pabulib.read(text)
    assert raised.value.line == line
    if line:
        assert str(raised.value).startswith(f"line {line}: ")
    assert raised.value.message % raised.value.params in str(raised.value)


def test_it_reads_a_cost_written_as_a_fraction_as_pabutools_writes_it():
    vote = pabulib.read(_broken("a;60", "a;121/4"))
    assert vote.projects[0] == Project("a", Decimal("30.25"))
    assert pabulib.read(_broken("a;60", "a;50/2")).projects[0] == Project("a", 25)


def test_it_refuses_a_file_that_is_not_utf8():
    with pytest.raises(PabulibError, match="not UTF-8"):
        pabulib.read(GOOD.encode("utf-16"))


def test_it_refuses_to_write_what_pabulib_cannot_hold():
    with pytest.raises(PabulibError, match="no budget"):
        pabulib.write({}, [Project("a", 5)], [])
    with pytest.raises(PabulibError, match="cannot be a project id"):
        pabulib.write({"budget": 5}, [Project("a,b", 5)], [])
    with pytest.raises(PabulibError, match="appears twice"):
        pabulib.write({"budget": 5}, [Project("a", 5), Project("a", 6)], [])
    with pytest.raises(PabulibError, match="not in PROJECTS"):
        pabulib.write({"budget": 5}, [Project("a", 5)], [{"b"}])
    with pytest.raises(PabulibError, match="voter id 1-2 appears twice"):
        pabulib.write(
            {"budget": 5}, [Project("a", 5)], [Ballot(frozenset("a"), 2), {"a"}], ["1", "1-2"]
        )
