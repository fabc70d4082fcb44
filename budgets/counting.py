"""Counting a vote: who is in the electorate and with what weight, a ballot's receipt, and the
tally of yes/no votes and participatory budgets (the budget rules themselves are in rules.py).

Nothing here writes: budgets.services calls these while it holds the vote's lock."""

import datetime
import hashlib
import json
from decimal import Decimal

from budgets import rules
from budgets.models import Electorate, Outcome, Threshold, Vote, Weighting, YesNo
from members.models import Membership, MembershipStatus
from shares.selectors import voting_weights
from wijkbv.ledger.models import cents


def frozen_electorate(cooperative, electorate: str, weighting: str, on: datetime.date):
    """(membership, weight) for everyone who may vote, with their weight as of `on`. Members
    whose weight is zero (no voting shares, where votes go by shares) are left out."""
    members = Membership.objects.filter(cooperative=cooperative, status=MembershipStatus.ACTIVE)
    if electorate == Electorate.RESIDENTS:
        members = members.filter(is_resident=True)
    else:
        members = members.filter(partner_organisation__isnull=True)
    members = list(members.order_by("member_number"))
    by_shares = voting_weights(cooperative, members, at=on, by_shares=True)
    chosen = []
    for membership in members:
        shares_weight = by_shares.get(membership.pk, 0)
        if electorate == Electorate.SHAREHOLDERS and shares_weight == 0:
            continue
        weight = shares_weight if weighting == Weighting.BY_SHARES else 1
        if weight > 0:
            chosen.append((membership, weight))
    return chosen


def tracker_for(vote_id: int, choice: str, approvals: list[str], weight: int, nonce: str) -> str:
    """The receipt of a ballot: sha256 of its content as canonical JSON. Anyone can recompute it
    from the published ballot list."""
    content = json.dumps(
        {
            "vote": vote_id,
            "choice": choice,
            "approvals": sorted(approvals, key=lambda pid: (len(pid), pid)),
            "weight": weight,
            "nonce": nonce,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(content.encode()).hexdigest()


_THRESHOLDS = {
    Threshold.SIMPLE: (1, 2, False),  # more than a half
    Threshold.TWO_THIRDS: (2, 3, True),  # at least two thirds
    Threshold.THREE_QUARTERS: (3, 4, True),
}


def _meets_threshold(threshold: str, yes: int, no: int) -> bool:
    numerator, denominator, inclusive = _THRESHOLDS[threshold]
    if yes + no == 0:
        return False
    if inclusive:
        return yes * denominator >= numerator * (yes + no)
    return yes * denominator > numerator * (yes + no)


def tally_yes_no(vote: Vote, ballots) -> dict:
    totals = dict.fromkeys(YesNo.values, 0)
    for choice, weight in ballots:
        totals[choice] += weight
    cast = sum(totals.values())
    quorum_met = cast * 100 >= vote.quorum * vote.electorate_weight
    adopted = quorum_met and _meets_threshold(vote.threshold, totals["yes"], totals["no"])
    if not quorum_met:
        outcome = Outcome.NO_QUORUM
    else:
        outcome = Outcome.ADOPTED if adopted else Outcome.REJECTED
    return {"totals": totals, "quorum_met": quorum_met, "outcome": outcome}


def tally_budget(vote: Vote, proposals, ballots) -> tuple[dict, rules.Result | None]:
    """Count a participatory budget with the vote's rule. `ballots` are (approvals, weight)."""
    projects = [rules.Project(p.tally_id, cents(p.amount)) for p in proposals]
    counted = [rules.Ballot(frozenset(approvals), weight) for approvals, weight in ballots]
    approvals = dict.fromkeys((p.tally_id for p in proposals), 0)
    for ballot in counted:
        for pid in ballot.projects:
            approvals[pid] += ballot.weight
    cast = sum(ballot.weight for ballot in counted)
    quorum_met = cast * 100 >= vote.quorum * vote.electorate_weight
    data = {"approvals": approvals, "quorum_met": quorum_met}
    if not quorum_met:
        data.update(outcome=Outcome.NO_QUORUM, winners=[])
        return data, None
    result = rules.RULES[vote.rule](projects, counted, vote.budget_limit)
    data.update(
        outcome=Outcome.BUDGET_DECIDED,
        winners=list(result.winners),
        spent=str(
            sum((cents(p.amount) for p in proposals if p.tally_id in result.winners), cents(0))
        ),
        losses={pid: _loss_json(result, loss) for pid, loss in result.losses.items()},
        rounds=[
            {"project": r.project_id, "price_per_supporter": _cents_text(r.price_per_supporter)}
            for r in result.rounds
        ],
    )
    return data, result


def _loss_json(result: rules.Result, loss: rules.Loss) -> dict:
    """Why a project lost, as numbers the results page words in the reader's language."""
    data = {
        "reason": loss.reason,
        "cost": _cents_text(loss.cost),
        "supporters": loss.supporters,
        "supporters_money": None,
        "money_left": None,
        "spent_on": {},
    }
    if loss.supporters_money is not None:
        data["supporters_money"] = _cents_text(loss.supporters_money)
        data["spent_on"] = {
            pid: _cents_text(amount)
            for pid, amount in sorted(result.spent_by_supporters(loss.project_id).items())
            if amount
        }
    if loss.money_left is not None:
        data["money_left"] = _cents_text(loss.money_left)
    return data


def _cents_text(value) -> str:
    """An exact fraction as an amount in cents, rounded half up, for the record."""
    exact = Decimal(int(value.numerator)) / Decimal(int(value.denominator))
    return str(exact.quantize(Decimal("0.01")))
