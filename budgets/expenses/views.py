"""Pages for money spent on projects: declaring an expense, asking for and settling an advance,
approving or rejecting them, and paying them in batches. Thin views: parse, check who may see,
call one service, show its refusal on the same page. They work without a script."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budgets import services
from budgets.expenses import forms, receipts, selectors
from budgets.models import (
    Advance,
    AdvanceStatus,
    BankAccount,
    Expense,
    ExpenseStatus,
    PaymentBatch,
    ReceiptFile,
)
from members.models import Role
from members.permissions import cooperative_view, holds_role
from wijkbv.errors import DomainError
from wijkbv.web import call_service

FAILED = call_service.FAILED
RESIDENT_ROLES = services.RESIDENT_ROLES
INVOICE_ROLES = services.INVOICE_ROLES
# Who reads the payment batches: the treasurer makes them, the board and audit committee check.
BATCH_READ_ROLES = (Role.TREASURER, Role.BOARD, Role.AUDIT_COMMITTEE)


def _render(request, template: str, context: dict, status: int = 200):
    context = {"cooperative": request.cooperative, "membership": request.membership} | context
    return render(request, f"budgets/expenses/{template}", context, status=status)


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _files(request):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _read_upload(form, upload, field="receipt"):
    """The upload's bytes, or None with the error on the form when it is too big to read."""
    try:
        receipts.check_size(upload.size, field=field)
    except DomainError as too_big:
        form.add_error(field, str(too_big.message))
        return None
    return upload.read()


def _refused(form) -> bool:
    return form is not None and form.is_bound and bool(form.errors)


# Expenses


def _expense(request, number) -> Expense:
    expense = get_object_or_404(
        Expense.objects.select_related(
            "cooperative",
            "budget__proposal",
            "claimant",
            "submitted_by",
            "first_approver",
            "second_approver",
            "decided_by",
            "batch",
            "advance",
        ),
        cooperative=request.cooperative,
        number=number,
    )
    if not selectors.may_see(request.membership, expense):
        raise Http404
    return expense


@cooperative_view(*RESIDENT_ROLES)
def expenses(request):
    """The expenses a person may see, newest first; filter by status."""
    status = request.GET.get("status", "")
    if status not in ExpenseStatus.values:
        status = ""
    return _render(
        request,
        "expenses.html",
        {
            "expenses": selectors.expenses_for(
                request.cooperative, request.membership, status=status
            )[:200],
            "statuses": ExpenseStatus.choices,
            "status": status,
            "reads_all": selectors.reads_all(request.membership),
            "may_enter_invoice": holds_role(request.membership, *INVOICE_ROLES),
            "may_pay": holds_role(request.membership, *BATCH_READ_ROLES),
        },
    )


def _declare(request, form_class, template_title, **service_options):
    data, files = _files(request)
    form = form_class(data, files, budgets=selectors.project_budgets(request.cooperative))
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        upload = fields.pop("receipt")
        content = _read_upload(form, upload)
        if content is not None:
            expense = call_service(
                form,
                services.submit_expense,
                request.cooperative,
                actor=request.user,
                receipt=content,
                receipt_name=upload.name,
                **fields,
                **service_options,
            )
            if expense is not FAILED:
                messages.success(
                    request,
                    _("Expense %(number)s has been submitted. Two people will look at it.")
                    % {"number": expense.number},
                )
                return redirect(
                    "budgets:expense", slug=request.cooperative.slug, number=expense.number
                )
    return _render(
        request,
        "declare.html",
        {"form": form, "title": template_title},
        status=_status(form),
    )


@cooperative_view(*RESIDENT_ROLES)
def declare_expense(request):
    """A member claims back money they spent on a project."""
    return _declare(request, forms.ExpenseForm, _("Claim money back"))


@cooperative_view(*INVOICE_ROLES)
def enter_invoice(request):
    """The treasurer, a board member or a coordinator enters a supplier's invoice."""
    return _declare(request, forms.InvoiceForm, _("Enter an invoice"), kind="invoice")


def _expense_page(request, expense, *, reject_form=None, status=200):
    may_decide = selectors.may_approve(request.membership, expense) and expense.status in (
        ExpenseStatus.SUBMITTED,
        ExpenseStatus.APPROVED,
    )
    return _render(
        request,
        "expense.html",
        {
            "expense": expense,
            "project": selectors.project_title(expense.budget),
            "receipts": list(
                expense.receipts.all()
                if expense.advance_id is None
                else expense.advance.receipts.all()
            ),
            "may_approve": may_decide and expense.status == ExpenseStatus.SUBMITTED,
            "may_reject": may_decide or _refused(reject_form),
            "reject_form": reject_form or forms.ReasonForm(),
            "left": selectors.budget_left(expense.budget),
        },
        status=status,
    )


@cooperative_view(*RESIDENT_ROLES)
def expense(request, number):
    return _expense_page(request, _expense(request, number))


def _decided(request, service, item, done_message, page, **options):
    """Call an approve or reject service; its refusal is shown on the item's page."""
    try:
        service(item, actor=request.user, **options)
    except DomainError as refused:
        messages.error(request, str(refused.message))
        return page(status=403 if refused.status_code == 403 else 400)
    messages.success(request, done_message)
    return None


def _rejected(request, service, item, done_message, page, url_name):
    """Reject an expense or an advance with the reason typed: back to its page, or the page
    again with the form and its error."""
    form = forms.ReasonForm(request.POST)
    if form.is_valid() and (
        call_service(form, service, item, actor=request.user, **form.cleaned_data) is not FAILED
    ):
        messages.success(request, done_message)
        return redirect(url_name, slug=request.cooperative.slug, number=item.number)
    item.refresh_from_db()
    return page(request, item, reject_form=form, status=400)


@cooperative_view()
@require_POST
def approve_expense(request, number):
    expense = _expense(request, number)
    answer = _decided(
        request,
        services.approve_expense,
        expense,
        _("Your approval has been recorded."),
        lambda status: _expense_page(request, expense, status=status),
    )
    return answer or redirect("budgets:expense", slug=request.cooperative.slug, number=number)


@cooperative_view()
@require_POST
def reject_expense(request, number):
    expense = _expense(request, number)
    return _rejected(
        request,
        services.reject_expense,
        expense,
        _("The expense has been rejected."),
        _expense_page,
        "budgets:expense",
    )


@cooperative_view()
def receipt(request, pk):
    """A receipt file, for those who may see its expense or advance only."""
    found = get_object_or_404(
        ReceiptFile.objects.select_related("expense__budget", "advance__budget"),
        pk=pk,
        cooperative=request.cooperative,
    )
    if not selectors.may_see_receipt(request.membership, found):
        raise Http404
    try:
        handle = open(receipts.path_of(found.stored_name), "rb")  # noqa: SIM115 (FileResponse closes it)
    except (OSError, ValueError):
        raise Http404 from None
    extension = found.stored_name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        content_type=found.content_type,
        as_attachment=False,
        filename=f"receipt-{found.pk}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# Advances


def _advance(request, number) -> Advance:
    advance = get_object_or_404(
        Advance.objects.select_related(
            "cooperative",
            "budget__proposal",
            "holder",
            "first_approver",
            "second_approver",
            "decided_by",
            "batch",
        ),
        cooperative=request.cooperative,
        number=number,
    )
    if not selectors.may_see(request.membership, advance):
        raise Http404
    return advance


@cooperative_view(*RESIDENT_ROLES)
def advances(request):
    """A person's advances; for the treasurer, the board and the audit committee also every
    open advance with its age in days, oldest first."""
    reads_all = selectors.reads_all(request.membership)
    return _render(
        request,
        "advances.html",
        {
            "mine": selectors.advances_for(request.cooperative, request.membership)
            .filter(holder=request.membership)
            .order_by("-number")[:100],
            "waiting": selectors.advances_for(
                request.cooperative, request.membership, status=AdvanceStatus.REQUESTED
            ).exclude(holder=request.membership)[:100],
            "open": selectors.open_advances(request.cooperative) if reads_all else None,
        },
    )


@cooperative_view(*RESIDENT_ROLES)
def ask_advance(request):
    form = forms.AdvanceForm(
        request.POST if request.method == "POST" else None,
        budgets=selectors.project_budgets(request.cooperative),
    )
    if request.method == "POST" and form.is_valid():
        advance = call_service(
            form,
            services.request_advance,
            request.cooperative,
            actor=request.user,
            **form.cleaned_data,
        )
        if advance is not FAILED:
            messages.success(
                request,
                _("You asked for advance %(number)s. Two people will look at it.")
                % {"number": advance.number},
            )
            return redirect("budgets:advance", slug=request.cooperative.slug, number=advance.number)
    return _render(request, "ask_advance.html", {"form": form}, status=_status(form))


def _advance_page(
    request, advance, *, reject_form=None, settle_form=None, return_form=None, status=200
):
    may_decide = selectors.may_approve(request.membership, advance) and advance.status in (
        AdvanceStatus.REQUESTED,
        AdvanceStatus.APPROVED,
    )
    is_holder = request.membership.pk == advance.holder_id
    is_treasurer = holds_role(request.membership, Role.TREASURER)
    return _render(
        request,
        "advance.html",
        {
            "advance": advance,
            "project": selectors.project_title(advance.budget),
            "receipts": list(advance.receipts.all()),
            "may_approve": may_decide and advance.status == AdvanceStatus.REQUESTED,
            "may_reject": (may_decide and not is_holder) or _refused(reject_form),
            # A form sent with a refusal is shown again with it, whatever the status now.
            "may_settle": (advance.status == AdvanceStatus.PAID and (is_holder or is_treasurer))
            or _refused(settle_form),
            "may_record_return": (advance.status == AdvanceStatus.OWED and is_treasurer)
            or _refused(return_form),
            "reject_form": reject_form or forms.ReasonForm(),
            "settle_form": settle_form or forms.SettleForm(),
            "return_form": return_form
            or forms.ReturnForm(initial={"received_on": timezone.localdate()}),
            "difference_claim": getattr(advance, "difference_claim", None),
        },
        status=status,
    )


@cooperative_view(*RESIDENT_ROLES)
def advance(request, number):
    return _advance_page(request, _advance(request, number))


@cooperative_view()
@require_POST
def approve_advance(request, number):
    advance = _advance(request, number)
    answer = _decided(
        request,
        services.approve_advance,
        advance,
        _("Your approval has been recorded."),
        lambda status: _advance_page(request, advance, status=status),
    )
    return answer or redirect("budgets:advance", slug=request.cooperative.slug, number=number)


@cooperative_view()
@require_POST
def reject_advance(request, number):
    advance = _advance(request, number)
    return _rejected(
        request,
        services.reject_advance,
        advance,
        _("The advance has been rejected."),
        _advance_page,
        "budgets:advance",
    )


@cooperative_view()
@require_POST
def settle_advance(request, number):
    advance = _advance(request, number)
    form = forms.SettleForm(request.POST, request.FILES)
    if form.is_valid():
        uploads = form.cleaned_data["receipts"]
        files = []
        for upload in uploads:
            content = _read_upload(form, upload, field="receipts")
            if content is None:
                break
            files.append((content, upload.name))
        else:
            done = _settle(form, advance, request.user, form.cleaned_data["spent"], files)
            if done is not FAILED:
                messages.success(request, _("The advance has been settled. Thank you."))
                return redirect("budgets:advance", slug=request.cooperative.slug, number=number)
    advance.refresh_from_db()
    return _advance_page(request, advance, settle_form=form, status=400)


def _settle(form, advance, actor, spent, files):
    try:
        return services.settle_advance(advance, actor=actor, spent=spent, receipts_files=files)
    except DomainError as refused:
        field = {"receipt": "receipts"}.get(refused.field, refused.field)
        form.add_error(field if field in form.fields else None, str(refused.message))
        return FAILED


@cooperative_view()
@require_POST
def advance_returned(request, number):
    advance = _advance(request, number)
    form = forms.ReturnForm(request.POST)
    if form.is_valid() and (
        call_service(
            form,
            services.record_advance_return,
            advance,
            actor=request.user,
            **form.cleaned_data,
        )
        is not FAILED
    ):
        messages.success(request, _("The money returned has been recorded."))
        return redirect("budgets:advance", slug=request.cooperative.slug, number=number)
    advance.refresh_from_db()
    return _advance_page(request, advance, return_form=form, status=400)


# Payments


def _batch_form(request, data=None):
    return forms.BatchForm(
        data,
        bank_accounts=BankAccount.objects.filter(cooperative=request.cooperative),
        expenses=Expense.objects.filter(cooperative=request.cooperative),
        advances=Advance.objects.filter(cooperative=request.cooperative),
        payable=selectors.payable(request.cooperative),
        initial={"execution_date": timezone.localdate()},
    )


@cooperative_view(*BATCH_READ_ROLES)
def payments(request):
    """What can be paid, and the batches paid so far. The treasurer picks items and a bank
    account; one batch pays them and makes the file for the bank."""
    may_pay = holds_role(request.membership, Role.TREASURER)
    form = None
    status = 200
    if request.method == "POST":
        if not may_pay:
            raise PermissionDenied
        form = _batch_form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            batch = call_service(
                form,
                services.make_payment_batch,
                request.cooperative,
                actor=request.user,
                bank_account=data["bank_account"],
                expenses=list(data["expenses"]),
                advances=list(data["advances"]),
                execution_date=data["execution_date"],
            )
            if batch is not FAILED:
                messages.success(
                    request,
                    _(
                        "Batch %(number)s has been made. Download the file and upload it to your bank."
                    )
                    % {"number": batch.number},
                )
                return redirect(
                    "budgets:payment_batch", slug=request.cooperative.slug, number=batch.number
                )
        status = 400
    elif may_pay:
        form = _batch_form(request)
    return _render(
        request,
        "payments.html",
        {
            "form": form,
            "may_pay": may_pay,
            "has_bank_account": BankAccount.objects.filter(
                cooperative=request.cooperative
            ).exists(),
            "batches": selectors.batches(request.cooperative)[:50],
        },
        status=status,
    )


def _batch(request, number) -> PaymentBatch:
    return get_object_or_404(
        selectors.batches(request.cooperative).select_related("transaction"), number=number
    )


@cooperative_view(*BATCH_READ_ROLES)
def payment_batch(request, number):
    batch = _batch(request, number)
    return _render(
        request,
        "batch.html",
        {
            "batch": batch,
            "expenses": batch.expenses.select_related("budget__proposal").order_by("number"),
            "advances": batch.advances.select_related("budget__proposal").order_by("number"),
            "may_download": holds_role(request.membership, Role.TREASURER),
        },
    )


@cooperative_view(Role.TREASURER)
def payment_file(request, number):
    """The batch's SEPA credit-transfer file, as made: for the treasurer to upload to the bank."""
    batch = _batch(request, number)
    response = HttpResponse(bytes(batch.file), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{batch.message_id}.xml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
