"""Every change to a payment: starting it, acting on what Stripe reports, refunding it. Each runs
in one database transaction and appends exactly one audit event when the payment changes.

The invariants: a payment's status only moves forward (a failed payment may be tried again);
the subject's `succeeded` handler runs once per payment and its `refunded` handler once, after
it; what we record is what Stripe reports for the PaymentIntent, fetched again before acting, so
events that arrive twice, late or out of order end in the same state. The payment's row is
locked while it is decided on, so concurrent deliveries of one event take turns and the second
finds the first one's inbox row.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from members.models import Cooperative, Role
from members.permissions import require_role
from wijkbv.audit.services import append_event
from wijkbv.errors import DomainError
from wijkbv.ledger.lines import credit, debit
from wijkbv.ledger.models import Account, Purpose, Transaction, cents
from wijkbv.ledger.services import post_transaction
from wijkbv.payments import balance, handlers, stripe_api
from wijkbv.payments.models import (
    PAYOUT_RETURNED,
    BalanceFetch,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Payout,
    StripeEvent,
    StripeFee,
)
from wijkbv.payments.states import RANK, moves_forward, reported_status

STARTED = "payment.started"
REFUNDED = "payment.refunded"
BALANCE_FETCHED = "stripe.balance_fetched"
PAYOUT_ARRIVED = "stripe.payout_arrived"

# Who may give a member's money back.
REFUND_ROLES = (Role.TREASURER, Role.BOARD)
# Who fetches the Stripe balance and records a payout arriving at the bank.
STRIPE_BALANCE_ROLES = (Role.TREASURER,)
# The code of Bank and payment costs in the standard chart (wijkbv/ledger/chart.py).
COSTS_CODE = "4100"
# A fetch reads again the balance transactions of this long before the newest one read last
# time, in case Stripe listed one late; their stored ids keep them from being booked twice.
OVERLAP_SECONDS = 15 * 60

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


@dataclass
class Fetched:
    """What one fetch of the Stripe balance booked: `fees` and `payouts` new to the books,
    `reversed` payouts Stripe reports failed or cancelled, `not_booked` what was read that could
    not be booked for this cooperative, and the ledger `transaction` (None when nothing moved)."""

    fetch: BalanceFetch | None
    fees: list = field(default_factory=list)
    payouts: list = field(default_factory=list)
    reversed: list = field(default_factory=list)
    not_booked: int = 0
    transaction: Transaction | None = None


def fetch_stripe_balance(cooperative, *, actor) -> Fetched:
    """Read Stripe's balance transactions (those new since the last fetch) and payouts, and book
    for this cooperative, in one ledger transaction dated today: each fee (Bank and payment
    costs against the Stripe balance), each new payout (Money in transit against the Stripe
    balance) and the reversal of each booked payout Stripe now reports failed or cancelled.

    Stripe is asked first, without locks; then, under the cooperative's row lock, what is already
    stored (by its unique Stripe id) is left out, so a fetch repeated or running at the same
    time books nothing twice. One fetch is one audit event, `stripe.balance_fetched`, naming
    what it booked. Stripe not set up or not answering: a DomainError, and nothing written."""
    _require_treasurer(actor, cooperative)
    if not stripe_api.is_configured():
        raise DomainError(
            _("Stripe is not set up for this site, so there is nothing to fetch."),
            code="stripe_not_configured",
        )
    seen_until = BalanceFetch.objects.filter(cooperative=cooperative).aggregate(
        last=Max("seen_until")
    )["last"]
    since = None if seen_until is None else seen_until - OVERLAP_SECONDS
    try:
        transactions = stripe_api.balance_transactions_since(since)
        fees = balance.fees_of(transactions)
        payouts = balance.payouts_of(stripe_api.all_payouts())
    except stripe_api.StripeUnavailable:
        raise DomainError(
            _(
                "Stripe could not be reached or refused the request. Nothing has been booked; try again later."
            ),
            code="stripe_unavailable",
        ) from None
    newest = max((item.created for item in transactions), default=None)
    with transaction.atomic():
        cooperative = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
        result = Fetched(fetch=None)
        owner = _Attribution(cooperative, [fee.payment_intent for fee in fees])
        new_fees = _new_fees(fees, owner, result)
        new_payouts, returned, moved = _payouts_to_book(cooperative, payouts, since, owner, result)
        fetch = result.fetch = BalanceFetch.objects.create(
            cooperative=cooperative,
            fetched_by=actor,
            seen_until=max(filter(None, (seen_until, newest)), default=None),
            not_booked=result.not_booked,
        )
        payload = {
            "fetch": fetch.pk,
            "fees": [[fee.stripe_id, str(cents(fee.fee.amount))] for fee, _payment in new_fees],
            "payouts": [[seen.stripe_id, str(cents(seen.amount.amount))] for seen in new_payouts],
            "reversed": [payout.stripe_id for payout in returned],
            "statuses": [[payout.stripe_id, payout.status] for payout in moved],
            "not_booked": result.not_booked,
        }
        lines = _lines(cooperative, new_fees, new_payouts, returned)
        if lines:
            result.transaction = post_transaction(
                cooperative,
                actor=actor,
                booking_date=timezone.localdate(),
                description=_("Stripe: fees and payouts"),
                lines=lines,
                cause=fetch,
                action=BALANCE_FETCHED,
                details=payload,
            )
        else:
            append_event(
                cooperative, actor=actor, action=BALANCE_FETCHED, subject=fetch, payload=payload
            )
        _store(cooperative, result, new_fees, new_payouts, moved, returned)
    return result


@transaction.atomic
def record_payout_arrival(
    payout: Payout,
    *,
    actor,
    bank_ledger_account: Account,
    booked_on: datetime.date,
    amount: Money | None = None,
    cause=None,
    details: dict | None = None,
) -> Transaction:
    """A bank line shows the payout arriving: book it from Money in transit to the bank
    account's ledger account on `booked_on`, and mark the payout arrived. `amount` is what the
    bank line shows, when known; `cause` and `details` name the bank line in the booking and its
    audit event (`stripe.payout_arrived`). Refused, with nothing written, when the payout has
    arrived already or never will, the amount or currency differ, or the account is not a bank
    account of the payout's cooperative."""
    cooperative = Cooperative.objects.select_for_update().get(pk=payout.cooperative_id)
    payout = Payout.objects.select_for_update().get(pk=payout.pk)
    _require_treasurer(actor, cooperative)
    if payout.has_arrived:
        raise DomainError(
            _("This payout has already arrived at the bank (on %(date)s).")
            % {"date": payout.arrived_on.isoformat()},
            code="payout_arrived",
        )
    if payout.reversal_id is not None or payout.status in PAYOUT_RETURNED:
        raise DomainError(
            _("Stripe reports this payout as failed or cancelled: it will not arrive."),
            code="payout_returned",
        )
    if (
        not isinstance(bank_ledger_account, Account)
        or bank_ledger_account.cooperative_id != cooperative.pk
        or bank_ledger_account.purpose != Purpose.BANK
    ):
        raise DomainError(
            _("Choose a bank account of this cooperative."), field="bank_ledger_account"
        )
    currency = payout.amount.currency.code
    if bank_ledger_account.currency != currency or (
        amount is not None and amount.currency.code != currency
    ):
        raise DomainError(
            _("The payout is in %(currency)s; the bank shows another currency.")
            % {"currency": currency},
            code="currency_differs",
        )
    if amount is not None and cents(amount.amount) != cents(payout.amount.amount):
        raise DomainError(
            _("The payout is %(payout)s %(currency)s, but the bank shows %(amount)s.")
            % {
                "payout": cents(payout.amount.amount),
                "amount": cents(amount.amount),
                "currency": currency,
            },
            code="amount_differs",
        )
    ours = {"payout": payout.pk, "stripe_payout": payout.stripe_id}
    details = details or {}
    if ours.keys() & details.keys():
        raise ValueError(f"details may not replace {sorted(ours.keys() & details.keys())}")
    in_transit = _account(cooperative, purpose=Purpose.IN_TRANSIT)
    booked = post_transaction(
        cooperative,
        actor=actor,
        booking_date=booked_on,
        description=_("Stripe payout %(id)s arrived") % {"id": payout.stripe_id},
        lines=[debit(bank_ledger_account, payout.amount), credit(in_transit, payout.amount)],
        cause=cause if cause is not None else payout,
        action=PAYOUT_ARRIVED,
        details=ours | details,
    )
    payout.arrival_transaction = booked
    payout.arrived_on = booked_on
    payout.save(update_fields=["arrival_transaction", "arrived_on"])
    return booked


def _require_treasurer(actor, cooperative) -> None:
    # None is the system (the command run by cron, the bank matching); site staff may act as it.
    if actor is None or actor.is_staff:
        return
    require_role(actor, cooperative, *STRIPE_BALANCE_ROLES)


class _Attribution:
    """Whose a fee or payout is. A fee belongs to the cooperative of our payment its
    PaymentIntent names; a payout (or a payout's fee) to the cooperative its metadata names by
    slug. Anything else belongs to the one cooperative of the site if there is only one, and
    to nobody otherwise (docs/decisions/0024-stripe-balance-and-payouts.md)."""

    def __init__(self, cooperative, payment_intents):
        self.cooperative = cooperative
        self.payments = {
            payment.stripe_payment_intent_id: payment
            for payment in Payment.objects.filter(
                stripe_payment_intent_id__in=[pi for pi in payment_intents if pi]
            ).only("pk", "cooperative_id", "stripe_payment_intent_id")
        }
        others = Cooperative.objects.exclude(pk=cooperative.pk)
        self.alone = not others.exists()

    def owner(self, payment_intent, slug):
        """(True, payment) when it is this cooperative's; (False, None) when it is another's;
        (None, None) when it is nobody's."""
        payment = self.payments.get(payment_intent) if payment_intent else None
        if payment is not None:
            return (payment.cooperative_id == self.cooperative.pk, payment)
        if slug:
            return (slug == self.cooperative.slug, None)
        return (True, None) if self.alone else (None, None)


def _new_fees(fees, owner: _Attribution, result: Fetched) -> list:
    stored = set(
        StripeFee.objects.filter(stripe_id__in=[fee.stripe_id for fee in fees]).values_list(
            "stripe_id", flat=True
        )
    )
    new = []
    for fee in fees:
        if fee.stripe_id in stored:
            continue
        ours, payment = owner.owner(fee.payment_intent, fee.cooperative_slug)
        if ours is None or (ours and fee.fee.currency.code != owner.cooperative.currency):
            result.not_booked += 1
        elif ours:
            new.append((fee, payment))
    return new


def _payouts_to_book(cooperative, payouts, since, owner: _Attribution, result: Fetched):
    """The payouts new to the books, the booked ones to reverse, and those whose status moved."""
    held = {
        payout.stripe_id: payout
        for payout in Payout.objects.select_for_update().filter(
            stripe_id__in=[seen.stripe_id for seen in payouts]
        )
    }
    new, returned, moved = [], [], []
    for seen in payouts:
        payout = held.get(seen.stripe_id)
        if payout is None:
            if (since is not None and seen.created < since) or seen.status in PAYOUT_RETURNED:
                continue  # read by an earlier fetch, or nothing left the balance
            ours, _payment = owner.owner(None, seen.cooperative_slug)
            if ours is None or (ours and seen.amount.currency.code != cooperative.currency):
                result.not_booked += 1
            elif ours and seen.amount.amount > 0:
                new.append(seen)
            elif ours:
                result.not_booked += 1
            continue
        if payout.cooperative_id != cooperative.pk or payout.status == seen.status:
            continue
        # A payout the bank has shown arriving stays as the bank showed it.
        if payout.has_arrived:
            continue
        payout.status = seen.status
        moved.append(payout)
        if seen.status in PAYOUT_RETURNED and payout.reversal_id is None:
            returned.append(payout)
    return new, returned, moved


def _lines(cooperative, new_fees, new_payouts, returned) -> list:
    charged = sum((fee.fee.amount for fee, _p in new_fees if fee.fee.amount > 0), cents(0))
    given_back = -sum((fee.fee.amount for fee, _p in new_fees if fee.fee.amount < 0), cents(0))
    paid_out = sum((seen.amount.amount for seen in new_payouts), cents(0))
    put_back = sum((payout.amount.amount for payout in returned), cents(0))
    if not (charged or given_back or paid_out or put_back):
        return []
    currency = cooperative.currency
    stripe_balance = _account(cooperative, purpose=Purpose.STRIPE)
    in_transit = _account(cooperative, purpose=Purpose.IN_TRANSIT)
    lines = []
    if charged:
        costs = _account(cooperative, code=COSTS_CODE)
        lines += [
            debit(costs, Money(charged, currency)),
            credit(stripe_balance, Money(charged, currency)),
        ]
    if given_back:
        costs = _account(cooperative, code=COSTS_CODE)
        lines += [
            debit(stripe_balance, Money(given_back, currency)),
            credit(costs, Money(given_back, currency)),
        ]
    if paid_out:
        lines += [
            debit(in_transit, Money(paid_out, currency)),
            credit(stripe_balance, Money(paid_out, currency)),
        ]
    if put_back:
        lines += [
            debit(stripe_balance, Money(put_back, currency)),
            credit(in_transit, Money(put_back, currency)),
        ]
    return lines


def _store(cooperative, result: Fetched, new_fees, new_payouts, moved, returned) -> None:
    fetch, booked = result.fetch, result.transaction
    result.fees = StripeFee.objects.bulk_create(
        [
            StripeFee(
                stripe_id=fee.stripe_id,
                cooperative=cooperative,
                fetch=fetch,
                kind=fee.kind[:40],
                source_id=fee.source_id[:255],
                payment=payment,
                fee=fee.fee,
                created_at=balance.moment(fee.created),
                transaction=booked,
            )
            for fee, payment in new_fees
        ]
    )
    result.payouts = [
        Payout.objects.create(
            stripe_id=seen.stripe_id,
            cooperative=cooperative,
            fetch=fetch,
            amount=seen.amount,
            arrival_date=seen.arrival_date,
            status=seen.status,
            created_at=balance.moment(seen.created),
            transaction=booked,
        )
        for seen in new_payouts
    ]
    for payout in moved:
        if payout in returned:
            payout.reversal = booked
        payout.save(update_fields=["status", "reversal"])
    result.reversed = returned


def _account(cooperative, *, purpose=None, code=None) -> Account:
    accounts = Account.objects.filter(cooperative=cooperative)
    found = accounts.filter(code=code) if code else accounts.filter(purpose=purpose)
    account = found.order_by("code").first()
    if account is None:
        raise DomainError(
            _("The chart of accounts has no account for Stripe's money (%(what)s).")
            % {"what": code or purpose},
            code="no_account",
        )
    return account
