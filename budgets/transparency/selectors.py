"""What the open pages show: money in by funder and stream, what was decided, what each
project spent and has left, the time given, and the flow from funder to spending.

Every figure of money comes from the ledger, in a few grouped queries whatever the number of
postings: a fund's postings tell what it received and allocated, a project budget's what it
was given and spent. Expenses and advances only split what a budget spent into kinds, so the
pictures and tables always add up to the books. People are only counted, never named: a
group of fewer than MIN_GROUP_SIZE people is not shown (the time given is summed by
`reciprocity.selectors`, which suppresses the same way).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets.models import (
    Advance,
    AdvanceStatus,
    Expense,
    ExpenseKind,
    ExpenseStatus,
    FundingStream,
    Proposal,
    ProposalStatus,
    Vote,
    YesNo,
)
from budgets.services import VOTE_CLOSED
from budgets.sources import reinvestment_reserve
from members.models import PartnerOrganisation
from reciprocity.models import MIN_GROUP_SIZE
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.selectors import events_about, head
from wijkbv.ledger.models import Balance, Posting, Transaction, cents

ZERO = Decimal("0.00")
PAID = (ExpenseStatus.PAID, ExpenseStatus.RECONCILED)
SPENT_ADVANCES = (AdvanceStatus.OWED, AdvanceStatus.SETTLED)
# The kinds of spending in the pictures, in this order.
SUPPLIERS, RESIDENTS, ADVANCES, OTHER, NOT_SPENT = (
    "suppliers",
    "residents",
    "advances",
    "other",
    "not_spent",
)
MONTHS = 12


def category_names() -> dict[str, str]:
    return {
        SUPPLIERS: _("Paid to suppliers"),
        RESIDENTS: _("Paid back to residents"),
        ADVANCES: _("Spent from advances"),
        OTHER: _("Other costs"),
        NOT_SPENT: _("Not spent yet"),
    }


@dataclass
class Project:
    proposal: Proposal
    allocated: Decimal = ZERO
    spent: Decimal = ZERO
    by_kind: dict[str, Decimal] = field(default_factory=dict)

    @property
    def left(self) -> Decimal:
        return self.allocated - self.spent

    @property
    def progress(self) -> int:
        """Per cent of the budget spent, 0 to 100."""
        if self.allocated <= 0:
            return 0
        return max(0, min(100, int(self.spent * 100 / self.allocated)))


@dataclass
class Source:
    """A funding stream, or (stream None) the reinvestment reserve."""

    stream: FundingStream | None
    name: str
    committed: Decimal | None = None
    received: Decimal = ZERO
    allocated: Decimal = ZERO
    projects: list[Project] = field(default_factory=list)

    @property
    def in_fund(self) -> Decimal:
        return self.received - self.allocated

    @property
    def spent(self) -> Decimal:
        return sum((p.spent for p in self.projects), ZERO)

    @property
    def left_in_budgets(self) -> Decimal:
        return sum((p.left for p in self.projects), ZERO)

    @property
    def left(self) -> Decimal:
        return self.in_fund + self.left_in_budgets


@dataclass
class Funder:
    partner: PartnerOrganisation
    sources: list[Source] = field(default_factory=list)

    @property
    def received(self) -> Decimal:
        return sum((s.received for s in self.sources), ZERO)

    @property
    def committed(self) -> Decimal:
        return sum((s.committed or ZERO for s in self.sources), ZERO)


@dataclass
class Decision:
    vote: Vote
    turnout_shown: bool
    voted: int | None
    voters: int | None
    adopted: list[Proposal]
    allocated: Decimal
    event_seq: int | None = None
    # (what, votes, adopted): yes/no/abstain, or each proposal's approvals; empty when the
    # turnout is not shown.
    counts: list[tuple[str, int, bool]] = field(default_factory=list)

    @property
    def turnout_percent(self) -> int | None:
        if not self.turnout_shown or not self.voters:
            return None
        return round(self.voted * 100 / self.voters)


@dataclass
class Money:
    """The whole picture of one cooperative's money, or of one funder's or stream's part."""

    currency: str
    sources: list[Source]
    funders: list[Funder]

    @property
    def projects(self) -> list[Project]:
        return [p for s in self.sources for p in s.projects]

    def total(self, name: str) -> Decimal:
        return sum((getattr(s, name) for s in self.sources), ZERO)

    @property
    def received(self) -> Decimal:
        return self.total("received")

    @property
    def allocated(self) -> Decimal:
        return self.total("allocated")

    @property
    def spent(self) -> Decimal:
        return self.total("spent")

    @property
    def left(self) -> Decimal:
        return self.total("left")


def _balances(accounts: list[int]) -> dict[int, Decimal]:
    """The balance of each account (debit positive), read from its balance row: one query,
    whatever the number of postings."""
    return {
        pk: cents(amount)
        for pk, amount in Balance.objects.filter(account_id__in=accounts).values_list(
            "account_id", "amount"
        )
    }


def _spent_by_kind(cooperative, budgets: list[int]) -> dict[int, dict[str, Decimal]]:
    """What each project budget paid, by kind: expenses of suppliers and of residents, and what
    residents spent from advances. Two grouped queries."""
    kinds: dict[int, dict[str, Decimal]] = {}
    expenses = (
        Expense.objects.filter(cooperative=cooperative, budget_id__in=budgets, status__in=PAID)
        .values("budget_id", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in expenses:
        kind = SUPPLIERS if row["kind"] == ExpenseKind.INVOICE else RESIDENTS
        kinds.setdefault(row["budget_id"], {})[kind] = cents(row["total"])
    advances = (
        Advance.objects.filter(
            cooperative=cooperative, budget_id__in=budgets, status__in=SPENT_ADVANCES
        )
        .values("budget_id")
        .annotate(total=Sum("spent"))
        .order_by()
    )
    for row in advances:
        kinds.setdefault(row["budget_id"], {})[ADVANCES] = cents(row["total"])
    return kinds


def _split(spent: Decimal, kinds: dict[str, Decimal]) -> dict[str, Decimal]:
    """The spending of a budget by kind; what the ledger shows beyond the known kinds is
    'other costs', so the parts always add up to what was spent."""
    parts = {kind: kinds[kind] for kind in (SUPPLIERS, RESIDENTS, ADVANCES) if kinds.get(kind)}
    rest = spent - sum(parts.values(), ZERO)
    if rest > 0:
        parts[OTHER] = rest
    return parts


def money(cooperative, *, funder: PartnerOrganisation | None = None, stream=None) -> Money:
    """The cooperative's sources of money (each funding stream, then the reserve) with their
    adopted projects; with `funder` or `stream`, only that funder's or that stream's.

    Only votes move money from a source to a project budget, and each adopted proposal's whole
    amount: so a budget's allocation is its proposal's amount, and with the balance rows of
    the funds and budgets that tells what each received, allocated, spent and has left. No
    posting is read: six queries, whatever the number of postings, streams or projects."""
    streams = FundingStream.objects.filter(cooperative=cooperative).select_related("funder")
    only = None
    if stream is not None:
        streams = streams.filter(pk=stream.pk)
    elif funder is not None:
        streams = streams.filter(funder=funder)
    streams = list(streams.order_by("funder__name", "starts_on", "name"))
    if stream is not None or funder is not None:
        only = [s.pk for s in streams]
    proposals = Proposal.objects.filter(
        cooperative=cooperative, status=ProposalStatus.ADOPTED, budget_account__isnull=False
    ).select_related("place")
    if only is not None:
        proposals = proposals.filter(stream_id__in=only)
    proposals = list(proposals.order_by("number"))
    reserve_account = reinvestment_reserve(cooperative) if only is None else None
    accounts = [s.account_id for s in streams] + [p.budget_account_id for p in proposals]
    if reserve_account is not None:
        accounts.append(reserve_account.pk)
    balances = _balances(accounts)
    kinds = _spent_by_kind(cooperative, [p.budget_account_id for p in proposals])

    sources = {s.pk: Source(stream=s, name=s.name, committed=s.committed) for s in streams}
    reserve = None
    if reserve_account is not None:
        reserve = Source(stream=None, name=_("Reinvestment reserve"))
    for proposal in proposals:
        # A vote's decision moved the proposal's amount from its source to its budget; what
        # the budget holds less is what it spent.
        allocated = cents(proposal.amount)
        left = -balances.get(proposal.budget_account_id, ZERO)
        project = Project(proposal=proposal, allocated=allocated, spent=allocated - left)
        project.by_kind = _split(project.spent, kinds.get(proposal.budget_account_id, {}))
        source = sources.get(proposal.stream_id) if proposal.stream_id else reserve
        if source is not None:
            source.projects.append(project)
            source.allocated += allocated
    # What a fund holds, plus what it gave to projects, is what it received.
    for item in streams:
        source = sources[item.pk]
        source.received = -balances.get(item.account_id, ZERO) + source.allocated
    if reserve is not None:
        reserve.received = -balances.get(reserve_account.pk, ZERO) + reserve.allocated
    ordered = list(sources.values()) + ([reserve] if reserve is not None else [])
    funders: dict[int, Funder] = {}
    for source in sources.values():
        partner = source.stream.funder
        funders.setdefault(partner.pk, Funder(partner=partner)).sources.append(source)
    return Money(currency=cooperative.currency, sources=ordered, funders=list(funders.values()))


def closed_votes(cooperative, *, streams=None, proposal=None):
    """Closed votes, newest first; with `streams`, those paid from them or deciding on their
    projects; with `proposal`, those that decided on it."""
    votes = Vote.objects.filter(cooperative=cooperative, closed_at__isnull=False)
    if streams is not None:
        votes = votes.filter(Q(stream__in=streams) | Q(proposals__stream__in=streams)).distinct()
    if proposal is not None:
        votes = votes.filter(proposals=proposal)
    return votes.prefetch_related("proposals").order_by("-closed_at", "-pk")


def decisions(
    cooperative, *, streams=None, proposal=None, limit: int | None = 10
) -> list[Decision]:
    """The newest closed votes (see `closed_votes`) as decisions (see `decisions_of`)."""
    votes = closed_votes(cooperative, streams=streams, proposal=proposal)
    if limit is not None:
        votes = votes[:limit]
    return decisions_of(cooperative, votes, streams=streams)


def decisions_of(cooperative, votes, *, streams=None) -> list[Decision]:
    """Closed votes with their turnout (not shown when fewer than MIN_GROUP_SIZE people
    voted), what they adopted (from `streams` only, if given), and the chain event that
    recorded them. Four queries: the votes, their proposals, and two for the events."""
    found = []
    for vote in votes:
        turnout = (vote.tally or {}).get("turnout") or {}
        voted = int(turnout.get("voted") or 0)
        shown = voted >= MIN_GROUP_SIZE
        adopted = [p for p in vote.proposals.all() if p.status == ProposalStatus.ADOPTED]
        if streams is not None:
            adopted = [p for p in adopted if p.stream_id in streams]
        found.append(
            Decision(
                vote=vote,
                turnout_shown=shown,
                voted=voted if shown else None,
                voters=int(turnout.get("voters") or 0) if shown else None,
                adopted=adopted,
                allocated=sum((cents(p.amount) for p in adopted), ZERO),
                counts=_counts(vote) if shown else [],
            )
        )
    seqs = decision_events(cooperative, [d.vote for d in found])
    for decision in found:
        decision.event_seq = seqs.get(decision.vote.pk)
    return found


def _counts(vote: Vote) -> list[tuple[str, int, bool]]:
    """The vote's tally as the open pages show it: votes per answer, or per proposal."""
    tally = vote.tally or {}
    if "totals" in tally:
        return [
            (str(YesNo(choice).label), int(tally["totals"].get(choice, 0)), False)
            for choice in YesNo.values
        ]
    approvals = tally.get("approvals") or {}
    winners = set(tally.get("winners") or [])
    return sorted(
        (
            (p.title, int(approvals.get(p.tally_id, 0)), p.tally_id in winners)
            for p in vote.proposals.all()
        ),
        key=lambda row: (-row[1], row[0]),
    )


def decision_events(cooperative, votes) -> dict[int, int]:
    """The chain's seq of each vote's closing: the event is about the vote itself, or, when
    money moved, about the booking the vote caused. Two queries."""
    if not votes:
        return {}
    references = {f"budgets.vote:{vote.pk}": vote.pk for vote in votes}
    bookings = Transaction.objects.filter(
        cooperative=cooperative, action=VOTE_CLOSED, cause__in=list(references)
    ).values_list("pk", "cause")
    subjects = dict(references)
    for pk, cause in bookings:
        subjects[f"ledger.transaction:{pk}"] = references[cause]
    events = AuditEvent.objects.filter(
        cooperative=cooperative, action=VOTE_CLOSED, subject__in=list(subjects)
    ).values_list("subject", "seq")
    return {subjects[subject]: seq for subject, seq in events}


def events_of(cooperative, subjects: list[str]) -> dict[str, list[tuple[int, str]]]:
    """The chain events about each subject ("app.model:pk"), as (seq, action), oldest first.
    One query."""
    return {
        subject: [(ref.seq, ref.action) for ref in refs]
        for subject, refs in events_about(cooperative, subjects).items()
    }


def expense_events(cooperative, expenses) -> dict[int, list[tuple[int, str]]]:
    """Per expense (by pk): the chain events about it and about the payment batch that paid
    it, as (seq, action), oldest first. One query."""
    subjects = [f"budgets.expense:{e.pk}" for e in expenses]
    subjects += sorted(
        {f"ledger.transaction:{e.batch.transaction_id}" for e in expenses if e.batch}
    )
    events = events_of(cooperative, subjects)
    found = {}
    for expense in expenses:
        mine = events.get(f"budgets.expense:{expense.pk}", [])
        if expense.batch:
            mine = mine + events.get(f"ledger.transaction:{expense.batch.transaction_id}", [])
        found[expense.pk] = sorted(mine)
    return found


def spending_by_month(cooperative, *, streams=None, months: int = MONTHS, today=None):
    """What project budgets spent in each of the last `months` months, oldest first, as
    (first day of the month, amount): expenses by the day their payment batch was booked,
    and what residents spent from advances by the day they settled them. These are the only
    spending a project budget books, so the months add up to what the ledger shows, without
    reading its postings. Two queries."""
    today = today or timezone.localdate()
    first = _months_back(today.replace(day=1), months - 1)
    expenses = Expense.objects.filter(
        cooperative=cooperative,
        status__in=PAID,
        batch__execution_date__gte=first,
        batch__execution_date__lte=today,
    )
    advances = Advance.objects.filter(
        cooperative=cooperative,
        status__in=SPENT_ADVANCES,
        settled_at__date__gte=first,
        settled_at__date__lte=today,
    )
    if streams is not None:
        expenses = expenses.filter(budget__proposal__stream__in=streams)
        advances = advances.filter(budget__proposal__stream__in=streams)
    totals: dict[datetime.date, Decimal] = {}
    for query, day, amount in (
        (expenses, "batch__execution_date", "amount"),
        (advances, "settled_at", "spent"),
    ):
        rows = (
            query.annotate(month=TruncMonth(day))
            .values("month")
            .annotate(total=Sum(amount))
            .order_by()
        )
        for row in rows:
            month = _as_date(row["month"])
            totals[month] = totals.get(month, ZERO) + cents(row["total"])
    starts = [_months_back(today.replace(day=1), back) for back in range(months - 1, -1, -1)]
    return [(start, totals.get(start, ZERO)) for start in starts]


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _months_back(start: datetime.date, back: int) -> datetime.date:
    month = start.month - 1 - back
    return datetime.date(start.year + month // 12, month % 12 + 1, 1)


def received_payments(stream: FundingStream, *, limit: int = 50) -> list[tuple]:
    """The latest money into a stream's fund other than by a decision, newest first, as
    (booking date, amount). One query."""
    rows = (
        Posting.objects.filter(account_id=stream.account_id)
        .exclude(transaction__action=VOTE_CLOSED)
        .order_by("-booking_date", "-pk")
        .values_list("booking_date", "amount")[:limit]
    )
    return [(day, -cents(amount)) for day, amount in rows]


def chain_head(cooperative) -> tuple[int, str] | None:
    """The seq and hash of the newest event of the cooperative's chain, None before the first.
    One query."""
    seq, digest = head(cooperative)
    return (seq, digest) if seq else None


def partner_reciprocity(cooperative, money_picture: Money, time_rows: list[dict]) -> list[dict]:
    """Per partner organisation: the money it gave the neighbourhood and the hours the
    neighbourhood gave it (as `reciprocity.selectors.public_partner_hours` shows them, so a
    small group stays hidden)."""
    hours = {row["partner"]: row for row in time_rows}
    rows = []
    seen = set()
    for funder in money_picture.funders:
        seen.add(funder.partner.name)
        rows.append(
            {
                "partner": funder.partner,
                "name": funder.partner.name,
                "money": funder.received,
                "time": hours.get(funder.partner.name),
            }
        )
    for name, row in hours.items():
        if name not in seen:
            rows.append({"partner": None, "name": name, "money": ZERO, "time": row})
    return sorted(rows, key=lambda row: row["name"].lower())


def expenses_of(proposal: Proposal):
    """The approved and paid expenses of a project, newest first, with their receipts: the
    rows the project page pages through."""
    return (
        Expense.objects.filter(
            budget_id=proposal.budget_account_id,
            status__in=(ExpenseStatus.APPROVED, *PAID),
        )
        .select_related("batch")
        .prefetch_related("receipts")
        .order_by("-spent_on", "-number")
    )


def advances_of(proposal: Proposal):
    """The settled advances of a project (what was spent from them), newest first."""
    return (
        Advance.objects.filter(budget_id=proposal.budget_account_id, status__in=SPENT_ADVANCES)
        .prefetch_related("receipts")
        .order_by("-settled_at", "-number")
    )


def partners_with_streams(cooperative):
    return PartnerOrganisation.objects.filter(
        cooperative=cooperative, funding_streams__isnull=False
    ).distinct()
