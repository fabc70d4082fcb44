"""Reading the books for a report: the balance sheet on a date, income and expenditure over a
period, and what each funding stream received, allocated, spent and has left.

Each report adds up the postings in the database with one grouped query, so it takes as many
queries for ten postings as for a million. Amounts are shown the way people read them: an asset
or expense in debit is positive, and so is a liability, equity or income account in credit.

A balance as of a date is the sum of every posting up to that date. Postings are never changed or
deleted, so that sum is what the book said on that date, closed periods included.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Sum
from django.utils.translation import gettext as _
from djmoney.money import Money

from budgets.models import FundingStream
from budgets.services import YEAR_CLOSED
from wijkbv.ledger.models import DEBIT_NORMAL, Account, AccountType, Posting, Purpose, cents

# Where a project's money comes from: a funding stream's fund, or the reinvestment reserve.
SOURCES = (Purpose.FUNDING_STREAM, Purpose.REINVESTMENT_RESERVE)


@dataclass
class Line:
    """One account in a report, with its amount as people read it."""

    code: str
    name: str
    amount: Money


@dataclass
class Section:
    """A part of a report (assets, funds, income...) with its accounts and their total."""

    key: str
    title: str
    lines: list[Line]
    total: Money


@dataclass
class BalanceSheet:
    """What the cooperative owns and owes at the end of `on`. The result of the years not yet
    closed into the reinvestment reserve belongs to its equity; with it, assets equal
    liabilities and equity, always, because every booking sums to zero."""

    on: datetime.date
    currency: str
    assets: Section
    liabilities: list[Section]
    equity: Section
    result_not_closed: Money
    total_liabilities: Money
    total_equity: Money
    total_liabilities_and_equity: Money

    @property
    def sections(self) -> list[Section]:
        return [self.assets, *self.liabilities, self.equity]

    @property
    def difference(self) -> Money:
        return self.assets.total - self.total_liabilities_and_equity

    @property
    def balances(self) -> bool:
        return not self.difference.amount


@dataclass
class IncomeAndExpenditure:
    """Income and costs booked from `start` up to and including `end`, and the result. The
    booking that closes a year into the reserve is left out: it moves the result, it is not one."""

    start: datetime.date
    end: datetime.date
    currency: str
    income: Section
    expenses: Section

    @property
    def result(self) -> Money:
        return self.income.total - self.expenses.total

    @property
    def sections(self) -> list[Section]:
        return [self.income, self.expenses]


@dataclass
class StreamLine:
    """One source of project money over a period: received into its fund, allocated from the
    fund to project budgets (less what came back), spent from those budgets, and at the end of
    the period what is left in the fund and in its project budgets not yet spent.
    `stream` is None for the reinvestment reserve."""

    stream: FundingStream | None
    name: str
    received: Money
    allocated: Money
    spent: Money
    left_in_fund: Money
    left_in_budgets: Money

    @property
    def left(self) -> Money:
        return self.left_in_fund + self.left_in_budgets


@dataclass
class StreamReport:
    start: datetime.date
    end: datetime.date
    currency: str
    lines: list[StreamLine] = field(default_factory=list)
    totals: StreamLine | None = None


def _money(amount, currency: str) -> Money:
    return Money(cents(amount), currency)


def _natural(account_type: str, amount: Decimal) -> Decimal:
    return amount if account_type in DEBIT_NORMAL else -amount


def _section(key, title, rows, currency) -> Section:
    lines = [
        Line(code, name, _money(_natural(kind, total), currency))
        for code, name, kind, total in rows
    ]
    total = sum((line.amount for line in lines), Money(0, currency))
    return Section(key, title, lines, _money(total.amount, currency))


def balance_sheet(cooperative, on: datetime.date) -> BalanceSheet:
    """Every account with a balance at the end of `on`, in its part of the balance sheet:
    one query."""
    currency = cooperative.currency
    accounts = (
        Account.objects.filter(cooperative=cooperative)
        .annotate(total=Sum("postings__amount", filter=Q(postings__booking_date__lte=on)))
        .order_by("code")
        .values_list("code", "name", "type", "purpose", "total")
    )
    parts = {key: [] for key in ("assets", "funds", "budgets", "liabilities", "equity")}
    result = Decimal(0)
    for code, name, kind, purpose, total in accounts:
        total = cents(total)
        if kind in (AccountType.INCOME, AccountType.EXPENSE):
            result -= total
            continue
        if not total:
            continue
        if kind == AccountType.ASSET:
            part = "assets"
        elif kind == AccountType.EQUITY:
            part = "equity"
        elif purpose == Purpose.FUNDING_STREAM:
            part = "funds"
        elif purpose == Purpose.PROJECT_BUDGET:
            part = "budgets"
        else:
            part = "liabilities"
        parts[part].append((code, name, kind, total))
    liabilities = [
        _section("funds", _("Funding-stream funds"), parts["funds"], currency),
        _section("budgets", _("Project budgets"), parts["budgets"], currency),
        _section("liabilities", _("Other liabilities"), parts["liabilities"], currency),
    ]
    equity = _section("equity", _("Equity"), parts["equity"], currency)
    result_not_closed = _money(result, currency)
    if result_not_closed:
        equity.lines.append(Line("", _("Result not yet added to the reserve"), result_not_closed))
        equity.total += result_not_closed
    total_liabilities = sum((s.total for s in liabilities), Money(0, currency))
    return BalanceSheet(
        on=on,
        currency=currency,
        assets=_section("assets", _("Assets"), parts["assets"], currency),
        liabilities=liabilities,
        equity=equity,
        result_not_closed=result_not_closed,
        total_liabilities=total_liabilities,
        total_equity=equity.total,
        total_liabilities_and_equity=total_liabilities + equity.total,
    )


def income_and_expenditure(
    cooperative, start: datetime.date, end: datetime.date
) -> IncomeAndExpenditure:
    """Every income and expense account with what was booked on it in the period: one query."""
    currency = cooperative.currency
    in_period = Q(postings__booking_date__gte=start, postings__booking_date__lte=end) & ~Q(
        postings__transaction__action=YEAR_CLOSED
    )
    accounts = (
        Account.objects.filter(
            cooperative=cooperative, type__in=(AccountType.INCOME, AccountType.EXPENSE)
        )
        .annotate(total=Sum("postings__amount", filter=in_period))
        .order_by("code")
        .values_list("code", "name", "type", "total")
    )
    parts = {AccountType.INCOME: [], AccountType.EXPENSE: []}
    for code, name, kind, total in accounts:
        if cents(total):
            parts[kind].append((code, name, kind, cents(total)))
    return IncomeAndExpenditure(
        start=start,
        end=end,
        currency=currency,
        income=_section("income", _("Income"), parts[AccountType.INCOME], currency),
        expenses=_section("expenses", _("Expenses"), parts[AccountType.EXPENSE], currency),
    )


def _stream_movements(cooperative, start, end):
    """Postings on the sources and project budgets up to `end`, added up per source or per
    project budget's source, by whether the same booking also touched the other kind: one
    query, a row per (account kind, stream, counterpart)."""
    other_legs = Posting.objects.filter(transaction=OuterRef("transaction")).exclude(
        pk=OuterRef("pk")
    )
    return (
        Posting.objects.filter(
            account__cooperative=cooperative,
            account__purpose__in=(*SOURCES, Purpose.PROJECT_BUDGET),
            booking_date__lte=end,
        )
        .annotate(
            of_project=ExpressionWrapper(
                Q(account__proposal__isnull=False), output_field=BooleanField()
            ),
            with_budget=Exists(other_legs.filter(account__purpose=Purpose.PROJECT_BUDGET)),
            with_source=Exists(other_legs.filter(account__purpose__in=SOURCES)),
        )
        .values(
            "account__purpose",
            "account__funding_stream",
            "account__proposal__stream",
            "of_project",
            "with_budget",
            "with_source",
        )
        .annotate(
            in_period=Sum("amount", filter=Q(booking_date__gte=start)),
            up_to_end=Sum("amount"),
        )
        .order_by()
    )


def funding_streams(
    cooperative, start: datetime.date, end: datetime.date, *, stream: FundingStream | None = None
) -> StreamReport:
    """Per funding stream, and last for the reinvestment reserve, what the period brought:

    - received: money into the fund that did not come from a project budget (less money that
      went out of it other than to a project budget, such as a refund to the funder);
    - allocated: money from the fund to project budgets, less money moved back;
    - spent: debits of the stream's project budgets other than moves back to a fund or the
      reserve, less their credits other than allocations (a reversed expense);
    - left, at the end of the period: in the fund, and in its project budgets.

    With `stream`, that stream only. Two queries: the streams, and one grouped query."""
    currency = cooperative.currency
    streams = (
        FundingStream.objects.filter(cooperative=cooperative)
        .select_related("funder")
        .order_by("name")
    )
    if stream is not None:
        streams = streams.filter(pk=stream.pk)
    report = StreamReport(start=start, end=end, currency=currency)
    zero = Decimal(0)
    # Per stream id (None: the reserve): received, allocated, spent, in fund, in budgets.
    numbers: dict[int | None, list[Decimal]] = {}
    for row in _stream_movements(cooperative, start, end):
        purpose = row["account__purpose"]
        # The chart's own heading accounts for funds and project budgets belong to no stream.
        if purpose == Purpose.PROJECT_BUDGET:
            if not row["of_project"]:
                continue
            key = row["account__proposal__stream"]
        elif purpose == Purpose.FUNDING_STREAM:
            key = row["account__funding_stream"]
            if key is None:
                continue
        else:
            key = None
        in_period, up_to_end = cents(row["in_period"]), cents(row["up_to_end"])
        got = numbers.setdefault(key, [zero] * 5)
        if purpose == Purpose.PROJECT_BUDGET:
            got[4] -= up_to_end
            if not row["with_source"]:
                got[2] += in_period
        else:
            got[3] -= up_to_end
            if row["with_budget"]:
                got[1] += in_period
            else:
                got[0] -= in_period
    for item in streams:
        report.lines.append(_stream_line(item, item.name, numbers.get(item.pk), currency))
    if stream is None:
        name = _("Reinvestment reserve")
        report.lines.append(_stream_line(None, name, numbers.get(None), currency))
    columns = zip(*(_numbers_of(line) for line in report.lines), strict=True)
    report.totals = _stream_line(None, _("Total"), [sum(c, zero) for c in columns], currency)
    return report


def _numbers_of(line: StreamLine) -> list[Decimal]:
    return [
        line.received.amount,
        line.allocated.amount,
        line.spent.amount,
        line.left_in_fund.amount,
        line.left_in_budgets.amount,
    ]


def _stream_line(stream, name, numbers, currency) -> StreamLine:
    received, allocated, spent, in_fund, in_budgets = numbers or [Decimal(0)] * 5
    return StreamLine(
        stream=stream,
        name=name,
        received=_money(received, currency),
        allocated=_money(allocated, currency),
        spent=_money(spent, currency),
        left_in_fund=_money(in_fund, currency),
        left_in_budgets=_money(in_budgets, currency),
    )
