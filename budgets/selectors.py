"""Reading budgets: what each funding stream received, allocated and has left; proposals; votes
with who may still vote; a member's place in a vote; results and the published ballot list.

Nothing here says what a member voted: ballots are read only as the published, anonymous list,
and only once the vote is closed.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from djmoney.money import Money

from budgets.models import (
    Agreement,
    BallotRecord,
    BankLine,
    FundingStream,
    Proposal,
    ProposalStatus,
    Secrecy,
    Vote,
    Voter,
)
from budgets.services import STREAM_RECEIVED, VOTE_CLOSED
from budgets.sources import (
    money_left,
    reinvestment_reserve,
    reserved_by_open_votes,
)
from wijkbv.ledger.models import (
    Account,
    AccountType,
    Balance,
    Posting,
    Purpose,
    Transaction,
    cents,
)


@dataclass
class StreamSummary:
    """A source of money as a funder or resident reads it. `stream` is None for the reserve."""

    stream: FundingStream | None
    committed: Money | None
    received: Money
    allocated: Money
    in_fund: Money
    reserved: Money
    left: Money

    @property
    def name(self) -> str:
        from django.utils.translation import gettext as _

        return self.stream.name if self.stream else _("Reinvestment reserve")


def _sum(query) -> Decimal:
    return cents(query.aggregate(total=Sum("amount"))["total"])


def stream_summary(stream: FundingStream) -> StreamSummary:
    """Committed, received (money in from the bank), allocated by decisions, in the fund now,
    promised to running votes, and left to decide on: a handful of queries."""
    cooperative = stream.cooperative
    postings = Posting.objects.filter(account=stream.account)
    received = -_sum(postings.filter(transaction__action=STREAM_RECEIVED))
    allocated = _sum(postings.filter(transaction__action=VOTE_CLOSED))
    in_fund = -cents(Balance.objects.get(pk=stream.account_id).amount)
    reserved = reserved_by_open_votes(cooperative, stream)
    currency = stream.currency
    return StreamSummary(
        stream=stream,
        committed=Money(stream.committed, currency),
        received=Money(received, currency),
        allocated=Money(allocated, currency),
        in_fund=Money(in_fund, currency),
        reserved=Money(reserved, currency),
        left=Money(in_fund - reserved, currency),
    )


def reserve_summary(cooperative) -> StreamSummary:
    account = reinvestment_reserve(cooperative)
    postings = Posting.objects.filter(account=account)
    allocated = _sum(postings.filter(transaction__action=VOTE_CLOSED))
    in_fund = -cents(Balance.objects.get(pk=account.pk).amount)
    reserved = reserved_by_open_votes(cooperative, None)
    currency = cooperative.currency
    return StreamSummary(
        stream=None,
        committed=None,
        received=Money(in_fund + allocated, currency),
        allocated=Money(allocated, currency),
        in_fund=Money(in_fund, currency),
        reserved=Money(reserved, currency),
        left=Money(in_fund - reserved, currency),
    )


def streams(cooperative):
    return FundingStream.objects.filter(cooperative=cooperative).select_related("funder", "account")


def stream_summaries(cooperative) -> list[StreamSummary]:
    return [stream_summary(stream) for stream in streams(cooperative)] + [
        reserve_summary(cooperative)
    ]


def left_in(cooperative, stream: FundingStream | None) -> Money:
    return Money(money_left(cooperative, stream), cooperative.currency)


def proposals(cooperative, *, status: str | None = None):
    query = Proposal.objects.filter(cooperative=cooperative).select_related(
        "stream", "place", "proposed_by__user", "budget_account__balance"
    )
    if status is not None:
        query = query.filter(status=status)
    return query


def proposals_to_check(cooperative):
    return proposals(cooperative, status=ProposalStatus.SUBMITTED).order_by("number")


def proposals_of(membership):
    return proposals(membership.cooperative).filter(proposed_by=membership)


def votes(cooperative):
    return Vote.objects.filter(cooperative=cooperative).select_related("stream")


@dataclass
class MyPlace:
    """A member's place in one vote: may they vote, have they, whose proxies they hold."""

    voter: Voter | None
    proxies_held: list[Voter]

    @property
    def may_vote(self) -> bool:
        return self.voter is not None

    @property
    def has_voted(self) -> bool:
        return self.voter is not None and self.voter.voted

    @property
    def gave_proxy_to(self):
        return (
            self.voter.proxy_holder.membership if self.voter and self.voter.proxy_holder else None
        )


def my_place(vote: Vote, membership) -> MyPlace:
    if membership is None:
        return MyPlace(voter=None, proxies_held=[])
    voter = (
        Voter.objects.filter(vote=vote, membership=membership)
        .select_related("proxy_holder__membership__user")
        .first()
    )
    held = []
    if voter is not None:
        held = list(voter.proxies_held.select_related("membership__user"))
    return MyPlace(voter=voter, proxies_held=held)


def turnout(vote: Vote) -> dict:
    """How many of the electorate have voted so far (counts only, never who)."""
    counts = Voter.objects.filter(vote=vote).aggregate(
        voters_voted=Count("pk", filter=Q(voted=True)),
        weight_cast=Sum("weight", filter=Q(voted=True)),
    )
    return {
        "voters": vote.electorate_size,
        "votes": vote.electorate_weight,
        "voted": counts["voters_voted"] or 0,
        "votes_cast": counts["weight_cast"] or 0,
    }


def published_ballots(vote: Vote):
    """Every final ballot of a closed vote, anonymous, ordered by receipt; empty while open."""
    if not vote.is_closed:
        return BallotRecord.objects.none()
    return BallotRecord.objects.filter(vote=vote).order_by("tracker")


def roll_call(vote: Vote):
    """Who voted what in an open (roll-call) vote, once it is closed."""
    if vote.secrecy != Secrecy.OPEN or not vote.is_closed:
        return []
    return list(
        Voter.objects.filter(vote=vote, roll_call__isnull=False)
        .select_related("membership__user", "roll_call__ballot")
        .order_by("membership__member_number")
    )


def agreements(cooperative):
    return Agreement.objects.filter(proposal__cooperative=cooperative).select_related(
        "proposal", "responsible__user"
    )


def bookable_accounts(cooperative):
    """The ledger accounts a bank line that matched nothing may be booked to: income, costs and
    the funds of funding streams. Not a bank or other money account, not share capital or a
    reserve (their own services book those), not a project budget (money out of a budget goes
    through an approved expense), and not work paid in as shares (no money moves)."""
    return (
        Account.objects.filter(cooperative=cooperative)
        .filter(
            Q(type__in=(AccountType.INCOME, AccountType.EXPENSE))
            | Q(type=AccountType.LIABILITY, purpose=Purpose.FUNDING_STREAM)
        )
        .exclude(purpose=Purpose.WORK_IN_KIND)
        .order_by("code")
    )


# How far from a bank line's date a booking made by hand is offered for it, and how many.
LINK_WINDOW = datetime.timedelta(days=62)
LINK_CHOICES = 20


def bookings_for_line(line: BankLine) -> list[Transaction]:
    """The bookings made already that a bank line not booked yet may be (`link_bank_line`):
    on the ledger account of the line's bank account, of exactly its amount, within two months
    of its date, with no bank line pointing at them, not reversed and not a reversal; the
    nearest in date first. The service checks the whole booking again."""
    day = line.booking_date
    found = list(
        Posting.objects.filter(
            account_id=line.bank_account.ledger_account_id,
            amount=line.amount,
            booking_date__range=(day - LINK_WINDOW, day + LINK_WINDOW),
        ).values_list("transaction_id", flat=True)[:500]
    )
    taken = set(
        BankLine.objects.filter(booked_transaction__in=found).values_list(
            "booked_transaction", flat=True
        )
    )
    bookings = Transaction.objects.filter(
        pk__in=[pk for pk in found if pk not in taken],
        reverses__isnull=True,
        reversed_by__isnull=True,
    )
    nearest = sorted(
        bookings, key=lambda booking: (abs((booking.booking_date - day).days), booking.pk)
    )
    return nearest[:LINK_CHOICES]
