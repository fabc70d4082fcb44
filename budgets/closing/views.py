"""The closing pages: the periods closed so far and closing the next one, the reconciliation of
each bank account (page and CSV), and the audit file for the accountant.

The treasurer closes; the board and the audit committee read; the treasurer and the audit
committee download the audit file.
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets.closing import forms, selectors
from budgets.closing.reconciliation import reconcile
from budgets.models import BankAccount
from members.models import Role
from members.permissions import cooperative_view, holds_role
from wijkbv.errors import DomainError
from wijkbv.ledger import services as ledger_services
from wijkbv.ledger import xaf
from wijkbv.web import call_service

FAILED = call_service.FAILED
READ_ROLES = (Role.TREASURER, Role.BOARD, Role.AUDIT_COMMITTEE)
AUDIT_FILE_ROLES = (Role.TREASURER, Role.AUDIT_COMMITTEE)
# Open items per page of the reconciliation; the CSV has them all.
ITEMS_PER_PAGE = 100


def _render(request, template: str, context: dict, status: int = 200):
    context = {"cooperative": request.cooperative, "membership": request.membership} | context
    return render(request, template, context, status=status)


def _closing_page(request, *, period_form=None, close_form=None, audit_form=None, status=200):
    cooperative = request.cooperative
    may_close = holds_role(request.membership, Role.TREASURER)
    reports = None
    if period_form is not None and period_form.is_valid():
        reports = selectors.open_at(cooperative, period_form.until)
        if may_close and close_form is None:
            close_form = forms.CloseForm(initial=period_form.cleaned_data)
    return _render(
        request,
        "budgets/closing/closing.html",
        {
            "periods": selectors.periods(cooperative),
            "bank_accounts": selectors.bank_accounts(cooperative),
            "period_form": period_form or forms.PeriodForm(),
            "close_form": close_form,
            "reports": reports,
            "is_open": reports is not None and selectors.is_open(reports),
            "until": period_form.until if reports is not None else None,
            "may_close": may_close,
            "may_download": holds_role(request.membership, *AUDIT_FILE_ROLES),
            "audit_form": audit_form
            or forms.AuditFileForm(initial={"year": timezone.localdate().year}),
            "years": xaf.years(cooperative),
        },
        status=status,
    )


@cooperative_view(*READ_ROLES)
def closing(request):
    """The periods closed so far. A period chosen in the form shows what is still open in it;
    the treasurer then closes it, ticking a box when something is still open."""
    if request.method != "POST":
        period_form = forms.PeriodForm(request.GET) if "kind" in request.GET else None
        status = 400 if period_form is not None and not period_form.is_valid() else 200
        return _closing_page(request, period_form=period_form, status=status)
    if not holds_role(request.membership, Role.TREASURER):
        raise PermissionDenied
    form = forms.CloseForm(request.POST)
    if not form.is_valid():
        return _closing_page(
            request, period_form=forms.PeriodForm(request.POST), close_form=form, status=400
        )
    cooperative = request.cooperative
    until = form.until
    today = timezone.localdate()
    if (
        selectors.may_close(cooperative, until, today)
        and not form.cleaned_data["confirm"]
        and selectors.is_open(selectors.open_at(cooperative, until))
    ):
        form.add_error(
            "confirm",
            _(
                "Something is still open in this period. Tick the box if you want to close it anyway."
            ),
        )
        return _closing_page(
            request, period_form=forms.PeriodForm(request.POST), close_form=form, status=400
        )
    period = call_service(
        form, ledger_services.close_period, cooperative, actor=request.user, until=until
    )
    if period is FAILED:
        return _closing_page(
            request, period_form=forms.PeriodForm(request.POST), close_form=form, status=400
        )
    messages.success(
        request,
        _("The books are closed up to and including %(date)s.")
        % {"date": period.until.isoformat()},
    )
    return redirect("budgets:closing", slug=cooperative.slug)


def _as_of(request, account):
    """The reconciliation asked for, or the bound form with its error."""
    form = forms.AsOfForm(request.GET or None, periods=selectors.periods(request.cooperative))
    if request.GET and not form.is_valid():
        return None, form
    today = timezone.localdate()
    on = form.as_of(today) if request.GET else today
    return reconcile(account, on), form


@cooperative_view(*READ_ROLES)
def reconciliation(request, pk):
    """One bank account: the books against the bank on a date, and every open item."""
    account = get_object_or_404(
        BankAccount.objects.select_related("ledger_account"), pk=pk, cooperative=request.cooperative
    )
    report, form = _as_of(request, account)
    query = request.GET.copy()
    query.pop("page", None)
    items = None
    if report is not None:
        items = Paginator(report.items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    return _render(
        request,
        "budgets/closing/reconciliation.html",
        {
            "account": account,
            "report": report,
            "items": items,
            "form": form,
            "query": query.urlencode(),
        },
        status=200 if report is not None else 400,
    )


CSV_COLUMNS = (
    "date",
    "kind",
    "description",
    "in_bank",
    "in_books",
    "effect",
    "line",
    "transaction",
)


@cooperative_view(*READ_ROLES)
def reconciliation_csv(request, pk):
    """The same reconciliation as a CSV file: the totals first, then one row per open item."""
    account = get_object_or_404(
        BankAccount.objects.select_related("ledger_account"), pk=pk, cooperative=request.cooperative
    )
    report, form = _as_of(request, account)
    if report is None:
        return _render(
            request,
            "budgets/closing/reconciliation.html",
            {"account": account, "report": None, "form": form, "query": ""},
            status=400,
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="reconciliation-{account.pk}-{report.on.isoformat()}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["as_of", report.on.isoformat()])
    writer.writerow(["currency", report.currency])
    writer.writerow(["ledger_balance", report.ledger_balance])
    writer.writerow(["bank_balance", report.bank_balance])
    writer.writerow(["difference", report.difference])
    writer.writerow(["unexplained", report.unexplained])
    writer.writerow([])
    writer.writerow(CSV_COLUMNS)
    for item in report.items:
        writer.writerow(
            [
                item.on.isoformat() if item.on else "",
                item.kind,
                _safe_cell(item.description),
                "" if item.in_bank is None else item.in_bank,
                "" if item.in_books is None else item.in_books,
                item.effect,
                item.line or "",
                item.transaction or "",
            ]
        )
    return response


def _safe_cell(text: str) -> str:
    """A description as a spreadsheet shows it, never as a formula (a bank line is anyone's text)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@cooperative_view(*AUDIT_FILE_ROLES)
def audit_file(request):
    """The audit file (XAF 3.2) of the year asked for, for the accountant. Without a year this
    is the closing page with the form to choose one."""
    if "year" not in request.GET:
        return _closing_page(request)
    form = forms.AuditFileForm(request.GET)
    if form.is_valid():
        try:
            pieces = xaf.export(request.cooperative, form.cleaned_data["year"])
        except DomainError as refused:
            form.add_error("year", str(refused.message))
    if not form.is_valid():
        return _closing_page(request, audit_form=form, status=400)
    response = StreamingHttpResponse(pieces, content_type="application/xml; charset=utf-8")
    name = xaf.file_name(request.cooperative, form.cleaned_data["year"])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
