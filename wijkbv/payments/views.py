"""The pay page, the page the payer returns to, and Stripe's webhook. Views are thin: the
webhook checks the signature and calls one service; the pages only read."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from wijkbv.errors import DomainError
from wijkbv.payments import selectors, services, stripe_api, webhooks
from wijkbv.payments.models import PaymentStatus
from wijkbv.payments.states import RANK, reported_status

logger = logging.getLogger(__name__)


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
