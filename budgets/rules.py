"""Participatory-budgeting tally rules: greedy, the Method of Equal Shares, and MES completed.

Plain Python with no Django import, so the rules can be tested against an independent
implementation and benchmarked on their own. Every decision is taken on exact fractions: the same
ballots always give the same winners, and a tie is a real tie, never a rounding accident.

Every rule breaks a tie in favour of the project whose id sorts first as a string.

Invariant: each rule's winners cost together at most the budget limit; winners are listed in the
order the rule chose them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from itertools import chain
from math import gcd
from operator import itemgetter

try:  # the same exact rationals in C, many times faster; the results do not depend on it
    from gmpy2 import mpq as _rational
except ImportError:  # pragma: no cover
    _rational = Fraction

GREEDY = "greedy"
MES = "mes"
MES_COMPLETE = "mes-complete"

RULE_EXPLANATIONS = {
    GREEDY: (
        "Projects are taken in order of votes, the project with the most votes first. "
        "A project is skipped when it no longer fits in the money that is left."
    ),
    MES: (
        "The budget is split into equal shares, one for each voter. A project wins when the "
        "people who voted for it can pay for it together from their shares. Projects that ask "
        "the least from each supporter win first. So every group of voters gets projects in "
        "proportion to its size, and some money may be left over."
    ),
    MES_COMPLETE: (
        "The budget is split into equal shares, one for each voter. A project wins when the "
        "people who voted for it can pay for it together from their shares. If money is left "
        "over, every share is made a little bigger and the count is done again, as long as the "
        "winners still fit in the budget. Money that is still left then goes to the projects "
        "with the most votes that still fit."
    ),
}

# Why a project lost, as a code the interface can translate.
NO_SUPPORTERS = "no_supporters"
DID_NOT_FIT = "did_not_fit"
SUPPORTERS_SHORT = "supporters_short"


@dataclass(frozen=True)
class Project:
    id: str
    cost: int | Decimal
    name: str = ""


@dataclass(frozen=True)
class Ballot:
    """An approval ballot; weight counts it as that many equal ballots (0 leaves it out)."""

    projects: frozenset[str]
    weight: int = 1


@dataclass(frozen=True)
class Round:
    """One project chosen by equal shares, and the most any of its supporters paid for it.

    Supporters with less money left than the price paid all they had; the others paid the price.
    """

    project_id: str
    price_per_supporter: Fraction


@dataclass(frozen=True)
class Loss:
    """Why a project was not chosen, with the numbers behind the reason.

    supporters counts the weighted ballots approving the project. supporters_money is what they
    had left together when equal shares ended (None for greedy). money_left is what was left of
    the budget when the project's turn came in greedy order (None when it never had a turn).
    """

    project_id: str
    reason: str
    cost: Fraction
    supporters: int
    supporters_money: Fraction | None = None
    money_left: Fraction | None = None


@dataclass
class Result:
    rule: str
    winners: list[str]
    total_cost: int | Decimal
    budget: Fraction
    rounds: list[Round] = field(default_factory=list)
    losses: dict[str, Loss] = field(default_factory=dict)
    share_per_voter: Fraction | None = None
    # Per project: each supporter's payment, as (project id, amount) per ballot index.
    payments: list[list[tuple[str, Fraction]]] = field(default_factory=list, repr=False)
    supporters_of: dict[str, list[int]] = field(default_factory=dict, repr=False)

    def spent_by_supporters(self, project_id: str) -> dict[str, Fraction]:
        """What the supporters of a project paid, per chosen project, under equal shares.

        The ballots' weights count: a ballot of weight 3 paid three shares.
        """
        spent: dict[str, Fraction] = {}
        for index in self.supporters_of.get(project_id, []):
            for paid_for, amount in self.payments[index]:
                spent[paid_for] = spent.get(paid_for, 0) + _fraction(amount)
        return spent


# --- input ------------------------------------------------------------------------------------


def _exact(value, what: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | Fraction):
        raise ValueError(f"{what} must be an integer or a Decimal, not {value!r}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{what} must be a finite number, not {value}")
    return Fraction(value)


@dataclass
class _Instance:
    projects: list[Project]  # sorted by id
    costs: list[Fraction]
    budget: Fraction
    ballots: list[tuple[int, list[int]]]  # (weight > 0, project indices)
    supporters: list[list[int]]  # per project, ballot indices
    approvals: list[int]  # per project, weighted
    voters: int  # weighted
    gatherers: list | None = None  # per project, picks its supporters' entries from a list


def _prepare(projects: Iterable[Project], ballots: Iterable, budget) -> _Instance:
    limit = _exact(budget, "the budget")
    if limit < 0:
        raise ValueError(f"the budget must not be negative, it is {budget}")
    ordered = sorted(projects, key=lambda p: p.id)
    index: dict[str, int] = {}
    for position, project in enumerate(ordered):
        if not isinstance(project.id, str) or not project.id:
            raise ValueError(f"a project id must be a non-empty string, not {project.id!r}")
        if project.id in index:
            raise ValueError(f"project id {project.id!r} appears more than once")
        index[project.id] = position
    costs = []
    for project in ordered:
        cost = _exact(project.cost, f"the cost of project {project.id!r}")
        if cost <= 0:
            raise ValueError(f"the cost of project {project.id!r} must be positive, it is {cost}")
        costs.append(cost)
    kept: list[tuple[int, list[int]]] = []
    supporters: list[list[int]] = [[] for _ in ordered]
    approvals = [0] * len(ordered)
    adders = [s.append for s in supporters]
    for number, ballot in enumerate(ballots, start=1):
        if type(ballot) is frozenset:  # the usual case, checked quickly
            chosen, weight = ballot, 1
        elif isinstance(ballot, Ballot):
            chosen, weight = ballot.projects, ballot.weight
        else:
            chosen, weight = ballot, 1
        if isinstance(chosen, str):
            raise ValueError(f"ballot {number} must be a set of project ids, not a string")
        if type(weight) is not int and (isinstance(weight, bool) or not isinstance(weight, int)):
            weight_ok = False
        else:
            weight_ok = weight >= 0
        if not weight_ok:
            raise ValueError(
                f"the weight of ballot {number} must be an integer >= 0, not {weight!r}"
            )
        if not isinstance(chosen, set | frozenset):
            chosen = set(chosen)
        try:
            positions = [index[c] for c in chosen]
        except KeyError:
            unknown = sorted(str(c) for c in chosen if c not in index)
            raise ValueError(
                f"ballot {number} names unknown projects: {', '.join(unknown)}"
            ) from None
        if weight:
            ballot_number = len(kept)
            kept.append((weight, positions))
            for position in positions:
                adders[position](ballot_number)
                approvals[position] += weight
    return _Instance(ordered, costs, limit, kept, supporters, approvals, sum(w for w, _ in kept))


def _total(instance: _Instance, chosen: list[int]):
    return sum((instance.projects[p].cost for p in chosen), 0)


# --- greedy -----------------------------------------------------------------------------------


def _greedy_fill(instance: _Instance, chosen: list[int], losses: dict[str, Loss]) -> None:
    """Add, by most approvals (then id), each project that still fits; note why others lost."""
    left = instance.budget - sum((instance.costs[p] for p in chosen), Fraction(0))
    taken = set(chosen)
    order = sorted(
        (p for p in range(len(instance.projects)) if p not in taken),
        key=lambda p: (-instance.approvals[p], instance.projects[p].id),
    )
    for p in order:
        project_id = instance.projects[p].id
        if instance.costs[p] <= left:
            chosen.append(p)
            left -= instance.costs[p]
            losses.pop(project_id, None)
            continue
        earlier = losses.get(project_id)
        losses[project_id] = Loss(
            project_id,
            DID_NOT_FIT if instance.approvals[p] else NO_SUPPORTERS,
            instance.costs[p],
            instance.approvals[p],
            supporters_money=earlier.supporters_money if earlier else None,
            money_left=left,
        )


def greedy(projects: Iterable[Project], ballots: Iterable, budget) -> Result:
    """Greedy by (weighted) approvals, skipping projects that no longer fit."""
    instance = _prepare(projects, ballots, budget)
    chosen: list[int] = []
    losses: dict[str, Loss] = {}
    _greedy_fill(instance, chosen, losses)
    return _result(GREEDY, instance, chosen, losses)


def _result(rule, instance, chosen, losses, run=None) -> Result:
    result = Result(
        rule=rule,
        winners=[instance.projects[p].id for p in chosen],
        total_cost=_total(instance, chosen),
        budget=instance.budget,
        losses=dict(sorted(losses.items())),
    )
    if run is not None:
        result.rounds = run.rounds
        result.share_per_voter = run.share
        result.payments = run.payments
        result.supporters_of = {
            instance.projects[p].id: instance.supporters[p] for p in range(len(instance.projects))
        }
    return result


# --- the Method of Equal Shares ---------------------------------------------------------------


@dataclass
class _Run:
    share: Fraction
    chosen: list[int]
    rounds: list[Round]
    payments: list[list[tuple[str, Fraction]]]
    holds: list[int]  # ballot -> amount id at the end
    money_of_amounts: Callable[[dict[int, int]], object]  # {amount id: voters} -> their money

    def supporters_money(self, instance: _Instance, p: int) -> Fraction:
        if instance.voters == len(instance.ballots):  # every weight is 1
            counts = Counter(map(self.holds.__getitem__, instance.supporters[p]))
        else:
            counts = Counter()
            for ballot in instance.supporters[p]:
                counts[self.holds[ballot]] += instance.ballots[ballot][0]
        return _fraction(self.money_of_amounts(counts))


def _fraction(value) -> Fraction:
    return Fraction(int(value.numerator), int(value.denominator))


_SLACK = 1e-9  # far above the rounding of a few thousand float operations, far below any real gap
_ROUNDING = 2.0**-51  # twice the most a float operation can be off, relative to its operands


def _gather(indices: list[int]):
    """A function picking these indices from a list, always as a tuple."""
    if len(indices) == 1:
        only = indices[0]
        return lambda values: (values[only],)
    return itemgetter(*indices)


def _equal_shares(
    instance: _Instance, share: Fraction, limit: Fraction | None = None, record: bool = True
) -> _Run:
    """One run of equal shares with cost satisfaction, every voter starting with `share`.

    Voters who paid for the same projects have the same money left and share an amount id. An
    amount is kept in floats at once, but exactly only when it is needed: as the amount it came
    from less the price paid, worked out on demand. The exact numbers grow long as the rounds go
    by, so most of the time goes into them; most amounts are never needed exactly.

    Each round first prices projects in floats, to find the few that could be the cheapest; only
    those are priced exactly, and the exact prices decide. The floats carry a known bound on
    their error (`error`, per voter), and every float decision allows for it and for a margin
    (`_SLACK`); where floats cannot tell (a project's supporters have about exactly its cost),
    the round is priced exactly throughout. A project's price per unit of cost only rises as
    money is spent, so its last price (less the margin) is a lower bound: projects are visited by
    that bound, and the visit stops once no bound can beat the best price of the round.

    With a limit, the run stops as soon as its winners cost more than the limit: the caller only
    needs to know that they do. Without record, who paid what is not kept.
    """
    n = len(instance.projects)
    if instance.gatherers is None:
        instance.gatherers = [_gather(s) if s else None for s in instance.supporters]
    gatherers = instance.gatherers
    zero = _rational(0)
    start = _rational(share)
    amounts = [start]  # amount id -> money left exactly, None until needed
    came_from = [-1]  # amount id -> the amount it was before the last payment
    round_of = [-1]  # amount id -> the round of that payment
    paths: list[tuple[int, ...]] = [()]  # amount id -> the rounds it paid in full
    prices: list = []  # round -> the price each supporter paid in full
    denominator = 1  # a common denominator of the prices
    scaled: list[int] = []  # round -> the price times that denominator
    floats = [float(start)]  # amount id -> money left, nearly
    scale = floats[0]
    error = _ROUNDING * scale  # the most any float amount is off
    zero_id = -1  # the amount id of no money left, once someone has none
    holds = [0] * len(instance.ballots)  # ballot -> amount id
    money_of = [floats[0]] * len(instance.ballots)  # ballot -> money left, nearly
    weights = [weight for weight, _ in instance.ballots]
    unweighted = instance.voters == len(instance.ballots)
    approvals = instance.approvals
    alive = [approvals[p] > 0 for p in range(n)]
    bound = [(1 - _SLACK) / approvals[p] if alive[p] else 0.0 for p in range(n)]
    payments: list[list[tuple[str, Fraction]]] = [[] for _ in instance.ballots] if record else []
    chosen: list[int] = []
    rounds: list[Round] = []
    ids = [project.id for project in instance.projects]
    costs = [_rational(cost) for cost in instance.costs]
    float_costs = [float(cost) for cost in instance.costs]
    float_of = floats.__getitem__
    spent_so_far = Fraction(0)

    def exact(amount):
        """The exact money of an amount id, worked out from the amounts it came from."""
        value = amounts[amount]
        if value is None:
            pending = []
            while value is None:
                pending.append(amount)
                amount = came_from[amount]
                value = amounts[amount]
            for amount in reversed(pending):
                value = value - prices[round_of[amount]]
                amounts[amount] = value
        return value

    def held(p):
        if unweighted:
            return Counter(gatherers[p](holds))
        counts = Counter()
        for ballot in instance.supporters[p]:
            counts[holds[ballot]] += weights[ballot]
        return counts

    def exact_order(amount_ids):
        """Amount ids by exact money, increasing; floats order all but those an error apart."""
        order = sorted(amount_ids, key=float_of)
        close = 2 * error
        for first, second in zip(order, order[1:], strict=False):
            if floats[second] - floats[first] <= close and exact(first) > exact(second):
                return sorted(amount_ids, key=exact)
        return order

    def money_of_amounts(counts):
        """The exact money of so many voters per amount id, together.

        An amount is the share less the prices paid on its way from the start (its path of
        rounds), so the sum is the share times the voters less each round's price times the
        voters who paid it. The prices are kept as whole numbers over one common denominator,
        so that sum is a few products of whole numbers, where adding up the amounts one by one
        would take a long fraction sum per amount.
        """
        if len(counts) < 8:
            return sum((exact(amount) * count for amount, count in counts.items()), zero)
        voters = 0
        walked = []
        for amount, count in counts.items():
            if amount != zero_id:
                voters += count
                walked.append(paths[amount] * count if count > 1 else paths[amount])
        per_round = Counter(chain.from_iterable(walked))
        paid_together = sum(scaled[r] * k for r, k in per_round.items())
        return start * voters - _rational(paid_together, denominator)

    def exact_price(p, counts, guess=None):
        """The exact price per supporter, or None when the supporters cannot pay together.

        With a guess (the float price), only the amounts near it are sorted and scanned one by
        one: those clearly below pay all they have, those clearly above pay the price, which is
        checked afterwards.
        """
        need = costs[p]
        remaining = approvals[p]
        if guess is None:
            order = exact_order(counts)
            above = 0
        else:
            bottom = guess * (1 - 4 * _SLACK)
            top = guess * (1 + 4 * _SLACK)
            near = []
            below = {}
            above = 0
            for amount, count in counts.items():
                money = floats[amount]
                if money + error < bottom:
                    below[amount] = count
                elif money - error > top:
                    above += count
                else:
                    near.append(amount)
            if below:
                need -= money_of_amounts(below)
                remaining -= sum(below.values())
            order = exact_order(near)
        for amount in order:
            money = exact(amount)
            if need <= money * remaining:
                price = need / remaining
                break
            need -= money * counts[amount]
            remaining -= counts[amount]
        else:
            if not above:
                return None
            price = need / remaining
        if guess is None:
            return price
        # Those left out below have less than `bottom` and those above more than `top`, exactly.
        if (not below or float(price) > bottom * (1 + _SLACK)) and (
            not above or float(price) < top * (1 - _SLACK)
        ):
            return price
        return exact_price(p, counts)

    def float_price(p, cost):
        """The price per supporter in floats, and how much more than the cost the supporters
        have together (negative when they cannot pay; the price is then None)."""
        if unweighted:
            # Each supporter on their own, by money. Starting from the cost shared equally, the
            # supporters with less than the price pay all they have and the others share the
            # rest; that price is still at most the true one, and repeating it reaches the true
            # one once nobody else falls below it.
            money = sorted(gatherers[p](money_of))
            total = sum(money)
            if total < cost:
                return None, total - cost
            count = len(money)
            price = cost / count
            capped = 0
            need = cost
            while True:
                below = bisect_left(money, price, capped)
                if below == capped:
                    return price, total - cost
                if below == count:  # only a rounding from paying everything
                    return money[-1], total - cost
                need -= sum(money[capped:below])
                capped = below
                price = need / (count - capped)
        counts = held(p)
        need = cost
        remaining = approvals[p]
        total = sum(floats[amount] * count for amount, count in counts.items())
        for amount in sorted(counts, key=float_of):
            money = floats[amount]
            if need <= money * remaining:
                return need / remaining, total - cost
            need -= money * counts[amount]
            remaining -= counts[amount]
        return None, total - cost

    def exact_round():
        """Price every project exactly: for the rounds floats cannot settle."""
        best = best_price = best_counts = None
        best_p = -1
        for p in range(n):
            if not alive[p]:
                continue
            counts = held(p)
            price = exact_price(p, counts)
            if price is None:
                alive[p] = False
                continue
            per_cost = price / costs[p]
            bound[p] = float(per_cost) * (1 - _SLACK)
            if best is None or per_cost < best:
                best, best_price, best_p, best_counts = per_cost, price, p, counts
        return best_p, best_price, best_counts

    candidates = list(range(n))
    while True:
        best_high = float("inf")  # the least upper bound of a float price per unit of cost
        scanned = []
        unsure = False
        # The order among equal bounds does not matter: all of them are visited or none.
        candidates = [p for p in candidates if alive[p]]
        candidates.sort(key=bound.__getitem__)
        for p in candidates:
            if bound[p] > best_high:
                break
            cost = float_costs[p]
            price, gap = float_price(p, cost)
            # What the supporters' floats can be off together, and the margin besides.
            margin = _SLACK * cost + 2 * approvals[p] * error
            if price is None:
                if gap < -margin:  # clearly short of money
                    alive[p] = False
                    continue
                unsure = True
                break
            if gap <= margin:  # can they just pay, or just not?
                unsure = True
                break
            # The price moves by at most what the supporters' floats are off together, and by
            # the rounding of summing them up.
            off = 2 * approvals[p] * (error + _ROUNDING * cost)
            low = (price - off) / cost * (1 - _SLACK)
            bound[p] = low
            best_high = min(best_high, (price + off) / cost * (1 + _SLACK))
            scanned.append((low, p, price))
        best_p = -1
        if not unsure:
            best = None
            for low, p, guess in scanned:
                if low > best_high:
                    continue
                counts = held(p)
                price = exact_price(p, counts, guess)
                if price is None:
                    unsure = True
                    break
                per_cost = price / costs[p]
                if best is None or per_cost < best or (per_cost == best and ids[p] < ids[best_p]):
                    best, best_price, best_p, best_counts = per_cost, price, p, counts
        if unsure:
            best_p, best_price, best_counts = exact_round()
        if best_p < 0:
            break
        p = best_p
        alive[p] = False
        chosen.append(p)
        rounds.append(Round(ids[p], _fraction(best_price)))
        if limit is not None:
            spent_so_far += instance.costs[p]
            if spent_so_far > limit:
                break
        # Supporters who had the same amount still have the same amount: a new id per old one,
        # except that everyone left with nothing shares one. Floats decide who could pay the
        # price in full, unless they are too close to it to tell.
        prices.append(best_price)
        this_round = len(prices) - 1
        price_denominator = int(best_price.denominator)
        if denominator % price_denominator:
            widen = price_denominator // gcd(denominator, price_denominator)
            scaled[:] = [value * widen for value in scaled]
            denominator *= widen
        scaled.append(int(best_price.numerator) * (denominator // price_denominator))
        price_float = float(best_price)
        close = 2 * error + _ROUNDING * scale
        clearly = price_float + close
        olds = list(best_counts)
        rich = [old for old in olds if floats[old] > clearly]
        first = len(floats)
        after = dict(zip(rich, range(first, first + len(rich)), strict=True))
        floats.extend([floats[old] - price_float for old in rich])
        amounts.extend([None] * len(rich))
        came_from.extend(rich)
        round_of.extend([this_round] * len(rich))
        step = (this_round,)
        paths.extend([paths[old] + step for old in rich])
        capped = []
        for old in [old for old in olds if old not in after]:
            if floats[old] - price_float >= -close and exact(old) > best_price:
                after[old] = len(floats)
                value = exact(old) - best_price
                amounts.append(value)
                floats.append(float(value))
                came_from.append(old)
                round_of.append(this_round)
                paths.append(paths[old] + step)
            else:
                if zero_id < 0:
                    zero_id = len(floats)
                    amounts.append(zero)
                    floats.append(0.0)
                    came_from.append(-1)
                    round_of.append(-1)
                    paths.append(())
                after[old] = zero_id
                capped.append(old)
        error += _ROUNDING * scale
        if not record:
            supporters = instance.supporters[p]
            moved = map(after.__getitem__, gatherers[p](holds))
            for ballot, new in zip(supporters, moved, strict=True):
                holds[ballot] = new
                money_of[ballot] = floats[new]
            continue
        project_id = ids[p]
        spent = dict.fromkeys(after, best_price)
        for old in capped:
            spent[old] = exact(old)
        for ballot in instance.supporters[p]:
            old = holds[ballot]
            holds[ballot] = new = after[old]
            money_of[ballot] = floats[new]
            if spent[old]:
                payments[ballot].append((project_id, spent[old] * weights[ballot]))
    return _Run(share, chosen, rounds, payments, holds, money_of_amounts)


def _mes_losses(instance: _Instance, run: _Run) -> dict[str, Loss]:
    losses = {}
    taken = set(run.chosen)
    for p, project in enumerate(instance.projects):
        if p in taken:
            continue
        if not instance.approvals[p]:
            losses[project.id] = Loss(project.id, NO_SUPPORTERS, instance.costs[p], 0)
        else:
            losses[project.id] = Loss(
                project.id,
                SUPPORTERS_SHORT,
                instance.costs[p],
                instance.approvals[p],
                supporters_money=run.supporters_money(instance, p),
            )
    return losses


def mes(projects: Iterable[Project], ballots: Iterable, budget) -> Result:
    """The Method of Equal Shares with cost satisfaction, without completion."""
    instance = _prepare(projects, ballots, budget)
    if not instance.voters:
        return _result(MES, instance, [], _mes_losses(instance, _empty_run(instance)))
    run = _equal_shares(instance, instance.budget / instance.voters)
    return _result(MES, instance, list(run.chosen), _mes_losses(instance, run), run)


def _empty_run(instance: _Instance) -> _Run:
    return _Run(Fraction(0), [], [], [], [0] * len(instance.ballots), lambda counts: 0)


def mes_complete(projects: Iterable[Project], ballots: Iterable, budget) -> Result:
    """Equal shares, each share raised by one unit until the outcome is exhaustive, then greedy.

    The share starts at budget / voters. After each run: if the winners cost more than the budget,
    the previous run stands; if no approved project still fits beside them, this run stands;
    otherwise every share grows by one currency unit and the count is done again. Money still
    left is then filled greedily by approvals.
    """
    instance = _prepare(projects, ballots, budget)
    if not instance.voters:
        run = _empty_run(instance)
    else:
        supported = [p for p in range(len(instance.projects)) if instance.approvals[p]]
        share = instance.budget / instance.voters
        run = _equal_shares(instance, share, record=False)
        while True:
            spent = sum((instance.costs[p] for p in run.chosen), Fraction(0))
            taken = set(run.chosen)
            if all(
                spent + instance.costs[p] > instance.budget for p in supported if p not in taken
            ):
                break
            share += 1
            following = _equal_shares(instance, share, limit=instance.budget, record=False)
            if sum((instance.costs[p] for p in following.chosen), Fraction(0)) > instance.budget:
                break
            run = following
        run = _equal_shares(instance, run.share)  # once more, keeping who paid what
    chosen = list(run.chosen)
    losses = _mes_losses(instance, run)
    _greedy_fill(instance, chosen, losses)
    return _result(MES_COMPLETE, instance, chosen, losses, run)


RULES = {GREEDY: greedy, MES: mes, MES_COMPLETE: mes_complete}


# --- explaining a loss ------------------------------------------------------------------------


def _money(value: Fraction) -> str:
    return f"{float(value):,.2f}"


def explain_loss(result: Result, project_id: str) -> str:
    """Why a project did not win, in plain English, from the tally's own numbers."""
    if project_id in result.winners:
        return f"Project {project_id} won."
    loss = result.losses.get(project_id)
    if loss is None:
        raise ValueError(f"project {project_id!r} was not in this vote")
    if loss.reason == NO_SUPPORTERS:
        text = f"Nobody voted for project {project_id}."
        if loss.money_left is not None:
            text += (
                f" It costs {_money(loss.cost)}, and only {_money(loss.money_left)} was left"
                " when the projects without votes had their turn."
            )
        return text
    lines = []
    if loss.supporters_money is not None:
        lines.append(
            f"Project {project_id} costs {_money(loss.cost)}. "
            + (
                f"Its {loss.supporters} supporters had {_money(loss.supporters_money)} left of "
                "their shares together, which was not enough to pay for it."
                if loss.supporters != 1
                else f"Its one supporter had {_money(loss.supporters_money)} left of their "
                "share, which was not enough to pay for it."
            )
        )
        spent = result.spent_by_supporters(project_id)
        if spent:
            parts = ", ".join(
                f"{_money(amount)} on {paid_for}"
                for paid_for, amount in sorted(spent.items(), key=lambda item: -item[1])
            )
            lines.append(f"They had spent their shares on other winning projects: {parts}.")
    if loss.reason == DID_NOT_FIT and loss.money_left is not None:
        lines.append(
            f"Project {project_id} has {loss.supporters} "
            f"{'vote' if loss.supporters == 1 else 'votes'} and costs {_money(loss.cost)}, "
            f"but when its turn came only {_money(loss.money_left)} of the budget was left."
        )
    return " ".join(lines)
