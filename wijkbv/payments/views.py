"""The pay page, the page the payer returns to, Stripe's webhook, and the treasurer's page of
Stripe's fees and payouts. Views are thin: the webhook checks the signature and calls one
service; the fetch button calls one service; the pages only read."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from members.models import Role
from members.permissions import cooperative_view, holds_role
from wijkbv.errors import DomainError
from wijkbv.payments import selectors, services, stripe_api, webhooks
from wijkbv.payments.models import PaymentStatus
from wijkbv.payments.states import RANK, reported_status

logger = logging.getLogger(__name__)

# Who reads the Stripe fees and payouts: the treasurer keeps them, the board and the audit
# committee check them. Fetching is the treasurer's (services.STRIPE_BALANCE_ROLES).
STRIPE_READ_ROLES = (Role.TREASURER, Role.BOARD, Role.AUDIT_COMMITTEE)


def _payment_or_404(request, pk):
    payment = selectors.payment_of(request.user, pk)
    if payment is None:
        raise Http404
    return payment


@login_required
@require_GET
def pay(request, pk):
    """The Payment Element of Stripe.js, for the payer alone. Card details go from the payer's
    browser to Stripe, never to us."""
    payment = _payment_or_404(request, pk)
    client_secret = ""
    unavailable = False
    if payment.is_open:
        try:
            intent = stripe_api.retrieve_payment_intent(payment.stripe_payment_intent_id)
        except stripe_api.StripeUnavailable:
            unavailable = True
        else:
            client_secret = intent.client_secret
    return render(
        request,
        "payments/pay.html",
        {
            "payment": payment,
            "cooperative": payment.cooperative,
            "client_secret": client_secret,
            "unavailable": unavailable,
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            "stripe_js_url": settings.STRIPE_JS_URL,
            "return_url": request.build_absolute_uri(reverse("payments:done", args=[payment.pk])),
        },
    )


@login_required
@require_GET
def done(request, pk):
    """Where Stripe sends the payer back. What the address says is not trusted: the page asks
    Stripe how the payment stands, and shows that where it is ahead of what we have recorded
    (the webhook that records it may still be on its way)."""
    payment = _payment_or_404(request, pk)
    status = payment.status
    try:
        intent = stripe_api.retrieve_payment_intent(payment.stripe_payment_intent_id)
        reported = reported_status(payment, intent)
    except (stripe_api.StripeUnavailable, DomainError):
        reported = status
    if RANK[reported] > RANK[status]:
        status = reported
    return render(
        request,
        "payments/done.html",
        {
            "payment": payment,
            "cooperative": payment.cooperative,
            "status": PaymentStatus(status),
            "recorded": status == payment.status,
        },
    )


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe tells us about a payment. A 2xx answer tells Stripe to stop delivering the event;
    a 4xx says the request is refused; a 503 asks it to try again later."""
    try:
        event = webhooks.verified_event(request.body, request.headers.get("Stripe-Signature"))
    except webhooks.Refused as refused:
        return _answer(400, f"Refused: {refused}.")
    try:
        services.handle_stripe_event(event)
    except DomainError as error:
        return _answer(error.status_code, str(error.message))
    except stripe_api.StripeUnavailable:
        logger.warning("Stripe could not be asked about event %s", event["id"])
        return _answer(503, "Stripe could not be asked about this event; send it again later.")
    except IntegrityError:
        # Another delivery of the same event was recorded between our check and our insert.
        return _answer(200, "Already received.")
    return _answer(200, "Received.")


def _answer(status: int, text: str) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


@cooperative_view(*STRIPE_READ_ROLES)
def stripe_balance(request):
    """The treasurer's page of Stripe's fees and payouts; the treasurer fetches from Stripe
    here, the board and the audit committee read."""
    may_fetch = holds_role(request.membership, *services.STRIPE_BALANCE_ROLES)
    if request.method == "POST":
        if not may_fetch:
            raise PermissionDenied
        try:
            fetched = services.fetch_stripe_balance(request.cooperative, actor=request.user)
        except DomainError as error:
            return _stripe_page(request, may_fetch, error=str(error.message), status=400)
        messages.success(request, _fetched_message(fetched))
        return redirect("payments:stripe_balance", slug=request.cooperative.slug)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return _stripe_page(request, may_fetch)


def _stripe_page(request, may_fetch, *, error="", status=200):
    cooperative = request.cooperative
    return render(
        request,
        "payments/stripe_balance.html",
        {
            "cooperative": cooperative,
            "membership": request.membership,
            "configured": stripe_api.is_configured(),
            "may_fetch": may_fetch,
            "error": error,
            "last_fetch": selectors.last_fetch(cooperative),
            "in_transit": selectors.payouts_in_transit(cooperative),
            "arrived": selectors.arrived_payouts(cooperative),
            "returned": selectors.returned_payouts(cooperative),
            "fees": selectors.fees_per_month(cooperative),
        },
        status=status,
    )


def _fetched_message(fetched) -> str:
    if not (fetched.fees or fetched.payouts or fetched.reversed):
        return gettext("Fetched from Stripe: nothing new to book.")
    return gettext(
        "Fetched from Stripe: %(fees)s new fees, %(payouts)s new payouts and %(reversed)s "
        "payouts reversed have been booked."
    ) % {
        "fees": len(fetched.fees),
        "payouts": len(fetched.payouts),
        "reversed": len(fetched.reversed),
    }
