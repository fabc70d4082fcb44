"""Report pages for the treasurer, the board and the audit committee: the balance sheet, income
and expenditure, and per funding stream, for the period in the query string; each also as CSV
(`?format=csv`) and as an Excel workbook (`?format=xlsx`). Reports only read."""

from django.shortcuts import render

from budgets.reports import books, forms, periods, sheets
from members.models import Role
from members.permissions import cooperative_view

REPORT_ROLES = (Role.TREASURER, Role.BOARD, Role.AUDIT_COMMITTEE)
DOWNLOADS = {"csv": sheets.csv_response, "xlsx": sheets.xlsx_response}


def _render(request, template: str, context: dict, status: int = 200):
    context = {"cooperative": request.cooperative, "membership": request.membership} | context
    return render(request, template, context, status=status)


def _report(request, *, template, form_class, read, sheet):
    """Read the period (and stream) from the query string; answer the page, or the download
    asked for. A period that cannot be read gives the page with the reason and no numbers."""
    cooperative = request.cooperative
    form = form_class(request.GET, cooperative=cooperative)
    context = {"form": form, "presets": periods.PRESETS}
    if not form.is_valid():
        return _render(request, template, context, status=400)
    report = read(cooperative, form.cleaned_data)
    download = DOWNLOADS.get(request.GET.get("format", ""))
    if download is not None:
        return download(sheet(report, cooperative))
    period = form.cleaned_data["period"]
    stream = form.cleaned_data.get("stream")
    stream_query = f"&stream={stream.pk}" if stream is not None else ""
    # The form shows the dates of the period, also when a preset or nothing was asked for.
    shown = form_class(
        None,
        cooperative=cooperative,
        initial={"from": period.start, "to": period.end, "stream": stream},
    )
    return _render(
        request,
        template,
        context
        | {
            "form": shown,
            "report": report,
            "period": period,
            "query": period.query() + stream_query,
            "stream_query": stream_query,
        },
    )


def _balance_sheet(cooperative, data):
    return books.balance_sheet(cooperative, data["period"].end)


def _income_and_expenditure(cooperative, data):
    return books.income_and_expenditure(cooperative, data["period"].start, data["period"].end)


def _funding_streams(cooperative, data):
    period = data["period"]
    return books.funding_streams(cooperative, period.start, period.end, stream=data["stream"])


@cooperative_view(*REPORT_ROLES)
def index(request):
    """The reports there are, each for this year so far unless another period is chosen."""
    return _render(request, "budgets/reports/index.html", {"presets": periods.PRESETS})


@cooperative_view(*REPORT_ROLES)
def balance_sheet(request):
    """What the cooperative owns and owes at the end of the period, and that it balances."""
    return _report(
        request,
        template="budgets/reports/balance_sheet.html",
        form_class=forms.PeriodForm,
        read=_balance_sheet,
        sheet=sheets.balance_sheet,
    )


@cooperative_view(*REPORT_ROLES)
def income_and_expenditure(request):
    """Income and costs over the period, and the result."""
    return _report(
        request,
        template="budgets/reports/income_and_expenditure.html",
        form_class=forms.PeriodForm,
        read=_income_and_expenditure,
        sheet=sheets.income_and_expenditure,
    )


@cooperative_view(*REPORT_ROLES)
def funding_streams(request):
    """Per funding stream: received, allocated, spent and left."""
    return _report(
        request,
        template="budgets/reports/funding_streams.html",
        form_class=forms.StreamReportForm,
        read=_funding_streams,
        sheet=sheets.funding_streams,
    )
