"""Every change to share classes, subscriptions and holdings.

Each decision runs in one transaction, locks what it decides on and appends one audit event;
where money moves, the ledger booking's event is that one event (`post_transaction` with the
decision's own action). Payloads name members by number, never by name.

Invariants: the shares of a class held and set aside for open subscriptions never exceed its
authorised number; no member holds or asks for more than the class's and the articles' caps;
certificate numbers are consecutive per class and never used twice. Every service that counts
shares locks the class row first, then the members' rows (in order of their key), then the
ledger does its own locking: so two services never wait for each other in a circle.
"""

import datetime
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from moneyed import Money

from members.models import Membership, MembershipStatus, Role
from members.permissions import require_role
from shares.models import (
    OPEN_STATUSES,
    Cancellation,
    CancellationKind,
    LotEnd,
    LotOrigin,
    PaymentMethod,
    ShareClass,
    ShareLot,
    Subscription,
    SubscriptionStatus,
    Transfer,
    TransferRequest,
    TransferRequestStatus,
)
from shares.references import payment_reference_for
from wijkbv.audit.services import append_event
from wijkbv.audit.statements import AnyOf, array_literal
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.lines import credit, debit
from wijkbv.ledger.models import Account, Purpose, Transaction
from wijkbv.ledger.services import (
    Booking,
    post_transaction,
    post_transactions,
    reverse_transaction,
)

# More shares than this in one request is a typing mistake, whatever a class authorises.
MAX_SHARES = 1_000_000
MAX_NOMINAL = Decimal("1000000")


def _is_system(actor) -> bool:
    """None is the system (a webhook, a management command); site staff may act as it too."""
    return actor is None or actor.is_staff


def _require(actor, cooperative, *roles):
    if _is_system(actor):
        return None
    return require_role(actor, cooperative, *roles)


def _clean_count(count) -> int:
    """A number of shares as a whole number of 1 or more, or a DomainError a person reads."""
    if isinstance(count, bool):
        count = None
    if isinstance(count, Decimal | float) and count == int(count):
        count = int(count)
    if isinstance(count, str) and count.strip().isdigit():
        count = int(count.strip())
    if not isinstance(count, int) or count < 1:
        raise DomainError(
            _("Fill in a whole number of shares: 1 or more, no fractions."), field="count"
        )
    if count > MAX_SHARES:
        raise DomainError(
            _("That is more shares than the cooperative could ever issue."), field="count"
        )
    return count


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _account(cooperative, purpose: str) -> Account:
    account = Account.objects.filter(cooperative=cooperative, purpose=purpose).order_by("code")
    found = account.first()
    if found is None:
        raise DomainError(_("The cooperative's book has no account for this."))
    return found


def _lock_class(share_class) -> ShareClass:
    return ShareClass.objects.select_for_update().get(pk=share_class.pk)


def _lock_subscription(subscription) -> Subscription:
    return (
        Subscription.objects.select_for_update()
        .select_related("share_class", "membership", "cooperative")
        .get(pk=subscription.pk)
    )


def _lock_members(*memberships) -> None:
    pks = sorted({membership.pk for membership in memberships})
    list(Membership.objects.select_for_update().filter(pk__in=pks).order_by("pk"))


def _held(share_class, membership=None) -> int:
    lots = ShareLot.objects.filter(share_class=share_class, held_until__isnull=True)
    if membership is not None:
        lots = lots.filter(membership=membership)
    return lots.aggregate(total=Sum("count"))["total"] or 0


def _reserved(share_class, membership=None) -> int:
    subscriptions = Subscription.objects.filter(share_class=share_class, status__in=OPEN_STATUSES)
    if membership is not None:
        subscriptions = subscriptions.filter(membership=membership)
    return subscriptions.aggregate(total=Sum("count"))["total"] or 0


def _member_total(membership) -> int:
    """Shares of every class the member holds or has asked for."""
    held = ShareLot.objects.filter(membership=membership, held_until__isnull=True).aggregate(
        total=Sum("count")
    )["total"]
    asked = Subscription.objects.filter(membership=membership, status__in=OPEN_STATUSES).aggregate(
        total=Sum("count")
    )["total"]
    return (held or 0) + (asked or 0)


def _check_caps(share_class, membership, count: int) -> None:
    """Refuse when `count` more shares would put the member over the class's or the articles'
    cap. The caller holds the class's and the member's row locks."""
    cooperative = share_class.cooperative
    in_class = _held(share_class, membership) + _reserved(share_class, membership)
    if share_class.max_per_member is not None and in_class + count > share_class.max_per_member:
        raise DomainError(
            _(
                "One member may hold at most %(cap)s shares %(code)s; with this you would have %(total)s."
            )
            % {
                "cap": share_class.max_per_member,
                "code": share_class.code,
                "total": in_class + count,
            },
            field="count",
            code="over_cap",
        )
    cap = cooperative.max_shares_per_member
    if cap is not None:
        total = _member_total(membership)
        if total + count > cap:
            raise DomainError(
                _(
                    "The articles allow at most %(cap)s shares per member; with this you would have %(total)s."
                )
                % {"cap": cap, "total": total + count},
                field="count",
                code="over_cap",
            )


def _subscription_payload(subscription, **more) -> dict:
    return {
        "subscription": subscription.pk,
        "member_number": subscription.membership.member_number,
        "share_class": subscription.share_class.code,
        "count": subscription.count,
        "amount": _money(subscription.amount),
    } | more


@transaction.atomic
def create_share_class(
    cooperative,
    *,
    actor,
    code: str,
    name: str,
    nominal_value: Money,
    authorised_shares: int,
    votes_per_share: int = 1,
    max_per_member: int | None = None,
    is_transferable: bool = True,
    requires_board_approval: bool = True,
    hours_per_share: int | None = None,
) -> ShareClass:
    """The board adds a class of shares as the articles describe it. `hours_per_share`: where
    the articles allow a share of this class to be earned by time, the confirmed hours one
    share takes."""
    _require(actor, cooperative, Role.BOARD)
    code = (code or "").strip().upper()
    name = (name or "").strip()
    if not code or len(code) > 10 or not code.isalnum():
        raise DomainError(_("Fill in a short code of letters and digits, such as A."), field="code")
    if not name:
        raise DomainError(_("Fill in a name."), field="name")
    if not isinstance(nominal_value, Money):
        raise TypeError("nominal_value is Money")
    amount = nominal_value.amount
    if nominal_value.currency.code != cooperative.currency:
        raise DomainError(
            _("The nominal value is in %(currency)s, the currency of the cooperative.")
            % {"currency": cooperative.currency},
            field="nominal_value",
        )
    if not amount.is_finite() or amount <= 0 or amount > MAX_NOMINAL or amount != round(amount, 2):
        raise DomainError(
            _("Fill in a nominal value of more than zero, in euros and cents."),
            field="nominal_value",
        )
    authorised_shares = _clean_count(authorised_shares)
    if not isinstance(votes_per_share, int) or votes_per_share < 0 or votes_per_share > 1000:
        raise DomainError(_("Fill in the votes per share: 0 or more."), field="votes_per_share")
    if max_per_member is not None:
        max_per_member = _clean_count(max_per_member)
    if hours_per_share is not None and (
        isinstance(hours_per_share, bool)
        or not isinstance(hours_per_share, int)
        or not 1 <= hours_per_share <= 10_000
    ):
        raise DomainError(
            _("Fill in the hours that earn one share as a whole number, or leave it empty."),
            field="hours_per_share",
        )
    if ShareClass.objects.filter(cooperative=cooperative, code=code).exists():
        raise DomainError(_("There is already a class with this code."), field="code")
    share_class = ShareClass.objects.create(
        cooperative=cooperative,
        code=code,
        name=name,
        nominal_amount=amount.quantize(Decimal("0.01")),
        currency=cooperative.currency,
        votes_per_share=votes_per_share,
        max_per_member=max_per_member,
        is_transferable=is_transferable,
        requires_board_approval=requires_board_approval,
        authorised_shares=authorised_shares,
        hours_per_share=hours_per_share,
    )
    append_event(
        cooperative,
        actor=actor,
        action="shares.class_created",
        subject=share_class,
        payload={
            "code": code,
            "name": name,
            "nominal_value": _money(share_class.nominal_amount),
            "currency": share_class.currency,
            "authorised_shares": authorised_shares,
            "votes_per_share": votes_per_share,
            "max_per_member": max_per_member,
            "is_transferable": is_transferable,
            "requires_board_approval": requires_board_approval,
            "hours_per_share": hours_per_share,
        },
    )
    return share_class


def _set_aside(share_class, *, actor, membership, count, method, paid_in_hours=None):
    """Create a subscription under the class's and the member's locks, once the shares fit the
    authorised number and the caps. Returns it with the member it was asked for on behalf of."""
    share_class = _lock_class(share_class)
    cooperative = share_class.cooperative
    own = _require(actor, cooperative)
    if membership is None:
        if own is None:
            raise DomainError(_("Say for which member the shares are."))
        membership = own
    elif own is not None and membership.pk != own.pk:
        require_role(actor, cooperative, Role.COORDINATOR, Role.BOARD)
    if membership.cooperative_id != cooperative.pk or membership.status != MembershipStatus.ACTIVE:
        raise DomainError(_("Shares can only go to an active member of this cooperative."))
    _lock_members(membership)
    free = share_class.authorised_shares - _held(share_class) - _reserved(share_class)
    if count > free:
        raise DomainError(
            ngettext(
                "Only %(free)s share %(code)s is still available.",
                "Only %(free)s shares %(code)s are still available.",
                max(free, 0),
            )
            % {"free": max(free, 0), "code": share_class.code},
            field="count",
            code="sold_out",
        )
    _check_caps(share_class, membership, count)
    subscription = Subscription.objects.create(
        cooperative=cooperative,
        share_class=share_class,
        membership=membership,
        count=count,
        amount=share_class.nominal_amount * count,
        currency=share_class.currency,
        method=method,
        paid_in_hours=paid_in_hours,
    )
    subscription.payment_reference = payment_reference_for(subscription)
    subscription.save(update_fields=["payment_reference"])
    on_behalf_of = membership.user if own is not None and own.pk != membership.pk else None
    return subscription, on_behalf_of


@transaction.atomic
def subscribe_to_shares(
    share_class, *, actor, membership=None, count, method: str = PaymentMethod.BANK
) -> Subscription:
    """A member asks for `count` shares of a class (a coordinator or the board may ask for a
    resident by giving `membership`). The shares are set aside at once: under the class's lock,
    held and set-aside shares are counted against the authorised number and the caps."""
    count = _clean_count(count)
    if method not in (PaymentMethod.BANK, PaymentMethod.STRIPE):
        raise DomainError(_("Choose how you want to pay."), field="method")
    subscription, on_behalf_of = _set_aside(
        share_class, actor=actor, membership=membership, count=count, method=method
    )
    append_event(
        subscription.cooperative,
        actor=actor,
        action="shares.subscribed",
        subject=subscription,
        payload=_subscription_payload(
            subscription, method=method, payment_reference=subscription.payment_reference
        ),
        on_behalf_of=on_behalf_of,
    )
    return subscription


@transaction.atomic
def subscribe_paid_in_hours(share_class, *, actor, membership, hours: Decimal) -> Subscription:
    """One share paid up in kind with hours the member gave (inbreng in natura), where the
    articles allow it (the class's `hours_per_share`). It is paid at once: the work is booked at
    nominal value against share capital, and the subscription waits for the board like any other.

    The caller has counted, under the member's lock, that the member has these confirmed hours
    to spare (reciprocity's `ask_share_for_hours`); this service checks the class allows it and
    that `hours` is what one share costs."""
    if share_class.hours_per_share is None:
        raise DomainError(
            _("Your cooperative's articles do not allow earning this share by time."),
            code="not_earnable",
        )
    if not isinstance(hours, Decimal) or hours != share_class.hours_per_share:
        raise DomainError(
            _("One share %(code)s takes %(hours)s confirmed hours.")
            % {"code": share_class.code, "hours": share_class.hours_per_share},
            field="hours",
        )
    subscription, on_behalf_of = _set_aside(
        share_class,
        actor=actor,
        membership=membership,
        count=1,
        method=PaymentMethod.IN_KIND,
        paid_in_hours=hours,
    )
    _book_payment(
        subscription,
        actor=actor,
        paid_on=timezone.localdate(),
        purpose=Purpose.WORK_IN_KIND,
        details={
            "method": PaymentMethod.IN_KIND,
            "payment_reference": subscription.payment_reference,
            "hours": f"{hours:.2f}",
        },
        action="shares.subscribed_in_kind",
        on_behalf_of=on_behalf_of,
        checked_by_caller=True,
    )
    return subscription


def _check_payable_status(status: str) -> None:
    if status not in (SubscriptionStatus.AWAITING_PAYMENT, SubscriptionStatus.APPROVED):
        raise DomainError(
            _("This subscription cannot be paid: it is %(status)s.")
            % {"status": str(SubscriptionStatus(status).label).lower()}
        )


def _check_payable(subscription, amount: Money | None = None) -> None:
    _check_payable_status(subscription.status)
    if amount is not None and amount != subscription.money:
        raise DomainError(
            _("The amount paid, %(paid)s, is not the %(due)s this subscription costs.")
            % {"paid": amount, "due": subscription.money},
            field="amount",
        )


def _book_payment(
    subscription,
    *,
    actor,
    paid_on,
    purpose,
    details,
    action="shares.subscription_paid",
    on_behalf_of=None,
    checked_by_caller=False,
) -> None:
    booked = post_transaction(
        subscription.cooperative,
        actor=actor,
        booking_date=paid_on,
        description=_("Shares paid: %(reference)s") % {"reference": subscription.payment_reference},
        lines=[
            debit(_account(subscription.cooperative, purpose), subscription.money),
            credit(_account(subscription.cooperative, Purpose.SHARE_CAPITAL), subscription.money),
        ],
        cause=subscription,
        action=action,
        details=_subscription_payload(subscription) | details,
        on_behalf_of=on_behalf_of,
        checked_by_caller=checked_by_caller,
    )
    subscription.paid_on = paid_on
    subscription.payment_transaction = booked
    if subscription.status == SubscriptionStatus.AWAITING_PAYMENT:
        subscription.status = SubscriptionStatus.PAID
    subscription.save(update_fields=["paid_on", "payment_transaction", "status", "method"])


@transaction.atomic
def record_subscription_payment(
    subscription, *, actor, paid_on: datetime.date | None = None
) -> Subscription:
    """The treasurer records that the subscription's amount arrived on the bank account:
    bank to share capital."""
    subscription = _lock_subscription(subscription)
    _require(actor, subscription.cooperative, Role.TREASURER)
    _check_payable(subscription)
    paid_on = paid_on or timezone.localdate()
    subscription.method = PaymentMethod.BANK
    _book_payment(
        subscription,
        actor=actor,
        paid_on=paid_on,
        purpose=Purpose.BANK,
        details={"method": PaymentMethod.BANK},
    )
    return subscription


class PaidSubscription(NamedTuple):
    """A subscription `record_subscription_payments` recorded as paid."""

    pk: int
    paid_on: datetime.date
    payment_transaction: Transaction


# What booking a bank payment of a subscription reads, in one locking query: thousands of
# subscriptions with their member and class as model instances cost seconds.
_PAYMENT_COLUMNS = (
    "pk",
    "cooperative_id",
    "status",
    "payment_reference",
    "amount",
    "currency",
    "count",
    "membership__member_number",
    "share_class__code",
)


@transaction.atomic
def record_subscription_payments(cooperative, payments, *, actor) -> list[PaidSubscription]:
    """The treasurer records many bank payments of subscriptions at once (a bank statement's
    lines matched to them): `payments` are pairs of (subscription, paid_on), where only the
    subscription's `pk` is read. Each is booked exactly as `record_subscription_payment` books
    it, with its own `shares.subscription_paid` event, in the order given; a refusal of one
    refuses them all. The subscriptions (with their member and class) are locked in order of
    their key before the ledger takes its locks."""
    payments = list(payments)
    if not payments:
        return []
    _require(actor, cooperative, Role.TREASURER)
    pks = sorted({subscription.pk for subscription, _paid_on in payments})
    locked = {
        row[0]: row
        for row in Subscription.objects.select_for_update()
        .filter(AnyOf(F("pk"), pks))
        .order_by("pk")
        .values_list(*_PAYMENT_COLUMNS)
    }
    bank = _account(cooperative, Purpose.BANK)
    capital = _account(cooperative, Purpose.SHARE_CAPITAL)
    described = _("Shares paid: %(reference)s")
    label = Subscription._meta.label_lower
    status_now: dict[int, str] = {}
    # Thousands of payments share a few amounts: the payments of one amount share one list of
    # lines, which `post_transactions` then checks once.
    lines_of: dict[tuple, tuple[list, str]] = {}
    paid, bookings = [], []
    for given, paid_on in payments:
        pk, cooperative_pk, status, reference, amount, currency, count, member, code = locked[
            given.pk
        ]
        if cooperative_pk != cooperative.pk:
            raise ValueError(f"subscription {pk} is of another cooperative")
        # Paid now: a second payment of it in the same list is refused as it would be later.
        status = status_now.get(pk, status)
        _check_payable_status(status)
        same = lines_of.get((amount, currency))
        if same is None:
            money = Money(amount, currency)
            same = lines_of[amount, currency] = (
                [debit(bank, money), credit(capital, money)],
                _money(amount),
            )
        lines, written = same
        bookings.append(
            Booking(
                booking_date=paid_on,
                description=described % {"reference": reference},
                lines=lines,
                cause=f"{label}:{pk}",
                action="shares.subscription_paid",
                details={
                    "subscription": pk,
                    "member_number": member,
                    "share_class": code,
                    "count": count,
                    "amount": written,
                    "method": PaymentMethod.BANK,
                },
            )
        )
        if status == SubscriptionStatus.AWAITING_PAYMENT:
            status = SubscriptionStatus.PAID
        status_now[pk] = status
        paid.append((pk, paid_on))
    booked = post_transactions(cooperative, actor=actor, bookings=bookings)
    result = [
        PaidSubscription(pk, paid_on, transaction_)
        for (pk, paid_on), transaction_ in zip(paid, booked, strict=True)
    ]
    _save_payments(result, status_now)
    return result


def _save_payments(paid: list[PaidSubscription], status_now: dict[int, str]) -> None:
    """Store what `record_subscription_payments` changed, with a line of row history per
    payment as each save would leave it: on PostgreSQL in one UPDATE joined to arrays of the
    new values, elsewhere one save at a time."""
    method = PaymentMethod.BANK
    if connection.vendor != "postgresql":
        subscriptions = Subscription.objects.in_bulk([each.pk for each in paid])
        for each in paid:
            subscription = subscriptions[each.pk]
            subscription.paid_on = each.paid_on
            subscription.payment_transaction = each.payment_transaction
            subscription.status = status_now[each.pk]
            subscription.method = method
            subscription.save(update_fields=["paid_on", "payment_transaction", "status", "method"])
        return
    # A subscription paid twice in the list keeps its last payment, as saving in turn would.
    last = {each.pk: each for each in paid}
    table = connection.ops.quote_name(Subscription._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS subscription SET paid_on = new.paid_on, "  # noqa: S608
            "payment_transaction_id = new.booked, status = new.status, method = %s "
            "FROM unnest(%s::bigint[], %s::date[], %s::bigint[], %s::text[]) "
            "AS new(id, paid_on, booked, status) WHERE subscription.id = new.id",
            [
                method,
                array_literal(last),
                array_literal(each.paid_on for each in last.values()),
                array_literal(each.payment_transaction.pk for each in last.values()),
                array_literal(status_now[pk] for pk in last),
            ],
        )
        # The row history, copied from the rows just written, in the order of the payments.
        history = Subscription.history.model
        columns = ", ".join(
            connection.ops.quote_name(field.column) for field in history.tracked_fields
        )
        user = history.get_default_history_user(Subscription(pk=paid[0].pk))
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(history._meta.db_table)} "  # noqa: S608
            f"({columns}, history_date, history_change_reason, history_type, history_user_id) "
            f"SELECT {columns}, %s, NULL, '~', %s FROM {table} "
            "JOIN unnest(%s::bigint[]) WITH ORDINALITY AS paid(id, position) USING (id) "
            "ORDER BY paid.position",
            [timezone.now(), None if user is None else user.pk, array_literal(e.pk for e in paid)],
        )


@transaction.atomic
def confirm_stripe_subscription_payment(
    subscription, *, actor=None, amount: Money, payment_reference: str
) -> Subscription:
    """Stripe says the subscription was paid: Stripe balance to share capital. A repeated
    confirmation (a webhook sent twice, two at once) finds the row paid under its lock and
    changes nothing."""
    subscription = _lock_subscription(subscription)
    if subscription.paid_on is not None:
        return subscription
    _require(actor, subscription.cooperative, Role.TREASURER)
    _check_payable(subscription, amount)
    payment_reference = (payment_reference or "").strip()
    if not payment_reference:
        raise DomainError(_("The payment has no reference."), field="payment_reference")
    subscription.method = PaymentMethod.STRIPE
    subscription.external_reference = payment_reference[:255]
    subscription.save(update_fields=["external_reference"])
    _book_payment(
        subscription,
        actor=actor,
        paid_on=timezone.localdate(),
        purpose=Purpose.STRIPE,
        details={"method": PaymentMethod.STRIPE, "payment_reference": payment_reference[:255]},
    )
    return subscription


@transaction.atomic
def refund_subscription_payment(subscription, *, actor=None, reason: str) -> Subscription:
    """Pay a subscription's money back (it was refused, cancelled, or paid twice): the payment's
    booking is reversed and the set-aside shares become free again. Issued shares are not
    refunded: they are bought back (`redeem_shares`)."""
    subscription = _lock_subscription(subscription)
    _require(actor, subscription.cooperative, Role.TREASURER, Role.BOARD)
    if subscription.status == SubscriptionStatus.ISSUED:
        raise DomainError(_("These shares have been issued: buy them back instead."))
    if (
        subscription.payment_transaction is None
        or subscription.status == SubscriptionStatus.REFUNDED
    ):
        raise DomainError(_("There is no payment to refund."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason for the refund."), field="reason")
    reverse_transaction(subscription.payment_transaction, actor=actor, reason=reason[:500])
    subscription.status = SubscriptionStatus.REFUNDED
    subscription.closed_reason = reason[:500]
    subscription.save(update_fields=["status", "closed_reason"])
    return subscription


@transaction.atomic
def approve_subscription(
    subscription, *, actor, deed_date: datetime.date, notary: str
) -> Subscription:
    """A board member who is not the subscriber approves the subscription and records the
    notarial deed of issue that Dutch law requires (its date and the notary)."""
    subscription = _lock_subscription(subscription)
    cooperative = subscription.cooperative
    _require(actor, cooperative, Role.BOARD)
    if actor is not None and subscription.membership.user_id == actor.pk:
        raise NotAllowed(
            _("You cannot approve your own subscription: another board member must."),
            code="own_subscription",
        )
    if subscription.status not in (
        SubscriptionStatus.AWAITING_PAYMENT,
        SubscriptionStatus.PAID,
    ):
        raise DomainError(
            _("This subscription cannot be approved: it is %(status)s.")
            % {"status": subscription.get_status_display().lower()}
        )
    notary = (notary or "").strip()
    if not notary:
        raise DomainError(_("Fill in the notary who draws up the deed."), field="notary")
    if not isinstance(deed_date, datetime.date):
        raise DomainError(_("Fill in the date of the notarial deed."), field="deed_date")
    subscription.status = SubscriptionStatus.APPROVED
    subscription.approved_by = actor
    subscription.approved_at = timezone.now()
    subscription.deed_date = deed_date
    subscription.notary = notary[:150]
    subscription.save(update_fields=["status", "approved_by", "approved_at", "deed_date", "notary"])
    append_event(
        cooperative,
        actor=actor,
        action="shares.subscription_approved",
        subject=subscription,
        payload=_subscription_payload(
            subscription, deed_date=deed_date.isoformat(), notary=subscription.notary
        ),
    )
    return subscription


@transaction.atomic
def refuse_subscription(subscription, *, actor, reason: str) -> Subscription:
    """The board refuses a subscription, with a reason the member reads. Its shares are free
    again; money already paid is refunded separately (`refund_subscription_payment`)."""
    subscription = _lock_subscription(subscription)
    _require(actor, subscription.cooperative, Role.BOARD)
    if not subscription.is_open:
        raise DomainError(
            _("This subscription cannot be refused: it is %(status)s.")
            % {"status": subscription.get_status_display().lower()}
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the member a reason."), field="reason")
    subscription.status = SubscriptionStatus.REFUSED
    subscription.closed_reason = reason[:500]
    subscription.save(update_fields=["status", "closed_reason"])
    append_event(
        subscription.cooperative,
        actor=actor,
        action="shares.subscription_refused",
        subject=subscription,
        payload=_subscription_payload(subscription, reason=subscription.closed_reason),
    )
    return subscription


@transaction.atomic
def cancel_subscription(subscription, *, actor, reason: str = "") -> Subscription:
    """The subscriber (or the board) withdraws a subscription that has not been paid."""
    subscription = _lock_subscription(subscription)
    own = subscription.membership.user_id == getattr(actor, "pk", None)
    if not own:
        _require(actor, subscription.cooperative, Role.BOARD)
    if subscription.status not in OPEN_STATUSES or subscription.paid_on is not None:
        raise DomainError(_("Only an open subscription that has not been paid can be withdrawn."))
    subscription.status = SubscriptionStatus.CANCELLED
    subscription.closed_reason = (reason or "").strip()[:500]
    subscription.save(update_fields=["status", "closed_reason"])
    append_event(
        subscription.cooperative,
        actor=actor,
        action="shares.subscription_cancelled",
        subject=subscription,
        payload=_subscription_payload(subscription, reason=subscription.closed_reason),
    )
    return subscription


@transaction.atomic
def issue_shares(subscription, *, actor, issued_on: datetime.date | None = None) -> ShareLot:
    """Issue an approved, paid subscription: its shares get the next certificate numbers of
    their class, consecutive, as one lot. No money moves: it was booked when it was paid."""
    subscription = _lock_subscription(subscription)
    share_class = _lock_class(subscription.share_class)
    _require(actor, subscription.cooperative, Role.BOARD, Role.TREASURER)
    if subscription.paid_on is None and subscription.status in OPEN_STATUSES:
        raise DomainError(
            _("This subscription has not been paid yet: shares are issued once paid."),
            code="unpaid",
        )
    if subscription.status != SubscriptionStatus.APPROVED:
        raise DomainError(
            _("Only an approved subscription can be issued: this one is %(status)s.")
            % {"status": subscription.get_status_display().lower()}
        )
    issued_on = issued_on or timezone.localdate()
    first = share_class.next_certificate
    lot = ShareLot.objects.create(
        cooperative=subscription.cooperative,
        share_class=share_class,
        membership=subscription.membership,
        first_certificate=first,
        last_certificate=first + subscription.count - 1,
        count=subscription.count,
        paid_per_share=share_class.nominal_amount,
        acquired_on=issued_on,
        held_from=issued_on,
        origin=LotOrigin.ISSUE,
        subscription=subscription,
    )
    share_class.next_certificate = first + subscription.count
    share_class.save(update_fields=["next_certificate"])
    subscription.status = SubscriptionStatus.ISSUED
    subscription.issued_on = issued_on
    subscription.save(update_fields=["status", "issued_on"])
    append_event(
        subscription.cooperative,
        actor=actor,
        action="shares.issued",
        subject=subscription,
        payload=_subscription_payload(
            subscription,
            issued_on=issued_on.isoformat(),
            certificates=[lot.first_certificate, lot.last_certificate],
        ),
    )
    return lot


def _take(membership, share_class, count: int, on_date, ended_by) -> list[ShareLot]:
    """End `count` of the member's shares of the class on `on_date`, newest certificates first;
    the part of a lot that stays becomes a new lot. Returns the pieces taken, unsaved, with
    their certificates and acquisition data. The caller holds the class's lock."""
    lots = list(
        ShareLot.objects.select_for_update()
        .filter(membership=membership, share_class=share_class, held_until__isnull=True)
        .order_by("-first_certificate")
    )
    if sum(lot.count for lot in lots) < count:
        raise DomainError(
            ngettext(
                "%(number)s holds only %(held)s share %(code)s.",
                "%(number)s holds only %(held)s shares %(code)s.",
                sum(lot.count for lot in lots),
            )
            % {
                "number": _("Member %(number)s") % {"number": membership.member_number},
                "held": sum(lot.count for lot in lots),
                "code": share_class.code,
            },
            field="count",
            code="not_enough_shares",
        )
    taken = []
    for lot in lots:
        if count == 0:
            break
        if lot.held_from > on_date:
            raise DomainError(_("These shares were acquired after that date."), field="on_date")
        part = min(count, lot.count)
        count -= part
        lot.held_until = on_date
        lot.ended_by = ended_by
        lot.save(update_fields=["held_until", "ended_by"])
        kept = lot.count - part
        if kept:
            ShareLot.objects.create(
                cooperative=lot.cooperative,
                share_class=share_class,
                membership=membership,
                first_certificate=lot.first_certificate,
                last_certificate=lot.first_certificate + kept - 1,
                count=kept,
                paid_per_share=lot.paid_per_share,
                acquired_on=lot.acquired_on,
                held_from=on_date,
                origin=LotOrigin.REMAINDER,
                subscription=lot.subscription,
                transfer=lot.transfer,
            )
        taken.append(
            ShareLot(
                first_certificate=lot.first_certificate + kept,
                last_certificate=lot.last_certificate,
                count=part,
                paid_per_share=lot.paid_per_share,
            )
        )
    return taken


def _active_member(cooperative, member_number) -> Membership:
    membership = (
        Membership.objects.select_related("user")
        .filter(cooperative=cooperative, member_number=member_number)
        .first()
    )
    if membership is None or membership.status != MembershipStatus.ACTIVE:
        raise DomainError(
            _("There is no active member with number %(number)s.") % {"number": member_number},
            field="to_member_number",
            code="not_a_member",
        )
    return membership


def _check_date(value, field: str) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise DomainError(_("Fill in a date."), field=field)
    if value > timezone.localdate():
        raise DomainError(_("This date has not come yet."), field=field)
    return value


@transaction.atomic
def transfer_shares(
    from_membership,
    *,
    actor,
    share_class,
    count,
    to_member_number: int,
    deed_date: datetime.date,
    notary: str,
    transferred_on: datetime.date | None = None,
    request: TransferRequest | None = None,
) -> Transfer:
    """Record a transfer of shares between two members, with the notarial deed of transfer that
    Dutch law requires. Where the class's blocking rule asks for the board's approval, a board
    member who is neither party records it; otherwise the treasurer may too. The receiver's caps
    hold as for a subscription. With `request`, this carries out a member's own request to
    transfer these shares, which must still be open and ask for exactly this transfer."""
    count = _clean_count(count)
    share_class = _lock_class(share_class)
    if request is not None:
        request = TransferRequest.objects.select_for_update().get(pk=request.pk)
        if not request.is_open:
            raise DomainError(
                _("This request is %(status)s: it cannot be carried out.")
                % {"status": request.get_status_display().lower()}
            )
        to_number = Membership.objects.get(pk=request.to_membership_id).member_number
        if (
            request.from_membership_id != from_membership.pk
            or request.share_class_id != share_class.pk
            or request.count != count
            or str(to_number) != str(to_member_number)
        ):
            raise DomainError(_("This transfer is not the one the member asked for."))
    cooperative = share_class.cooperative
    if share_class.requires_board_approval:
        _require(actor, cooperative, Role.BOARD)
    else:
        _require(actor, cooperative, Role.BOARD, Role.TREASURER)
    if from_membership.cooperative_id != cooperative.pk:
        raise DomainError(_("These shares belong to another cooperative."))
    if not share_class.is_transferable:
        raise DomainError(
            _("Shares %(code)s cannot be transferred; they can be given back or bought back.")
            % {"code": share_class.code},
            code="not_transferable",
        )
    to_membership = _active_member(cooperative, to_member_number)
    if to_membership.pk == from_membership.pk:
        raise DomainError(_("Shares are transferred to another member."), field="to_member_number")
    if actor is not None and actor.pk in (from_membership.user_id, to_membership.user_id):
        raise NotAllowed(
            _("You cannot record a transfer you are part of: another board member must."),
            code="own_transfer",
        )
    notary = (notary or "").strip()
    if not notary:
        raise DomainError(_("Fill in the notary who drew up the deed."), field="notary")
    deed_date = _check_date(deed_date, "deed_date")
    transferred_on = _check_date(transferred_on or timezone.localdate(), "transferred_on")
    _lock_members(from_membership, to_membership)
    _check_caps(share_class, to_membership, count)
    pieces = _take(from_membership, share_class, count, transferred_on, LotEnd.TRANSFERRED)
    transfer = Transfer.objects.create(
        cooperative=cooperative,
        share_class=share_class,
        from_membership=from_membership,
        to_membership=to_membership,
        count=count,
        certificates=[[piece.first_certificate, piece.last_certificate] for piece in pieces],
        transferred_on=transferred_on,
        deed_date=deed_date,
        notary=notary[:150],
        approved_by=actor,
    )
    if request is not None:
        request.status = TransferRequestStatus.DONE
        request.transfer = transfer
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "transfer", "decided_by", "decided_at"])
    for piece in pieces:
        piece.cooperative = cooperative
        piece.share_class = share_class
        piece.membership = to_membership
        piece.acquired_on = transferred_on
        piece.held_from = transferred_on
        piece.origin = LotOrigin.TRANSFER
        piece.transfer = transfer
    ShareLot.objects.bulk_create(pieces)
    append_event(
        cooperative,
        actor=actor,
        action="shares.transferred",
        subject=transfer,
        payload={
            "share_class": share_class.code,
            "count": count,
            "from_member_number": from_membership.member_number,
            "to_member_number": to_membership.member_number,
            "certificates": transfer.certificates,
            "transferred_on": transferred_on.isoformat(),
            "deed_date": deed_date.isoformat(),
            "notary": transfer.notary,
        }
        | ({"request": request.pk} if request is not None else {}),
    )
    return transfer


def _transfer_request_payload(request, **more) -> dict:
    return {
        "request": request.pk,
        "share_class": request.share_class.code,
        "count": request.count,
        "from_member_number": request.from_membership.member_number,
        "to_member_number": request.to_membership.member_number,
    } | more


@transaction.atomic
def ask_to_transfer_shares(
    share_class, *, actor, count, to_member_number, note: str = ""
) -> TransferRequest:
    """A member asks the board to transfer some of their own shares to another member. Nothing
    moves yet: the board carries it out with the notarial deed (`transfer_shares` with the
    request) or refuses it. The member must hold the shares, beyond those already asked for in
    other open requests."""
    count = _clean_count(count)
    share_class = _lock_class(share_class)
    cooperative = share_class.cooperative
    own = require_role(actor, cooperative)
    if not share_class.is_transferable:
        raise DomainError(
            _("Shares %(code)s cannot be transferred; they can be given back or bought back.")
            % {"code": share_class.code},
            code="not_transferable",
        )
    to_membership = _active_member(cooperative, to_member_number)
    if to_membership.pk == own.pk:
        raise DomainError(_("Shares are transferred to another member."), field="to_member_number")
    _lock_members(own, to_membership)
    asked = (
        TransferRequest.objects.filter(
            from_membership=own, share_class=share_class, status=TransferRequestStatus.REQUESTED
        ).aggregate(total=Sum("count"))["total"]
        or 0
    )
    free = _held(share_class, own) - asked
    if count > free:
        raise DomainError(
            ngettext(
                "You can ask to transfer at most %(free)s share %(code)s.",
                "You can ask to transfer at most %(free)s shares %(code)s.",
                max(free, 0),
            )
            % {"free": max(free, 0), "code": share_class.code},
            field="count",
            code="not_enough_shares",
        )
    request = TransferRequest.objects.create(
        cooperative=cooperative,
        share_class=share_class,
        from_membership=own,
        to_membership=to_membership,
        count=count,
        note=(note or "").strip()[:300],
    )
    append_event(
        cooperative,
        actor=actor,
        action="shares.transfer_requested",
        subject=request,
        payload=_transfer_request_payload(request),
    )
    return request


def _lock_request(request) -> TransferRequest:
    return (
        TransferRequest.objects.select_for_update()
        .select_related("share_class", "from_membership", "to_membership", "cooperative")
        .get(pk=request.pk)
    )


def _check_open_request(request) -> None:
    if not request.is_open:
        raise DomainError(
            _("This request is %(status)s already.")
            % {"status": request.get_status_display().lower()}
        )


@transaction.atomic
def withdraw_transfer_request(request, *, actor) -> TransferRequest:
    """The member who asked withdraws their request before the board has decided."""
    request = _lock_request(request)
    own = require_role(actor, request.cooperative)
    if own.pk != request.from_membership_id:
        raise NotAllowed(_("Only the member who asked can withdraw this request."))
    _check_open_request(request)
    request.status = TransferRequestStatus.WITHDRAWN
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    append_event(
        request.cooperative,
        actor=actor,
        action="shares.transfer_request_withdrawn",
        subject=request,
        payload=_transfer_request_payload(request),
    )
    return request


@transaction.atomic
def refuse_transfer_request(request, *, actor, reason: str) -> TransferRequest:
    """The board refuses a member's request to transfer shares, with a reason the member reads
    (the class's blocking rule, or a receiver who did not agree)."""
    request = _lock_request(request)
    _require(actor, request.cooperative, Role.BOARD)
    _check_open_request(request)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the member a reason."), field="reason")
    request.status = TransferRequestStatus.REFUSED
    request.reason = reason[:500]
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    append_event(
        request.cooperative,
        actor=actor,
        action="shares.transfer_request_refused",
        subject=request,
        payload=_transfer_request_payload(request, reason=request.reason),
    )
    return request


def _cancel(membership, *, actor, share_class, count, kind, on_date, lines_for) -> Cancellation:
    count = _clean_count(count)
    share_class = _lock_class(share_class)
    cooperative = share_class.cooperative
    if membership.cooperative_id != cooperative.pk:
        raise DomainError(_("These shares belong to another cooperative."))
    on_date = _check_date(on_date or timezone.localdate(), "on_date")
    _lock_members(membership)
    ended_by = LotEnd.REDEEMED if kind == CancellationKind.REDEEMED else LotEnd.GIFTED_BACK
    pieces = _take(membership, share_class, count, on_date, ended_by)
    amount = sum((piece.paid_per_share * piece.count for piece in pieces), Decimal("0"))
    cancellation = Cancellation.objects.create(
        cooperative=cooperative,
        share_class=share_class,
        membership=membership,
        kind=kind,
        count=count,
        certificates=[[piece.first_certificate, piece.last_certificate] for piece in pieces],
        amount=amount,
        cancelled_on=on_date,
        decided_by=actor,
    )
    money = Money(amount, share_class.currency)
    booked = post_transaction(
        cooperative,
        actor=actor,
        booking_date=on_date,
        description=(
            _("Shares %(code)s bought back from member %(number)s")
            if kind == CancellationKind.REDEEMED
            else _("Shares %(code)s given back by member %(number)s")
        )
        % {"code": share_class.code, "number": membership.member_number},
        lines=lines_for(cooperative, money),
        cause=cancellation,
        action=f"shares.{kind}",
        details={
            "member_number": membership.member_number,
            "share_class": share_class.code,
            "count": count,
            "certificates": cancellation.certificates,
        },
    )
    cancellation.transaction = booked
    cancellation.save(update_fields=["transaction"])
    return cancellation


@transaction.atomic
def redeem_shares(
    membership, *, actor, share_class, count, paid_on: datetime.date | None = None
) -> Cancellation:
    """The cooperative buys shares back at what was paid up for them (their nominal value) and
    pays it out from the bank; the shares are cancelled. The treasurer records it."""
    _require(actor, share_class.cooperative, Role.TREASURER)
    return _cancel(
        membership,
        actor=actor,
        share_class=share_class,
        count=count,
        kind=CancellationKind.REDEEMED,
        on_date=paid_on,
        lines_for=lambda cooperative, money: [
            debit(_account(cooperative, Purpose.SHARE_CAPITAL), money),
            credit(_account(cooperative, Purpose.BANK), money),
        ],
    )


@transaction.atomic
def gift_shares_back(
    membership, *, actor, share_class, count, given_on: datetime.date | None = None
) -> Cancellation:
    """A member gives shares back to the cooperative for nothing; the board accepts them and
    they are cancelled. What was paid for them stays with the cooperative, in the reinvestment
    reserve (docs/decisions/0012-shares-given-back.md)."""
    _require(actor, share_class.cooperative, Role.BOARD)
    return _cancel(
        membership,
        actor=actor,
        share_class=share_class,
        count=count,
        kind=CancellationKind.GIFTED_BACK,
        on_date=given_on,
        lines_for=lambda cooperative, money: [
            debit(_account(cooperative, Purpose.SHARE_CAPITAL), money),
            credit(_account(cooperative, Purpose.REINVESTMENT_RESERVE), money),
        ],
    )


@transaction.atomic
def pay_subscription_online(subscription, *, actor):
    """The subscriber pays their own open, unpaid subscription online: the online payment that
    still waits for them, or a new one through Stripe (whose start is this decision's event).
    The shares are booked as paid when Stripe confirms the payment (shares/payments.py)."""
    from shares.payments import subject_of
    from wijkbv.payments import selectors as payment_selectors
    from wijkbv.payments.services import start_stripe_payment

    subscription = _lock_subscription(subscription)
    own = require_role(actor, subscription.cooperative)
    if own.pk != subscription.membership_id:
        raise NotAllowed(_("Only the member who asked for these shares can pay for them online."))
    if not payment_selectors.online_payments_enabled():
        raise DomainError(
            _("This site does not take payments online. Pay by bank transfer."),
            code="online_payments_off",
        )
    if not subscription.is_open or subscription.paid_on is not None:
        raise DomainError(_("This request cannot be paid online."), code="not_payable")
    subject = subject_of(subscription)
    waiting = payment_selectors.open_payment_for(actor, subject)
    if waiting is not None:
        return waiting
    return start_stripe_payment(
        subscription.cooperative,
        actor=actor,
        subject=subject,
        amount=Money(subscription.amount, subscription.currency),
        description=subscription.payment_description(),
    )
