"""`manage.py tally FILE.pb --rule ...`: the winners of a Pabulib file, one id per line."""

import io
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from budgets import pabulib, rules
from budgets.rules import Ballot, Project

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]


def _tally(path, rule):
    out = io.StringIO()
    call_command("tally", str(path), rule=rule, stdout=out)
    return out.getvalue().splitlines()


def _pabutools(path, rule):
    from pabutools.election import Cost_Sat
    from pabutools.election.pabulib import parse_pabulib
    from pabutools.rules import (
        completion_by_rule_combination,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )
    from pabutools.tiebreaking import lexico_tie_breaking

    instance, profile = parse_pabulib(str(path))
    tie = {"tie_breaking": lexico_tie_breaking, "sat_class": Cost_Sat}
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, **tie)
    elif rule == "mes":
        outcome = method_of_equal_shares(instance, profile, **tie)
    else:
        outcome = completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [{**tie, "voter_budget_increment": 1}, tie],
        )
    return [p.name for p in outcome]


def _random_file(seed, folder):
    """A random vote with the file's own ids (numbers, as many Pabulib files have)."""
    chance = random.Random(seed)
    made = [Project(str(chance.randint(1, 999) * 10 + i), chance.randint(5, 120)) for i in range(8)]
    ballots = [
        Ballot(frozenset(p.id for p in chance.sample(made, chance.randint(0, 4))))
        for _ in range(chance.randint(1, 30))
    ]
    budget = sum(p.cost for p in made) * chance.randint(2, 8) // 10
    path = folder / f"vote-{seed}.pb"
    path.write_text(pabulib.write({"description": f"vote {seed}", "budget": budget}, made, ballots))
    return path, made, ballots, budget


@pytest.mark.parametrize("rule", ["greedy", "mes", "mes-complete"])
def test_it_prints_the_winners_in_the_files_own_ids_in_the_order_chosen(rule, tmp_path):
    for seed in range(15):
        path, made, ballots, budget = _random_file(seed, tmp_path)
        printed = _tally(path, rule)
        assert printed == rules.RULES[rule](made, ballots, budget).winners, seed


@pytest.mark.parametrize("rule", ["greedy", "mes", "mes-complete"])
def test_it_chooses_what_pabutools_chooses_from_the_same_file(rule, tmp_path):
    pytest.importorskip("pabutools")
    paths = [_random_file(seed, tmp_path)[0] for seed in range(15)]
    paths += [DATA / "format_example.pb", DATA / "quoted_vote.pb"]
    for path in paths:
        printed = _tally(path, rule)
        expected = _pabutools(path, rule)
        if rule == "mes":
            assert printed == expected, path.name
        else:
            assert sorted(printed) == sorted(expected), path.name


def test_it_counts_a_hand_written_file():
    assert _tally(DATA / "quoted_vote.pb", "mes-complete") == ["b-12", "b-3", "b-9"]


def test_it_runs_from_the_shell(tmp_path):
    path = _random_file(3, tmp_path)[0]
    done = subprocess.run(
        [sys.executable, "manage.py", "tally", str(path), "--rule", "mes"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == _tally(path, "mes")

    broken = tmp_path / "broken.pb"
    broken.write_text(path.read_text().replace("VOTES", "VOTE"))
    done = subprocess.run(
        [sys.executable, "manage.py", "tally", str(broken), "--rule", "mes"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert done.stdout == ""
    # The shell speaks the site's language (Dutch once translated); the section name stays.
    assert "CommandError" in done.stderr and "VOTES" in done.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("2;", "2;x,"), r"line \d+: Voter 2 votes for project x, which is not in PROJECTS"),
        (
            ("vote_type;approval", "vote_type;cumulative"),
            "line 4: The vote type is cumulative; only approval votes can be counted here.",
        ),
        (("PROJECTS", "PROJECTEN"), "The file has no section PROJECTS."),
    ],
)
def test_it_says_plainly_what_is_wrong_with_a_file(change, message, tmp_path):
    path = tmp_path / "vote.pb"
    text = pabulib.write(
        {"budget": 10}, [Project("a", 5), Project("b", 5)], [{"a"}, {"b"}, {"a", "b"}]
    )
    assert change[0] in text
    path.write_text(text.replace(*change, 1))
    with pytest.raises(
        CommandError, match=f"vote.pb is not a Pabulib file we can count: {message}"
    ):
        _tally(path, "mes")


def test_it_says_when_a_file_cannot_be_read_or_counted(tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*missing.pb"):
        _tally(tmp_path / "missing.pb", "greedy")
    free = tmp_path / "free.pb"
    free.write_text(pabulib.write({"budget": 10}, [Project("a", 0)], [{"a"}]))
    with pytest.raises(CommandError, match="cannot be counted: the cost of project 'a' must be"):
        _tally(free, "greedy")


def test_it_refuses_an_unknown_rule(tmp_path):
    with pytest.raises(CommandError, match="invalid choice"):
        _tally(DATA / "format_example.pb", "borda")
