"""Web pages for shares. Views are thin: parse, check access, call one service, answer."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from moneyed import Money

from members.models import Membership, Role
from members.permissions import cooperative_view, holds_role
from shares import forms, selectors, services
from shares.exports import REGISTER_COLUMNS, csv_safe, register_rows
from shares.models import PaymentMethod, ShareClass, Subscription, TransferRequest
from shares.references import printed
from wijkbv.errors import DomainError
from wijkbv.payments import selectors as payment_selectors
from wijkbv.web import call_service

FAILED = call_service.FAILED
# Who reads the register and every member's subscriptions (the audit committee only reads).
REGISTER_ROLES = (Role.BOARD, Role.TREASURER, Role.AUDIT_COMMITTEE)


def _render(request, template: str, context: dict):
    """A shares page, with the cooperative and the person's membership for the layout."""
    context = {"cooperative": request.cooperative, "membership": request.membership} | context
    return render(request, template, context)


def _classes(cooperative):
    return ShareClass.objects.filter(cooperative=cooperative).order_by("code")


@cooperative_view()
def home(request):
    """The member's own shares: what they hold, how it came and went, what they asked for."""
    membership = request.membership
    return _render(
        request,
        "shares/home.html",
        {
            "membership": membership,
            "lots": selectors.holding(membership),
            "history": selectors.holding_history(membership),
            "subscriptions": selectors.subscriptions_of(membership),
            "classes": selectors.share_classes(request.cooperative),
            "may_read_register": holds_role(membership, *REGISTER_ROLES),
        },
    )


def _pay_online(request, subscription):
    """Send the subscriber to the pay page of this subscription's online payment. When it
    cannot be paid online (Stripe cannot be reached, or it is not theirs to pay), they stay on
    the subscription's page, which also tells how to pay by bank transfer."""
    try:
        payment = services.pay_subscription_online(subscription, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("shares:subscription", slug=request.cooperative.slug, pk=subscription.pk)
    return redirect("payments:pay", pk=payment.pk)


def _may_pay_online(request, subscription) -> bool:
    return (
        payment_selectors.online_payments_enabled()
        and subscription.membership_id == request.membership.pk
        and subscription.is_open
        and subscription.paid_on is None
    )


@cooperative_view()
def subscribe(request):
    classes = _classes(request.cooperative)
    online = payment_selectors.online_payments_enabled()
    form = forms.SubscribeForm(request.POST or None, classes=classes, online=online)
    if request.method == "POST" and form.is_valid():
        subscription = call_service(
            form,
            services.subscribe_to_shares,
            form.cleaned_data["share_class"],
            actor=request.user,
            count=form.cleaned_data["count"],
            method=form.cleaned_data["method"],
        )
        if subscription is not FAILED:
            messages.success(request, _("Thank you. Your request for shares has been received."))
            if subscription.method == PaymentMethod.STRIPE:
                return _pay_online(request, subscription)
            return redirect(
                "shares:subscription", slug=request.cooperative.slug, pk=subscription.pk
            )
    return _render(
        request,
        "shares/subscribe.html",
        {"form": form, "has_classes": classes.exists()},
    )


def _visible_subscription(request, pk) -> Subscription:
    """The subscriber sees their own; the board, treasurer and audit committee see all."""
    subscription = get_object_or_404(
        Subscription.objects.select_related("share_class", "membership__user", "approved_by"),
        cooperative=request.cooperative,
        pk=pk,
    )
    own = subscription.membership_id == request.membership.pk
    if not own and not holds_role(request.membership, *REGISTER_ROLES):
        raise Http404
    return subscription


def _decision_forms(request, subscription, bound=None) -> dict:
    """The forms the person may use on this subscription, one of them bound when it failed."""
    membership = request.membership
    today = timezone.localdate()
    is_board = holds_role(membership, Role.BOARD)
    is_treasurer = holds_role(membership, Role.TREASURER)
    own = subscription.membership_id == membership.pk
    available = {}
    if subscription.is_open:
        if is_treasurer and subscription.paid_on is None:
            available["pay"] = forms.PaymentForm(prefix="pay", initial={"paid_on": today})
        if is_board and not own and subscription.approved_at is None:
            available["approve"] = forms.DeedForm(prefix="approve")
        if is_board:
            available["refuse"] = forms.ReasonForm(prefix="refuse")
        if (is_board or is_treasurer) and subscription.approved_at and subscription.paid_on:
            available["issue"] = forms.IssueForm(prefix="issue", initial={"issued_on": today})
        if (own or is_board) and subscription.paid_on is None:
            available["cancel"] = forms.CancelForm(prefix="cancel")
    if (
        (is_board or is_treasurer)
        and subscription.payment_transaction_id
        and subscription.status in ("paid", "approved", "refused", "cancelled")
    ):
        available["refund"] = forms.ReasonForm(prefix="refund")
    if bound is not None:
        available[bound[0]] = bound[1]
    return available


def _subscription_page(request, subscription, bound=None):
    return _render(
        request,
        "shares/subscription.html",
        {
            "subscription": subscription,
            "reference": printed(subscription.payment_reference),
            "decisions": _decision_forms(request, subscription, bound),
            "own": subscription.membership_id == request.membership.pk,
            "may_pay_online": _may_pay_online(request, subscription),
        },
    )


@cooperative_view()
def subscription(request, pk):
    return _subscription_page(request, _visible_subscription(request, pk))


# Each decision: its form, the service it calls with the form's values, and what it says.
DECISIONS = {
    "pay": (
        forms.PaymentForm,
        lambda s, actor, data: services.record_subscription_payment(s, actor=actor, **data),
        gettext_lazy("The payment has been recorded."),
    ),
    "approve": (
        forms.DeedForm,
        lambda s, actor, data: services.approve_subscription(s, actor=actor, **data),
        gettext_lazy("The subscription has been approved."),
    ),
    "refuse": (
        forms.ReasonForm,
        lambda s, actor, data: services.refuse_subscription(s, actor=actor, **data),
        gettext_lazy("The subscription has been refused."),
    ),
    "issue": (
        forms.IssueForm,
        lambda s, actor, data: services.issue_shares(s, actor=actor, **data),
        gettext_lazy("The shares have been issued."),
    ),
    "cancel": (
        forms.CancelForm,
        lambda s, actor, data: services.cancel_subscription(s, actor=actor, **data),
        gettext_lazy("The subscription has been withdrawn."),
    ),
    "refund": (
        forms.ReasonForm,
        lambda s, actor, data: services.refund_subscription_payment(s, actor=actor, **data),
        gettext_lazy("The payment has been refunded."),
    ),
}


@cooperative_view()
@require_POST
def pay_online(request, pk):
    """The subscriber pays their own open subscription online."""
    return _pay_online(request, _visible_subscription(request, pk))


@cooperative_view()
@require_POST
def subscription_decision(request, pk, decision):
    if decision not in DECISIONS:
        raise Http404
    subscription = _visible_subscription(request, pk)
    form_class, call, done = DECISIONS[decision]
    form = form_class(request.POST, prefix=decision)
    if form.is_valid():
        result = call_service(form, lambda: call(subscription, request.user, form.cleaned_data))
        if result is not FAILED:
            messages.success(request, done)
            return redirect("shares:subscription", slug=request.cooperative.slug, pk=pk)
    subscription.refresh_from_db()
    return _subscription_page(request, subscription, bound=(decision, form))


@cooperative_view(*REGISTER_ROLES)
def manage(request):
    """The board's and treasurer's work list: open subscriptions and recent transfers."""
    return _render(
        request,
        "shares/manage.html",
        {
            "open_subscriptions": selectors.subscriptions(request.cooperative, open_only=True),
            "transfers": selectors.transfers(request.cooperative)[:20],
            "transfer_requests": [
                (
                    r,
                    forms.CarryOutTransferForm(
                        prefix=f"carry-out-{r.pk}", initial={"transferred_on": timezone.localdate()}
                    ),
                    forms.ReasonForm(prefix=f"refuse-{r.pk}"),
                )
                for r in selectors.transfer_requests(request.cooperative, open_only=True)
            ],
            "classes": selectors.share_classes(request.cooperative),
        },
    )


@cooperative_view()
def classes(request):
    may_add = holds_role(request.membership, Role.BOARD)
    form = forms.ShareClassForm(request.POST or None) if may_add else None
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied(
                _("Your role in this cooperative does not give access to this page.")
            )
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["nominal_value"] = Money(data["nominal_value"], request.cooperative.currency)
            result = call_service(
                form,
                services.create_share_class,
                request.cooperative,
                actor=request.user,
                **data,
            )
            if result is not FAILED:
                messages.success(request, _("The class of shares has been added."))
                return redirect("shares:classes", slug=request.cooperative.slug)
    return _render(
        request,
        "shares/classes.html",
        {
            "classes": selectors.share_classes(request.cooperative),
            "form": form,
        },
    )


def _member(cooperative, number) -> Membership | None:
    return Membership.objects.filter(cooperative=cooperative, member_number=number).first()


@cooperative_view(Role.BOARD, Role.TREASURER)
def transfer(request):
    classes = _classes(request.cooperative)
    form = forms.TransferForm(
        request.POST or None, classes=classes, initial={"transferred_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        holder = _member(request.cooperative, data.pop("from_member_number"))
        if holder is None:
            form.add_error("from_member_number", _("There is no member with this number."))
        else:
            result = call_service(
                form, services.transfer_shares, holder, actor=request.user, **data
            )
            if result is not FAILED:
                messages.success(request, _("The transfer has been recorded."))
                return redirect("shares:manage", slug=request.cooperative.slug)
    return _render(
        request,
        "shares/member_shares_form.html",
        {
            "form": form,
            "title": _("Record a transfer of shares"),
            "intro": _(
                "A member transfers shares to another member. Where the class's rules ask for "
                "it, a board member approves the transfer; record the notarial deed of transfer."
            ),
            "deed_notice": True,
        },
    )


@cooperative_view()
def ask_transfer(request):
    """A member asks to transfer some of their own shares to another member, and sees (and may
    withdraw) what they asked before."""
    classes = _classes(request.cooperative).filter(is_transferable=True)
    form = forms.AskTransferForm(request.POST or None, classes=classes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = call_service(
            form,
            services.ask_to_transfer_shares,
            data["share_class"],
            actor=request.user,
            count=data["count"],
            to_member_number=data["to_member_number"],
            note=data["note"],
        )
        if result is not FAILED:
            messages.success(
                request, _("Your request has been sent to the board. You will hear from them.")
            )
            return redirect("shares:ask_transfer", slug=request.cooperative.slug)
    return _render(
        request,
        "shares/ask_transfer.html",
        {
            "form": form,
            "has_classes": classes.exists(),
            "requests": selectors.transfer_requests_of(request.membership),
        },
    )


TRANSFER_REQUEST_DECISIONS = {
    "withdraw": (
        None,
        lambda r, actor, data: services.withdraw_transfer_request(r, actor=actor),
        gettext_lazy("Your request has been withdrawn."),
        "shares:ask_transfer",
    ),
    "refuse": (
        forms.ReasonForm,
        lambda r, actor, data: services.refuse_transfer_request(r, actor=actor, **data),
        gettext_lazy("The request has been refused."),
        "shares:manage",
    ),
    "carry-out": (
        forms.CarryOutTransferForm,
        lambda r, actor, data: services.transfer_shares(
            r.from_membership,
            actor=actor,
            share_class=r.share_class,
            count=r.count,
            to_member_number=r.to_membership.member_number,
            request=r,
            **data,
        ),
        gettext_lazy("The transfer has been recorded."),
        "shares:manage",
    ),
}


@cooperative_view()
@require_POST
def transfer_request_decision(request, pk, decision):
    """Withdraw (the asker), carry out or refuse (the board) a request to transfer shares. A
    refusal by a service comes back as a message on the page the person came from."""
    if decision not in TRANSFER_REQUEST_DECISIONS:
        raise Http404
    transfer_request = get_object_or_404(
        TransferRequest.objects.select_related("share_class", "from_membership", "to_membership"),
        cooperative=request.cooperative,
        pk=pk,
    )
    if transfer_request.from_membership_id != request.membership.pk and not holds_role(
        request.membership, Role.BOARD, Role.TREASURER
    ):
        raise Http404
    form_class, call, done, back = TRANSFER_REQUEST_DECISIONS[decision]
    form = form_class(request.POST, prefix=f"{decision}-{pk}") if form_class else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            call(transfer_request, request.user, form.cleaned_data if form else {})
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, done)
    return redirect(back, slug=request.cooperative.slug)


def _cancel_page(request, *, service, title, intro, done):
    classes = _classes(request.cooperative)
    form = forms.MemberSharesForm(
        request.POST or None, classes=classes, initial={"on_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        holder = _member(request.cooperative, data.pop("member_number"))
        on_date = data.pop("on_date")
        if holder is None:
            form.add_error("member_number", _("There is no member with this number."))
        else:
            result = call_service(
                form, service, holder, actor=request.user, on_date=on_date, **data
            )
            if result is not FAILED:
                messages.success(request, done)
                return redirect("shares:manage", slug=request.cooperative.slug)
    return _render(
        request,
        "shares/member_shares_form.html",
        {"form": form, "title": title, "intro": intro},
    )


@cooperative_view(Role.TREASURER)
def redeem(request):
    return _cancel_page(
        request,
        service=lambda holder, *, actor, on_date, **data: services.redeem_shares(
            holder, actor=actor, paid_on=on_date, **data
        ),
        title=_("Buy shares back"),
        intro=_(
            "The cooperative buys shares back at their nominal value and pays the member from "
            "the bank account. The shares are cancelled."
        ),
        done=_("The shares have been bought back."),
    )


@cooperative_view(Role.BOARD)
def gift_back(request):
    return _cancel_page(
        request,
        service=lambda holder, *, actor, on_date, **data: services.gift_shares_back(
            holder, actor=actor, given_on=on_date, **data
        ),
        title=_("Accept shares given back"),
        intro=_(
            "A member gives shares back to the cooperative for nothing. The shares are "
            "cancelled; what was paid for them goes to the reinvestment reserve."
        ),
        done=_("The shares given back have been cancelled."),
    )


def _register_date(request):
    form = forms.RegisterDateForm(request.GET or None)
    at = form.cleaned_data.get("at") if form.is_valid() else None
    return form, at or timezone.localdate()


@cooperative_view(*REGISTER_ROLES)
def register(request):
    """The register as a page, or with ?format=csv as a spreadsheet to download."""
    form, at = _register_date(request)
    if request.GET.get("format") == "csv":
        return _register_csv(request, at)
    lines = selectors.register_lines(request.cooperative, at=at)
    return _render(
        request,
        "shares/register.html",
        {
            "form": form,
            "at": at,
            "holders": selectors.group_by_holder(lines),
            "totals": selectors.register_totals(lines),
        },
    )


@cooperative_view(*REGISTER_ROLES)
def register_print(request):
    _form, at = _register_date(request)
    lines = selectors.register_lines(request.cooperative, at=at)
    return _render(
        request,
        "shares/register_print.html",
        {
            "at": at,
            "holders": selectors.group_by_holder(lines),
            "totals": selectors.register_totals(lines),
            "printed_at": timezone.localtime(),
        },
    )


def _register_csv(request, at):
    rows = register_rows(selectors.register_lines(request.cooperative, at=at))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"share-register-{request.cooperative.slug}-{at.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.DictWriter(response, fieldnames=REGISTER_COLUMNS)
    writer.writeheader()
    writer.writerows({key: csv_safe(value) for key, value in row.items()} for row in rows)
    return response
