"""The tally rules on small hand-made votes, on bad input, and against pabutools."""

import random
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import pytest

from budgets import rules
from budgets.rules import Ballot, Project, explain_loss, greedy, mes, mes_complete


def projects(**costs):
    return [Project(name, cost) for name, cost in costs.items()]


def test_it_imports_without_django():
    code = "import sys, budgets.rules; print('django' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_it_takes_greedy_by_votes_and_skips_what_no_longer_fits():
    result = greedy(projects(a=60, b=50, c=30), [{"a"}, {"a", "b"}, {"a", "b"}, {"c"}], budget=100)
    assert result.winners == ["a", "c"]
    assert result.total_cost == 90
    assert result.losses["b"].reason == rules.DID_NOT_FIT
    assert result.losses["b"].money_left == 40


def test_it_breaks_a_greedy_tie_by_id():
    result = greedy(projects(b=50, a=50), [{"a"}, {"b"}], budget=50)
    assert result.winners == ["a"]


def test_it_counts_weights_in_greedy():
    result = greedy(projects(a=50, b=50), [Ballot(frozenset({"b"}), 3), {"a"}, {"a"}], 50)
    assert result.winners == ["b"]


def test_it_gives_a_minority_its_share_where_greedy_does_not():
    # Six voters want a and b, four want c: greedy gives the majority everything.
    ballots = [{"a", "b"}] * 6 + [{"c"}] * 4
    assert greedy(projects(a=50, b=50, c=60), ballots, 150).winners == ["a", "b"]
    result = mes(projects(a=50, b=50, c=60), ballots, 150)
    assert result.winners == ["a", "c"]
    assert result.rounds[0] == rules.Round("a", Fraction(50, 6))
    assert result.rounds[1] == rules.Round("c", Fraction(15))


def test_it_breaks_an_equal_shares_tie_by_id():
    result = mes(projects(b=30, a=30), [{"a"}, {"b"}], 60)
    assert result.winners == ["a", "b"]


def test_it_says_why_an_equal_shares_project_lost():
    ballots = [{"a", "b"}] * 6 + [{"c"}] * 4
    result = mes(projects(a=50, b=50, c=60), ballots, 150)
    loss = result.losses["b"]
    assert loss.reason == rules.SUPPORTERS_SHORT
    assert loss.supporters == 6
    assert loss.supporters_money == 40
    assert result.spent_by_supporters("b") == {"a": 50}
    text = explain_loss(result, "b")
    assert "6 supporters" in text and "40.00" in text and "50.00 on a" in text


def test_it_completes_equal_shares_with_the_last_feasible_share_then_greedy():
    # Shares of 30 pay only for c. At 45 every project is paid for, 105 in all, over the
    # budget: so shares of 44 stand, and greedy adds a (first by id) but b no longer fits.
    made = projects(a=45, b=45, c=15)
    ballots = [{"a"}, {"b"}, {"c"}]
    assert mes(made, ballots, 90).winners == ["c"]
    result = mes_complete(made, ballots, 90)
    assert result.winners == ["c", "a"]
    assert result.share_per_voter == 44
    loss = result.losses["b"]
    assert loss.reason == rules.DID_NOT_FIT
    assert (loss.money_left, loss.supporters_money) == (30, 44)
    assert "only 30.00 of the budget was left" in explain_loss(result, "b")


def test_it_raises_shares_until_exhaustive():
    # Shares of 50 pay for a; raised to 60, b fits too and the budget is used exactly.
    result = mes_complete(projects(a=50, b=60), [{"a"}, {"b"}], 110)
    assert result.winners == ["a", "b"]
    assert result.share_per_voter == 60


def test_it_accepts_decimal_costs():
    result = mes(
        [Project("a", Decimal("10.50")), Project("b", Decimal("9.50"))], [{"a"}, {"b"}], 21
    )
    assert result.winners == ["a", "b"]
    assert result.total_cost == Decimal("20.00")


def test_it_funds_nothing_without_voters_under_equal_shares():
    assert mes(projects(a=10), [], 10).winners == []
    assert explain_loss(mes(projects(a=10), [], 10), "a") == "Nobody voted for project a."


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((projects(a=10), [], -1), "must not be negative"),
        ((projects(a=0), [], 10), "must be positive"),
        (([Project("a", 1), Project("a", 2)], [], 10), "more than once"),
        ((projects(a=10), [{"a", "x"}], 10), "unknown projects: x"),
        ((projects(a=10), [Ballot(frozenset({"a"}), -1)], 10), "integer >= 0"),
        ((projects(a=10), [], 1.5), "integer or a Decimal"),
        ((projects(a=10), ["a"], 10), "not a string"),
    ],
)
def test_it_refuses_bad_input(arguments, message):
    for rule in (greedy, mes, mes_complete):
        with pytest.raises(ValueError, match=message):
            rule(*arguments)


# --- against pabutools -------------------------------------------------------------------------


def _pabutools(rule, project_list, ballots, budget):
    from pabutools.election import (
        ApprovalBallot,
        ApprovalProfile,
        Cost_Sat,
        Instance,
    )
    from pabutools.election import Project as PabuProject
    from pabutools.rules import (
        completion_by_rule_combination,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )
    from pabutools.tiebreaking import lexico_tie_breaking  # orders by name, as ours by id

    made = {p.id: PabuProject(p.id, p.cost) for p in project_list}
    instance = Instance(made.values(), budget_limit=budget)
    profile = ApprovalProfile(
        [
            ApprovalBallot(made[i] for i in ballot.projects)
            for ballot in ballots
            for _ in range(ballot.weight)
        ]
    )
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


def _random_instance(seed):
    chance = random.Random(seed)
    count = chance.randint(1, 8)
    costs = chance.choice([(1, 10), (5, 40), (10, 100)])
    made = [Project(f"p{i}", chance.randint(*costs)) for i in range(count)]
    if chance.random() < 0.3:  # equal costs make ties likely
        made = [Project(p.id, costs[0] * 3) for p in made]
    ballots = []
    for _ in range(chance.randint(0, 12)):
        size = chance.randint(0, min(4, count))
        chosen = frozenset(p.id for p in chance.sample(made, size))
        weight = chance.choice([1, 1, 1, 2, 3, 0]) if chance.random() < 0.3 else 1
        ballots.append(Ballot(chosen, weight))
    total = sum(p.cost for p in made)
    budget = chance.randint(0, total + 5)
    return made, ballots, budget


@pytest.mark.parametrize("rule", ["greedy", "mes", "mes-complete"])
def test_it_chooses_what_pabutools_chooses(rule):
    pytest.importorskip("pabutools")
    ours = rules.RULES[rule]
    for seed in range(600):
        made, ballots, budget = _random_instance(seed)
        expected = _pabutools(rule, made, ballots, budget)
        result = ours(made, ballots, budget)
        if rule == "mes":
            assert result.winners == expected, f"seed {seed}"
        else:
            # pabutools lists a completed outcome in its own order; the set is what it chose.
            assert sorted(result.winners) == sorted(expected), f"seed {seed}"
        assert sum(p.cost for p in made if p.id in result.winners) <= budget


def test_it_gives_the_same_winners_when_floats_settle_nothing(monkeypatch):
    # A huge margin makes every round fall back to exact prices throughout.
    votes = [_random_instance(seed) for seed in range(200)]
    expected = [[rule(*vote).winners for rule in (mes, mes_complete)] for vote in votes]
    monkeypatch.setattr(rules, "_SLACK", 0.5)
    assert [[rule(*vote).winners for rule in (mes, mes_complete)] for vote in votes] == expected


def _larger_instance(seed):
    """More voters and projects than _random_instance: enough for voters to end up with many
    different amounts left, some paying all they have, which small votes rarely reach."""
    chance = random.Random(seed)
    count = chance.randint(5, 16)
    low, high = chance.choice([(1, 10), (100, 1_000), (1_000, 50_000)])
    made = [Project(f"p{i:02d}", chance.randint(low, high)) for i in range(count)]
    ballots = []
    for _ in range(chance.randint(20, 120)):
        chosen = frozenset(p.id for p in chance.sample(made, chance.randint(1, min(6, count))))
        weight = chance.choice([1, 1, 2, 3]) if seed % 3 == 0 else 1
        ballots.append(Ballot(chosen, weight))
    budget = sum(p.cost for p in made) * chance.randint(1, 9) // 10
    return made, ballots, budget


@pytest.mark.parametrize("rule", ["mes", "mes-complete"])
def test_it_chooses_what_pabutools_chooses_on_larger_votes(rule):
    pytest.importorskip("pabutools")
    for seed in range(30):
        made, ballots, budget = _larger_instance(seed)
        expected = _pabutools(rule, made, ballots, budget)
        result = rules.RULES[rule](made, ballots, budget)
        if rule == "mes":
            assert result.winners == expected, f"seed {seed}"
        else:
            assert sorted(result.winners) == sorted(expected), f"seed {seed}"


def test_it_prices_larger_votes_the_same_when_floats_settle_nothing(monkeypatch):
    votes = [_larger_instance(seed) for seed in range(30)]

    def tallies():
        made = []
        for vote in votes:
            for rule in (mes, mes_complete):
                result = rule(*vote)
                made.append((result.winners, result.rounds, result.share_per_voter))
                made.append({key: loss.supporters_money for key, loss in result.losses.items()})
        return made

    expected = tallies()
    monkeypatch.setattr(rules, "_SLACK", 0.5)
    assert tallies() == expected
