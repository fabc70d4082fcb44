"""The funder's report: what one funding stream received, allocated and spent over a period,
which projects spent it on what, what residents decided, the time the neighbourhood gave the
funder's organisation, and the head of the audit chain when the report was made, so the funder
can later check that nothing written before it was rewritten.

The stream's figures come from `budgets.reports.books.funding_streams`, the treasurer's own
report, so the two always agree. The project figures come from the same postings, grouped per
project budget: together they add up to the stream's "spent" and "left in project budgets".
Residents are never named (they are "a resident"); suppliers are. The number of queries does
not grow with the number of expenses.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from budgets.models import Advance, Expense, ExpenseKind, FundingStream, Proposal
from budgets.reports.books import SOURCES, StreamLine, funding_streams
from budgets.transparency import selectors
from reciprocity import selectors as time_selectors
from wijkbv.errors import DomainError
from wijkbv.ledger.models import Posting, Purpose, Transaction, cents

ZERO = Decimal("0.00")
MAX_YEARS = 10
FIRST_DAY = datetime.date(2000, 1, 1)


@dataclass(frozen=True)
class Period:
    """From `start` up to and including `end`."""

    start: datetime.date
    end: datetime.date

    def query(self) -> str:
        return f"start={self.start.isoformat()}&end={self.end.isoformat()}"


@dataclass
class ProjectLine:
    """A project paid from the stream: its budget (allocated up to the end of the period, less
    money moved back), what it spent in the period and up to its end, and what it had left."""

    proposal: Proposal
    budget: Decimal = ZERO
    spent_in_period: Decimal = ZERO
    spent_to_date: Decimal = ZERO

    @property
    def left(self) -> Decimal:
        return self.budget - self.spent_to_date


@dataclass
class Payment:
    """An expense paid, or an advance settled, in the period: what the project budget paid."""

    kind: str  # "expense" or "advance"
    number: int
    day: datetime.date
    project: Proposal
    what: str
    payee: str  # the supplier's name, or "a resident"
    amount: Decimal
    receipts: list[str] = field(default_factory=list)  # SHA-256 of each receipt file
    seqs: list[int] = field(default_factory=list)  # the chain's events about it


@dataclass
class TimeGiven:
    """The hours the neighbourhood gave the funder's organisation in one calendar year, as the
    open pages show them: `row` is None when nothing was given, and its numbers are None when
    fewer than MIN_GROUP_SIZE people gave them."""

    year: int
    row: dict | None


@dataclass
class FunderReport:
    cooperative: object
    stream: FundingStream
    period: Period
    line: StreamLine
    projects: list[ProjectLine]
    expenses: list[Payment]
    advances: list[Payment]
    decisions: list
    time: list[TimeGiven]
    head: tuple[int, str] | None
    made_at: datetime.datetime

    @property
    def currency(self) -> str:
        return self.cooperative.currency


# The period


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def default_period(stream: FundingStream, today: datetime.date) -> Period:
    """The stream's own period, up to today when it is still running."""
    end = min(stream.ends_on, today)
    return Period(min(stream.starts_on, end), end)


def presets(stream: FundingStream, today: datetime.date) -> list[tuple[str, Period]]:
    """The periods offered as links: the stream's own, this year so far, last year, and the
    last whole quarter."""
    quarter_start = datetime.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    last_quarter_end = quarter_start - datetime.timedelta(days=1)
    last_quarter_start = datetime.date(
        last_quarter_end.year, (last_quarter_end.month - 1) // 3 * 3 + 1, 1
    )
    year = today.year
    return [
        (_("The stream's own period"), Period(stream.starts_on, stream.ends_on)),
        (_("This year"), Period(datetime.date(year, 1, 1), today)),
        (_("Last year"), Period(datetime.date(year - 1, 1, 1), datetime.date(year - 1, 12, 31))),
        (_("Last quarter"), Period(last_quarter_start, last_quarter_end)),
    ]


def _date(value: str, name: str) -> datetime.date:
    try:
        day = parse_date(value.strip())
    except ValueError:
        day = None
    if day is None:
        raise DomainError(
            _("“%(value)s” is not a date. Write it as year-month-day, for example 2026-01-31.")
            % {"value": value[:40]},
            field=name,
            code="not_a_date",
        )
    return day


def period_from(query, stream: FundingStream, today: datetime.date) -> Period:
    """The period asked for with `start` and `end` (ISO dates) in `query`; what is left out
    comes from the default period. Refused with a message: a text that is not a date, an end
    before the start, a date before 2000, a period of more than ten years."""
    default = default_period(stream, today)
    start_text, end_text = query.get("start", ""), query.get("end", "")
    start = _date(start_text, "start") if start_text.strip() else default.start
    end = _date(end_text, "end") if end_text.strip() else default.end
    if start < FIRST_DAY or end < FIRST_DAY:
        raise DomainError(
            _("Choose dates from 1 January 2000 on."), field="start", code="too_early"
        )
    if end < start:
        raise DomainError(
            _("The end date is before the start date."), field="end", code="end_before_start"
        )
    if end >= _years_later(start, MAX_YEARS):
        raise DomainError(
            _("A report covers at most %(years)s years. Choose a shorter period.")
            % {"years": MAX_YEARS},
            field="end",
            code="too_long",
        )
    return Period(start, end)


# The figures


def _projects(stream: FundingStream, period: Period) -> list[ProjectLine]:
    """The stream's projects with postings up to the end of the period. Two queries: one
    grouped over the postings, one for the proposals."""
    other_legs = Posting.objects.filter(transaction=OuterRef("transaction")).exclude(
        pk=OuterRef("pk")
    )
    rows = (
        Posting.objects.filter(
            account__purpose=Purpose.PROJECT_BUDGET,
            account__proposal__stream=stream,
            booking_date__lte=period.end,
        )
        .annotate(with_source=Exists(other_legs.filter(account__purpose__in=SOURCES)))
        .values("account_id", "with_source")
        .annotate(
            in_period=Sum("amount", filter=Q(booking_date__gte=period.start)),
            up_to_end=Sum("amount"),
        )
        .order_by()
    )
    lines: dict[int, ProjectLine] = {}
    for row in rows:
        line = lines.setdefault(row["account_id"], ProjectLine(proposal=None))
        if row["with_source"]:
            line.budget -= cents(row["up_to_end"])
        else:
            line.spent_in_period += cents(row["in_period"])
            line.spent_to_date += cents(row["up_to_end"])
    proposals = Proposal.objects.filter(budget_account_id__in=list(lines)).order_by("number")
    found = []
    for proposal in proposals:
        line = lines[proposal.budget_account_id]
        line.proposal = proposal
        found.append(line)
    return found


def _of_stream(stream: FundingStream) -> dict:
    return {"budget__purpose": Purpose.PROJECT_BUDGET, "budget__proposal__stream": stream}


def _expenses(stream: FundingStream, period: Period):
    """The expenses paid from the stream's projects in the period, by the date of their
    payment, with the expenses themselves by number. Two queries (the expenses, their
    receipts)."""
    found = list(
        Expense.objects.filter(
            **_of_stream(stream),
            status__in=selectors.PAID,
            batch__execution_date__gte=period.start,
            batch__execution_date__lte=period.end,
        )
        .select_related("batch", "budget__proposal")
        .prefetch_related("receipts")
        .order_by("batch__execution_date", "number")
    )
    return [
        Payment(
            kind="expense",
            number=expense.number,
            day=expense.batch.execution_date,
            project=expense.budget.proposal,
            what=expense.description,
            payee=(
                expense.supplier_name if expense.kind == ExpenseKind.INVOICE else _("a resident")
            ),
            amount=cents(expense.amount),
            receipts=[receipt.sha256 for receipt in expense.receipts.all()],
        )
        for expense in found
    ], {expense.number: expense for expense in found}


def _advances(stream: FundingStream, period: Period):
    """The advances settled in the period: what the project budget paid of them (what was
    spent, up to the advance; more is claimed as an expense of its own), with the advances
    themselves by number. Two queries."""
    found = list(
        Advance.objects.filter(
            **_of_stream(stream),
            status__in=selectors.SPENT_ADVANCES,
            settled_at__date__gte=period.start,
            settled_at__date__lte=period.end,
        )
        .select_related("budget__proposal")
        .prefetch_related("receipts")
        .order_by("settled_at", "number")
    )
    payments = [
        Payment(
            kind="advance",
            number=advance.number,
            day=timezone.localdate(advance.settled_at),
            project=advance.budget.proposal,
            what=advance.purpose,
            payee=_("a resident"),
            amount=min(cents(advance.spent), cents(advance.amount)),
            receipts=[receipt.sha256 for receipt in advance.receipts.all()],
        )
        for advance in found
    ]
    return payments, {advance.number: advance for advance in found}


def _chain_seqs(cooperative, expenses, advances) -> None:
    """Set each payment's chain events: those about the expense or advance itself, its payment
    batch's booking and an advance's settlement booking. Two queries."""
    subjects: dict[str, list[Payment]] = {}
    expense_rows, expense_of = expenses
    advance_rows, advance_of = advances
    for payment in expense_rows:
        expense = expense_of[payment.number]
        subjects.setdefault(f"budgets.expense:{expense.pk}", []).append(payment)
        subjects.setdefault(f"ledger.transaction:{expense.batch.transaction_id}", []).append(
            payment
        )
    causes = {}
    for payment in advance_rows:
        advance = advance_of[payment.number]
        reference = f"budgets.advance:{advance.pk}"
        subjects.setdefault(reference, []).append(payment)
        causes[reference] = payment
    if causes:
        bookings = Transaction.objects.filter(
            cooperative=cooperative, cause__in=list(causes)
        ).values_list("pk", "cause")
        for pk, cause in bookings:
            subjects.setdefault(f"ledger.transaction:{pk}", []).append(causes[cause])
    events = selectors.events_of(cooperative, list(subjects))
    for subject, payments in subjects.items():
        for payment in payments:
            payment.seqs.extend(seq for seq, _action in events.get(subject, []))
    for payment in expense_rows + advance_rows:
        payment.seqs = sorted(set(payment.seqs))


def _decisions(cooperative, stream: FundingStream, period: Period) -> list:
    """The closed votes of the period that allocated money from the stream."""
    return [
        decision
        for decision in selectors.decisions(cooperative, streams=[stream.pk], limit=None)
        if decision.adopted
        and period.start <= timezone.localdate(decision.vote.closed_at) <= period.end
    ]


def _time(cooperative, stream: FundingStream, period: Period) -> list[TimeGiven]:
    """The hours given to the funder's organisation in each calendar year of the period, as
    `reciprocity.selectors.public_partner_hours` shows them (small groups stay hidden)."""
    name = stream.funder.name
    given = []
    for year in range(period.start.year, period.end.year + 1):
        rows = time_selectors.public_partner_hours(cooperative, year=year)
        given.append(TimeGiven(year, next((r for r in rows if r["partner"] == name), None)))
    return given


def funder_report(cooperative, stream: FundingStream, period: Period) -> FunderReport:
    """Everything the funder's report shows for `stream` over `period`."""
    books = funding_streams(cooperative, period.start, period.end, stream=stream)
    expenses = _expenses(stream, period)
    advances = _advances(stream, period)
    _chain_seqs(cooperative, expenses, advances)
    return FunderReport(
        cooperative=cooperative,
        stream=stream,
        period=period,
        line=books.lines[0],
        projects=_projects(stream, period),
        expenses=expenses[0],
        advances=advances[0],
        decisions=_decisions(cooperative, stream, period),
        time=_time(cooperative, stream, period),
        head=selectors.chain_head(cooperative),
        made_at=timezone.now(),
    )
