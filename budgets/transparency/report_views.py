"""The funder's report of one funding stream over a period, for everyone without logging in: a
page made to print, the same page as a PDF, and its figures as a workbook (XLSX).

The PDF is rendered by WeasyPrint from the page's own template (ADR 0061), so what the funder
files is what the page shows. It fetches nothing over the network: the site's stylesheet is
read from the static files, anything else is left out.
"""

import io
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from budgets.models import FundingStream
from budgets.reports.sheets import XLSX, money_format, sheet_name
from budgets.transparency import report as funder_report
from budgets.transparency.selectors import MIN_GROUP_SIZE
from members.models import Cooperative
from wijkbv.errors import DomainError

PDF = "application/pdf"


class PeriodForm(forms.Form):
    """The period of the report as two ISO dates; `funder_report.period_from` decides."""

    start = forms.CharField(
        label=gettext_lazy("From"),
        required=False,
        max_length=40,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.CharField(
        label=gettext_lazy("Up to and including"),
        required=False,
        max_length=40,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def _stream(slug, pk):
    cooperative = get_object_or_404(Cooperative, slug=slug)
    stream = get_object_or_404(
        FundingStream.objects.select_related("funder"), pk=pk, cooperative=cooperative
    )
    return cooperative, stream


def _report_of(request, slug, pk):
    """(cooperative, stream, form, report); report is None and the form holds the message
    when the period asked for is refused."""
    cooperative, stream = _stream(slug, pk)
    today = timezone.localdate()
    form = PeriodForm(request.GET)
    form.is_valid()
    try:
        period = funder_report.period_from(request.GET, stream, today)
    except DomainError as refused:
        form.add_error(refused.field or None, str(refused.message))
        return cooperative, stream, form, None
    if not request.GET:
        form = PeriodForm(
            initial={"start": period.start.isoformat(), "end": period.end.isoformat()}
        )
    found = funder_report.funder_report(cooperative, stream, period)
    return cooperative, stream, form, found


def _refused(form) -> HttpResponse:
    messages = [str(error) for errors in form.errors.values() for error in errors]
    return HttpResponse(
        "\n".join(messages) + "\n", content_type="text/plain; charset=utf-8", status=400
    )


def _context(cooperative, stream, form, found) -> dict:
    today = timezone.localdate()
    return {
        "cooperative": cooperative,
        "stream": stream,
        "form": form,
        "report": found,
        "currency": cooperative.currency,
        "presets": [
            (label, period.query()) for label, period in funder_report.presets(stream, today)
        ],
        "query": found.period.query() if found else "",
        "min_group_size": MIN_GROUP_SIZE,
    }


def file_name(found, extension: str) -> str:
    """The cooperative, the stream and the period, e.g.
    funder-report-teststad-wijkbudget-7-2026-01-01-2026-06-30.pdf."""
    stream = found.stream
    return (
        f"funder-report-{found.cooperative.slug}-{slugify(stream.name) or 'stream'}-{stream.pk}"
        f"-{found.period.start.isoformat()}-{found.period.end.isoformat()}.{extension}"
    )


def report(request, slug, pk):
    """The report as a page, with the period to choose and the downloads."""
    cooperative, stream, form, found = _report_of(request, slug, pk)
    context = _context(cooperative, stream, form, found)
    return render(request, "budgets/open/report.html", context, status=200 if found else 400)


class StaticFilesOnly:
    """WeasyPrint's fetcher for the PDF: the site's own static files, read from disk; any other
    address is refused, so rendering a report never reaches the network."""

    def __init__(self, static_url: str):
        self.static_url = static_url

    def fetch(self, url, headers=None):
        from weasyprint.urls import URLFetcherResponse

        if not url.startswith(self.static_url):
            raise ValueError(f"not a static file: {url}")
        found = finders.find(url.removeprefix(self.static_url).split("?")[0])
        if not found:
            raise ValueError(f"no such static file: {url}")
        with open(found, "rb") as opened:
            body = opened.read()
        kind = "text/css" if found.endswith(".css") else "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": kind})

    def __call__(self, url):
        return self.fetch(url)


def report_pdf(request, slug, pk):
    """The same page as a PDF, with the chain's head on it and page numbers below."""
    # Imported here: it loads Pango, which the rest of the site does not need to start.
    import weasyprint

    cooperative, stream, form, found = _report_of(request, slug, pk)
    if found is None:
        return _refused(form)
    context = _context(cooperative, stream, form, found)
    html = render_to_string("budgets/open/report.html", context, request=request)
    base = request.build_absolute_uri("/")
    static_url = request.build_absolute_uri(_static_prefix())
    document = weasyprint.HTML(string=html, base_url=base, url_fetcher=StaticFilesOnly(static_url))
    response = HttpResponse(document.write_pdf(), content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="{file_name(found, "pdf")}"'
    return response


def _static_prefix() -> str:
    prefix = settings.STATIC_URL
    return prefix if prefix.startswith("/") else f"/{prefix}"


# The workbook


def _day(value) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def _write(page, rows: list[list], money: str, *, bold_rows=()) -> None:
    """Rows from the first row on; Decimals (amounts) as numbers in the money format, other
    numbers as they are, the rest as text (also text that starts like a formula)."""
    widths: dict[int, int] = {}
    for row_index, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            cell = page.cell(row=row_index, column=column)
            if isinstance(value, Decimal):
                cell.value = value
                cell.number_format = money
                width = 14
            elif isinstance(value, int | float):
                cell.value = value
                width = len(str(value))
            elif value not in (None, ""):
                cell.value = str(value)
                cell.data_type = "s"
                width = len(str(value))
            else:
                width = 0
            if row_index in bold_rows:
                cell.font = Font(bold=True)
            widths[column] = max(widths.get(column, 0), width)
    for column, width in widths.items():
        page.column_dimensions[get_column_letter(column)].width = min(width + 2, 70)


def workbook(found) -> bytes:
    """Four sheets: Summary (the stream, the period, its figures, the chain's head and when the
    report was made), Projects, Expenses (advances settled included) and Decisions."""
    money = money_format(found.currency)
    stream, line = found.stream, found.line
    book = Workbook()
    summary = book.active
    summary.title = sheet_name(_("Summary"))
    head_seq, head_hash = found.head or ("", "")
    rows = [
        [_("Funder's report"), found.cooperative.name],
        [],
        [_("Funder"), stream.funder.name],
        [_("Funding stream"), stream.name],
        [_("Promised"), Decimal(stream.committed)],
        [_("Period of the stream"), f"{_day(stream.starts_on)} – {_day(stream.ends_on)}"],
        [
            _("May be spent on"),
            _("anything residents decide")
            if stream.is_free
            else ", ".join(str(e) for e in stream.get_earmark_display()),
        ],
        [_("Conditions"), stream.conditions],
        [_("Reporting duties"), stream.reporting],
        [],
        [_("Period of this report"), f"{_day(found.period.start)} – {_day(found.period.end)}"],
        [_("Received"), line.received.amount],
        [_("Allocated to projects"), line.allocated.amount],
        [_("Spent"), line.spent.amount],
        [_("Left in the fund at the end"), line.left_in_fund.amount],
        [_("Left in project budgets at the end"), line.left_in_budgets.amount],
        [_("Left at the end"), line.left.amount],
        [],
    ]
    for given in found.time:
        if given.row is None:
            hours = _("no hours given")
        elif given.row["suppressed"]:
            hours = _("given by fewer than %(size)s people, so not shown") % {
                "size": MIN_GROUP_SIZE
            }
        else:
            hours = float(given.row["hours"])  # a number, but not of money
        rows.append(
            [
                _("Hours given to %(name)s in %(year)s")
                % {"name": stream.funder.name, "year": given.year},
                hours,
            ]
        )
    rows += [
        [],
        [_("Newest decision in the chain (seq)"), head_seq],
        [_("Fingerprint of the chain (SHA-256)"), head_hash],
        [_("Report made at"), date_format(timezone.localtime(found.made_at), "DATETIME_FORMAT")],
    ]
    _write(summary, rows, money, bold_rows={1})

    projects = book.create_sheet(sheet_name(_("Projects")))
    rows = [
        [
            _("Number"),
            _("Project"),
            _("Budget"),
            _("Spent in the period"),
            _("Spent up to the end"),
            _("Left at the end"),
        ]
    ]
    for project in found.projects:
        rows.append(
            [
                project.proposal.number,
                project.proposal.title,
                project.budget,
                project.spent_in_period,
                project.spent_to_date,
                project.left,
            ]
        )
    _write(projects, rows, money, bold_rows={1})

    expenses = book.create_sheet(sheet_name(_("Expenses")))
    rows = [
        [
            _("Kind"),
            _("Number"),
            _("Date"),
            _("Project"),
            _("What for"),
            _("Paid to"),
            _("Amount"),
            _("Receipts (SHA-256)"),
            _("Chain events (seq)"),
        ]
    ]
    for payment in found.expenses + found.advances:
        rows.append(
            [
                _("Expense") if payment.kind == "expense" else _("Advance settled"),
                payment.number,
                payment.day.isoformat(),
                payment.project.title,
                payment.what,
                payment.payee,
                payment.amount,
                " ".join(payment.receipts),
                " ".join(str(seq) for seq in payment.seqs),
            ]
        )
    _write(expenses, rows, money, bold_rows={1})

    decisions = book.create_sheet(sheet_name(_("Decisions")))
    rows = [
        [
            _("Question"),
            _("Closed on"),
            _("Outcome"),
            _("Voted"),
            _("Could vote"),
            _("Allocated"),
            _("Chain event (seq)"),
        ]
    ]
    for decision in found.decisions:
        rows.append(
            [
                decision.vote.title,
                timezone.localdate(decision.vote.closed_at).isoformat(),
                str(decision.vote.get_outcome_display()),
                decision.voted
                if decision.turnout_shown
                else _("fewer than %(size)s") % {"size": MIN_GROUP_SIZE},
                decision.voters if decision.turnout_shown else "",
                decision.allocated,
                decision.event_seq or "",
            ]
        )
    _write(decisions, rows, money, bold_rows={1})
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def report_xlsx(request, slug, pk):
    """The report's figures as a workbook: amounts as numbers, in the reader's language."""
    cooperative, stream, form, found = _report_of(request, slug, pk)
    if found is None:
        return _refused(form)
    response = HttpResponse(workbook(found), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{file_name(found, "xlsx")}"'
    return response
