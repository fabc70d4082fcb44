"""Every change to a payment: starting it, acting on what Stripe reports, refunding it. Each runs
in one database transaction and appends exactly one audit event when the payment changes.

The invariants: a payment's status only moves forward (a failed payment may be tried again);
the subject's `succeeded` handler runs once per payment and its `refunded` handler once, after
it; what we record is what Stripe reports for the PaymentIntent, fetched again before acting, so
events that arrive twice, late or out of order end in the same state. The payment's row is
locked while it is decided on, so concurrent deliveries of one event take turns and the second
finds the first one's inbox row.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from moneyed import Money

from members.models import Role
from members.permissions import require_role
from wijkbv.audit.services import append_event
from wijkbv.errors import DomainError
from wijkbv.ledger.models import cents
from wijkbv.payments import handlers, stripe_api
from wijkbv.payments.models import Payment, PaymentMethod, PaymentStatus, StripeEvent
from wijkbv.payments.states import RANK, moves_forward, reported_status

STARTED = "payment.started"
REFUNDED = "payment.refunded"

# Who may give a member's money back.
REFUND_ROLES = (Role.TREASURER, Role.BOARD)

# Events that can change a payment, and where in them the PaymentIntent's id is.
_INTENT_EVENTS = frozenset(
    {
        "payment_intent.succeeded",
        "payment_intent.processing",
        "payment_intent.payment_failed",
        "payment_intent.canceled",
    }
)
_CHARGE_EVENTS = frozenset({"charge.refunded", "charge.refund.updated"})


class UnknownPayment(DomainError):
    """A Stripe event about a PaymentIntent that none of our payments has."""

    def __init__(self, payment_intent_id: str):
        super().__init__(
            _("No payment here has the PaymentIntent %(id)s.") % {"id": payment_intent_id},
            code="unknown_payment",
        )


def start_stripe_payment(
    cooperative, *, actor, subject: str, amount: Money, description: str
) -> Payment:
    """Start an online payment by `actor` for `subject` ("app_label.model:pk", whose app has
    registered handlers): a PaymentIntent for card and iDEAL, made with an idempotency key of
    this payment's own. The payer then pays on the pay page, with Stripe.js."""
    require_role(actor, cooperative)
    if not handlers.is_registered(subject.partition(":")[0]) or not subject.partition(":")[2]:
        raise ValueError(f"no payment handlers are registered for {subject!r}")
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Describe what the payment is for."), field="description")
    if len(description) > Payment._meta.get_field("description").max_length:
        raise DomainError(_("Keep the description under 200 characters."), field="description")
    _check_amount(cooperative, amount)
    with transaction.atomic():
        payment = Payment.objects.create(
            cooperative=cooperative,
            payer=actor,
            subject=subject,
            description=description,
            amount=amount,
            method=PaymentMethod.STRIPE,
        )
        try:
            intent = stripe_api.create_payment_intent(payment)
        except stripe_api.StripeUnavailable:
            raise DomainError(
                _(
                    "Paying online is not possible at the moment. Try again later, or pay by "
                    "bank transfer."
                ),
                code="stripe_unavailable",
            ) from None
        payment.stripe_payment_intent_id = intent.id
        payment.save(update_fields=["stripe_payment_intent_id"])
        append_event(
            cooperative,
            actor=actor,
            action=STARTED,
            subject=payment,
            payload=_payload(payment) | {"method": payment.method, "payment_intent": intent.id},
        )
    return payment


def handle_stripe_event(event) -> Payment | None:
    """Act on a verified Stripe webhook event: record it in the inbox and bring its payment to
    the state Stripe reports now, in one transaction, under the payment's row lock.

    Returns the payment, or None for an event that is about no payment. An event already in
    the inbox changes nothing. An event about a PaymentIntent we do not know raises
    UnknownPayment and writes nothing."""
    event_id, event_type = event["id"], event["type"]
    intent_id = _payment_intent_id(event_type, event["data"]["object"])
    if intent_id is None:
        return None
    with transaction.atomic():
        payment = (
            # The payment's row alone: the cooperative's is locked later, in its turn.
            Payment.objects.select_for_update(of=("self",))
            .select_related("cooperative")
            .filter(stripe_payment_intent_id=intent_id)
            .first()
        )
        if payment is None:
            raise UnknownPayment(intent_id)
        if StripeEvent.objects.filter(event_id=event_id).exists():
            return payment
        # What the event says may be stale by now; what Stripe says now is not. If Stripe
        # cannot be asked (StripeUnavailable), the event is delivered again and acted on then.
        intent = stripe_api.retrieve_payment_intent(intent_id)
        StripeEvent.objects.create(event_id=event_id, type=event_type, payment=payment)
        target = reported_status(payment, intent)
        if moves_forward(payment.status, target):
            before = payment.status
            _apply(payment, target, actor=None, reason=_("Refunded at Stripe."))
            append_event(
                payment.cooperative,
                actor=None,
                action=f"payment.{target}",
                subject=payment,
                payload=_payload(payment)
                | {
                    "from": before,
                    "status": target,
                    "payment_intent": intent_id,
                    "stripe_event": event_id,
                },
            )
    return payment


def refund_payment(payment: Payment, *, actor, reason: str) -> Payment:
    """Give a paid payment back in full: the subject's `refunded` handler (which reverses its
    bookings, or refuses), then a Stripe refund with this payment's own idempotency key."""
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update(of=("self",))
            .select_related("cooperative")
            .get(pk=payment.pk)
        )
        if actor is not None and not actor.is_staff:
            require_role(actor, payment.cooperative, *REFUND_ROLES)
        reason = (reason or "").strip()
        if not reason:
            raise DomainError(_("Give a reason for the refund."), field="reason")
        if payment.status == PaymentStatus.REFUNDED:
            raise DomainError(_("This payment has already been refunded."))
        if payment.status != PaymentStatus.SUCCEEDED:
            raise DomainError(_("Only a payment that has been paid can be refunded."))
        # The subject may refuse (shares already issued are bought back, not refunded), so it
        # decides first; Stripe is asked last, and if it refuses, all of it is rolled back. Should
        # the commit fail after Stripe refunded, its charge.refunded event brings us there.
        _apply(payment, PaymentStatus.REFUNDED, actor=actor, reason=reason)
        try:
            refund = stripe_api.create_refund(payment)
        except stripe_api.StripeUnavailable:
            raise DomainError(
                _("Stripe did not accept the refund. Try again later."), code="stripe_unavailable"
            ) from None
        if refund.status not in ("succeeded", "pending"):
            raise DomainError(_("Stripe did not accept the refund. Try again later."))
        append_event(
            payment.cooperative,
            actor=actor,
            action=REFUNDED,
            subject=payment,
            payload=_payload(payment)
            | {
                "from": PaymentStatus.SUCCEEDED,
                "status": PaymentStatus.REFUNDED,
                "payment_intent": payment.stripe_payment_intent_id,
                "refund": refund.id,
                "reason": reason,
            },
        )
    return payment


def _check_amount(cooperative, amount) -> None:
    if not isinstance(amount, Money):
        raise TypeError(f"an amount is Money, not {type(amount).__name__}")
    if amount.currency.code != cooperative.currency:
        raise DomainError(
            _("Pay in %(currency)s, the currency of the cooperative.")
            % {"currency": cooperative.currency},
            field="amount",
        )
    if not amount.amount.is_finite() or amount.amount <= 0:
        raise DomainError(_("An amount must be more than zero."), field="amount")
    try:
        stripe_api.minor_units(amount)
    except ValueError:
        raise DomainError(
            _("%(amount)s has more decimals than %(currency)s has.")
            % {"amount": amount.amount, "currency": amount.currency.code},
            field="amount",
        ) from None


def _payment_intent_id(event_type: str, obj) -> str | None:
    if event_type in _INTENT_EVENTS:
        return obj["id"]
    if event_type in _CHARGE_EVENTS:
        return getattr(obj, "payment_intent", None)
    return None


def _apply(payment: Payment, target: str, *, actor, reason: str) -> None:
    """Move the locked payment to `target`, running the subject's handlers it passes by: a
    payment refunded before we heard it succeeded has succeeded first."""
    subject = handlers.handlers_for(payment.subject)
    succeeded_rank = RANK[PaymentStatus.SUCCEEDED]
    if RANK[payment.status] < succeeded_rank <= RANK[target]:
        subject.succeeded(payment, actor=actor)
    if target == PaymentStatus.REFUNDED:
        subject.refunded(payment, actor=actor, reason=reason)
    payment.status = target
    payment.save(update_fields=["status"])


def _payload(payment: Payment) -> dict:
    return {
        "payment": payment.pk,
        "subject": payment.subject,
        "amount": str(cents(payment.amount.amount)),
        "currency": payment.amount.currency.code,
    }
