"""How much money a source of proposals (a funding stream's fund, or the reinvestment reserve)
has left to decide on: what is in its account less what running votes may still allocate."""

from decimal import Decimal

from django.db.models import Sum

from budgets.models import FundingStream, Proposal, Vote, VoteKind
from wijkbv.ledger.models import Account, Balance, Purpose, cents


def reinvestment_reserve(cooperative) -> Account:
    return Account.objects.get(cooperative=cooperative, purpose=Purpose.REINVESTMENT_RESERVE)


def source_account(cooperative, stream: FundingStream | None) -> Account:
    """The account a proposal's money comes from: its stream's fund, or the reserve."""
    return stream.account if stream is not None else reinvestment_reserve(cooperative)


def credit_balance(account: Account) -> Decimal:
    amount = Balance.objects.filter(pk=account.pk).values_list("amount", flat=True).get()
    return -cents(amount)


def reserved_by_open_votes(cooperative, stream: FundingStream | None, *, except_vote=None):
    """Money promised to votes still running on this source: a budget's limit, or the amount
    of the proposal a yes/no vote is about."""
    votes = Vote.objects.filter(cooperative=cooperative, closed_at__isnull=True, stream=stream)
    if except_vote is not None:
        votes = votes.exclude(pk=except_vote.pk)
    total = cents(votes.filter(kind=VoteKind.BUDGET).aggregate(t=Sum("budget_limit"))["t"])
    total += cents(
        Proposal.objects.filter(
            votes__in=votes.filter(kind=VoteKind.YES_NO), stream=stream
        ).aggregate(t=Sum("amount"))["t"]
    )
    return total


def money_left(cooperative, stream: FundingStream | None, *, except_vote=None) -> Decimal:
    """What a source can still give: the money in its fund (received and not yet allocated)
    less what running votes may allocate."""
    account = source_account(cooperative, stream)
    return credit_balance(account) - reserved_by_open_votes(
        cooperative, stream, except_vote=except_vote
    )
