"""python -m bench.votes: the tally rules on a large participatory-budgeting vote.

100 projects costing 1,000 to 50,000, 10,000 voters approving 3 to 10 projects each, a budget of
30% of the total cost, all drawn from a fixed seed. The rules need no database, so this runs on
its own in seconds; `python -m bench` adds the same figures to its report.
"""

import random
import statistics
import sys
import time

from budgets import rules

PROJECTS = 100
VOTERS = 10_000
SEED = 6


def instance(projects: int = PROJECTS, voters: int = VOTERS, seed: int = SEED):
    chance = random.Random(seed)
    made = [rules.Project(f"p{i:03d}", chance.randint(1_000, 50_000)) for i in range(projects)]
    ballots = [
        frozenset(p.id for p in chance.sample(made, chance.randint(3, 10))) for _ in range(voters)
    ]
    budget = sum(p.cost for p in made) * 3 // 10
    return made, ballots, budget


def _timed(function, runs: int) -> tuple[float, object]:
    times, outcome = [], None
    for _ in range(runs):
        began = time.perf_counter()
        outcome = function()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), outcome


def _pabutools(rule, made, ballots, budget):
    """The same vote tallied by pabutools, or None when it is not installed."""
    try:
        from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance
        from pabutools.election import Project as PabuProject
        from pabutools.rules import (
            completion_by_rule_combination,
            greedy_utilitarian_welfare,
            method_of_equal_shares,
        )
    except ImportError:
        return None
    projects = {p.id: PabuProject(p.id, p.cost) for p in made}
    election = Instance(projects.values(), budget_limit=budget)
    profile = ApprovalProfile([ApprovalBallot(projects[i] for i in b) for b in ballots])
    if rule == rules.MES:
        return lambda: method_of_equal_shares(election, profile, sat_class=Cost_Sat)
    return lambda: completion_by_rule_combination(
        election,
        profile,
        [method_of_equal_shares, greedy_utilitarian_welfare],
        [{"sat_class": Cost_Sat, "voter_budget_increment": 1}, {"sat_class": Cost_Sat}],
    )


def measure(compare: bool = True) -> dict:
    """Median milliseconds per rule, and pabutools' time on the same vote (one run) if asked."""
    made, ballots, budget = instance()
    figures = {}
    for rule, name, runs in ((rules.MES, "mes", 5), (rules.MES_COMPLETE, "mes_complete", 3)):
        ours, result = _timed(lambda rule=rule: rules.RULES[rule](made, ballots, budget), runs)
        figure = {"ms": ours, "winners": len(result.winners), "share": result.share_per_voter}
        other = _pabutools(rule, made, ballots, budget) if compare else None
        if other is not None:
            theirs, outcome = _timed(other, 1)
            same = sorted(p.name for p in outcome) == sorted(result.winners)
            figure.update(pabutools_ms=theirs, same_winners=same)
        figures[name] = figure
    return figures


def figures(measured: dict) -> list:
    """The report's figures from measure(): our times, and pabutools' where it ran."""
    from bench.report import Figure

    made = []
    for name, what in (("mes", "equal shares"), ("mes_complete", "equal shares completed")):
        figure = measured[name]
        made.append(
            Figure(
                f"votes.{name}_ms_100x10k",
                figure["ms"],
                "ms",
                VOTERS,
                f"median tally by {what} of 100 projects and this many voters "
                f"({figure['winners']} winners)",
            )
        )
        if "pabutools_ms" in figure:
            made.append(
                Figure(
                    f"votes.pabutools_{name}_ms_100x10k",
                    figure["pabutools_ms"],
                    "ms",
                    VOTERS,
                    f"pabutools on the same vote, one run (same winners: {figure['same_winners']})",
                )
            )
    return made


def main() -> int:
    figures = measure()
    for name, figure in figures.items():
        line = f"votes.{name}_ms_100x10k: {figure['ms']:.0f} ms ({figure['winners']} winners)"
        if "pabutools_ms" in figure:
            ratio = figure["pabutools_ms"] / figure["ms"]
            line += (
                f"; pabutools {figure['pabutools_ms']:.0f} ms, {ratio:.1f} times as long, "
                f"same winners: {figure['same_winners']}"
            )
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
