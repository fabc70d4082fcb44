"""The rules and the results of a vote in plain words, in the reader's language.

budgets/rules.py explains itself in English only, for the shell and the tests; the pages use
these translated texts instead. "Why did this project lose?" is worded here from the numbers the
tally stored (services.close_vote keeps each loss as a reason code with amounts in cents), so
the answer is the count's own and never a second calculation.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from djmoney.money import Money

from budgets import rules
from budgets.models import Threshold, VoteKind, Weighting

RULE_TEXTS = {
    rules.GREEDY: gettext_lazy(
        "Projects are taken in order of votes, the project with the most votes first. "
        "A project is skipped when it no longer fits in the money that is left."
    ),
    rules.MES: gettext_lazy(
        "The budget is split into equal shares, one for each voter. A project wins when the "
        "people who voted for it can pay for it together from their shares. Projects that ask "
        "the least from each supporter win first. So every group of voters gets projects in "
        "proportion to its size, and some money may be left over."
    ),
    rules.MES_COMPLETE: gettext_lazy(
        "The budget is split into equal shares, one for each voter. A project wins when the "
        "people who voted for it can pay for it together from their shares. If money is left "
        "over, every share is made a little bigger and the count is done again, as long as the "
        "winners still fit in the budget. Money that is still left then goes to the projects "
        "with the most votes that still fit."
    ),
}

THRESHOLD_TEXTS = {
    Threshold.SIMPLE: gettext_lazy("more than half"),
    Threshold.TWO_THIRDS: gettext_lazy("at least two thirds"),
    Threshold.THREE_QUARTERS: gettext_lazy("at least three quarters"),
}


def rule_explanation(rule: str) -> str:
    text = RULE_TEXTS.get(rule)
    return str(text) if text is not None else ""


def money(amount, currency: str) -> str:
    """An amount (a Decimal, or the text the tally stored) as the reader's language writes
    money: "€ 1.800,00" in Dutch, "€1,800.00" in English."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, TypeError):
        value = Decimal(0)
    return str(Money(value, currency))


def proposal_label(proposal) -> str:
    """How a proposal is named in a list to choose from: number, title, amount."""
    return _("#%(number)s %(title)s (%(amount)s)") % {
        "number": proposal.number,
        "title": proposal.title,
        "amount": money(proposal.amount, proposal.currency),
    }


def vote_explanation(vote) -> list[str]:
    """How this vote is decided, as a few short sentences for the top of the ballot."""
    lines = []
    if vote.kind == VoteKind.BUDGET:
        lines.append(
            _(
                "Tick every project you support. Together they may cost at most the budget "
                "of %(limit)s."
            )
            % {"limit": money(vote.budget_limit, vote.cooperative.currency)}
        )
        lines.append(rule_explanation(vote.rule))
    else:
        lines.append(
            _(
                "Choose yes, no or abstain. The proposal is adopted when %(threshold)s of the "
                "yes and no votes are yes. Abstaining counts only for the quorum."
            )
            % {"threshold": THRESHOLD_TEXTS.get(vote.threshold, "")}
        )
    if vote.quorum:
        lines.append(
            _("The vote counts only if at least %(quorum)s%% of the votes take part.")
            % {"quorum": vote.quorum}
        )
    if vote.weighting == Weighting.BY_SHARES:
        lines.append(_("Your vote weighs as many votes as your shares give you."))
    return lines


def _amount_list(spent_on: dict, titles: dict, currency: str) -> str:
    ordered = sorted(spent_on.items(), key=lambda item: (-Decimal(item[1]), item[0]))
    return ", ".join(
        _("%(title)s (%(amount)s)")
        % {"title": titles.get(pid, f"#{pid}"), "amount": money(amount, currency)}
        for pid, amount in ordered
    )


def loss_sentences(loss: dict, titles: dict, currency: str) -> list[str]:
    """Why a project did not win, from the structured loss the tally stored. `titles` names
    every project of the vote by its tally id."""
    reason = loss.get("reason")
    count = int(loss.get("supporters") or 0)
    cost = money(loss.get("cost"), currency)
    if reason == rules.NO_SUPPORTERS:
        lines = [_("Nobody voted for this project.")]
        if loss.get("money_left") is not None:
            lines.append(
                _("It costs %(cost)s, and only %(left)s was left when its turn came.")
                % {"cost": cost, "left": money(loss["money_left"], currency)}
            )
        return lines
    lines = []
    if loss.get("supporters_money") is not None:
        lines.append(
            ngettext(
                "Its one supporter had %(money)s left of their share; it costs %(cost)s.",
                "Its %(count)s supporters had %(money)s left of their shares; it costs %(cost)s.",
                count,
            )
            % {"count": count, "money": money(loss["supporters_money"], currency), "cost": cost}
        )
        spent_on = loss.get("spent_on") or {}
        if spent_on:
            lines.append(
                ngettext(
                    "They spent their share on: %(projects)s.",
                    "They spent their shares on: %(projects)s.",
                    count,
                )
                % {"projects": _amount_list(spent_on, titles, currency)}
            )
    if loss.get("money_left") is not None:
        lines.append(
            ngettext(
                "It had %(count)s vote and costs %(cost)s, but when its turn came only "
                "%(left)s of the budget was left.",
                "It had %(count)s votes and costs %(cost)s, but when its turn came only "
                "%(left)s of the budget was left.",
                count,
            )
            % {"count": count, "cost": cost, "left": money(loss["money_left"], currency)}
        )
    if not lines:
        lines.append(
            _("It costs %(cost)s and did not fit in the money that was left.") % {"cost": cost}
        )
    return lines
