"""What the shares app records about a person: their subscriptions, the lots of shares they
held, transfers to and from them and shares cancelled (members/personal_data.py says how this
module is used).

All of it is a financial record, kept for seven years with the person named by member number
only; forgetting only blanks the free text of requests to transfer shares. A person who still
holds shares cannot be forgotten: Dutch law requires the share register to name every
shareholder.
"""

from django.db.models import Max, Q, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.models import Membership
from members.personal_data import plain
from shares.models import (
    OPEN_STATUSES,
    Cancellation,
    CancellationKind,
    LotEnd,
    LotOrigin,
    PaymentMethod,
    ShareLot,
    Subscription,
    SubscriptionStatus,
    Transfer,
    TransferRequest,
    TransferRequestStatus,
)

TITLE = _("Shares")

LABELS = {
    "subscriptions": _("Requests for shares"),
    "lots": _("Shares you hold or held"),
    "transfers": _("Shares transferred to or from you"),
    "cancellations": _("Shares bought back or given back"),
    "transfer_requests": _("Requests to transfer shares"),
    "decided_at": _("Decided on"),
    "note": _("Note for the board"),
    "reason": _("Reason"),
    "share_class": _("Class"),
    "count": _("Number of shares"),
    "amount": _("Amount"),
    "currency": _("Currency"),
    "method": _("Payment"),
    "payment_reference": _("Payment reference"),
    "requested_at": _("Asked on"),
    "paid_on": _("Paid on"),
    "approved_at": _("Approved on"),
    "deed_date": _("Date of the notarial deed"),
    "issued_on": _("Issued on"),
    "closed_reason": _("Reason"),
    "certificates": _("Certificates"),
    "paid_per_share": _("Paid up per share"),
    "acquired_on": _("Acquired on"),
    "held_from": _("Held from"),
    "held_until": _("Held until"),
    "origin": _("How they came"),
    "ended_by": _("How they left"),
    "direction": _("Direction"),
    "other_member_number": _("Other member's number"),
    "transferred_on": _("Transferred on"),
    "kind": _("Kind"),
    "cancelled_on": _("Cancelled on"),
}


VALUES = {
    ("subscriptions", "method"): dict(PaymentMethod.choices),
    ("subscriptions", "status"): dict(SubscriptionStatus.choices),
    ("lots", "origin"): dict(LotOrigin.choices),
    ("lots", "ended_by"): dict(LotEnd.choices),
    ("cancellations", "kind"): dict(CancellationKind.choices),
    ("transfer_requests", "status"): dict(TransferRequestStatus.choices),
}


def _memberships(user):
    return Membership.objects.filter(user=user)


def export(user) -> dict:
    memberships = _memberships(user)
    subscriptions = (
        Subscription.objects.filter(membership__in=memberships)
        .select_related("cooperative", "share_class", "membership")
        .order_by("requested_at", "pk")
    )
    lots = (
        ShareLot.objects.filter(membership__in=memberships)
        .select_related("cooperative", "share_class", "membership")
        .order_by("held_from", "pk")
    )
    transfers = (
        Transfer.objects.filter(
            Q(from_membership__in=memberships) | Q(to_membership__in=memberships)
        )
        .select_related("cooperative", "share_class", "from_membership", "to_membership")
        .order_by("transferred_on", "pk")
    )
    cancellations = (
        Cancellation.objects.filter(membership__in=memberships)
        .select_related("cooperative", "share_class", "membership")
        .order_by("cancelled_on", "pk")
    )
    requests = (
        TransferRequest.objects.filter(_from_or_to(memberships))
        .select_related("cooperative", "share_class", "from_membership", "to_membership")
        .order_by("requested_at", "pk")
    )
    mine = {m.pk for m in memberships}
    return plain(
        {
            "subscriptions": [
                {
                    "cooperative": s.cooperative.slug,
                    "member_number": s.membership.member_number,
                    "share_class": s.share_class.code,
                    "count": s.count,
                    "amount": s.amount,
                    "currency": s.currency,
                    "method": s.method,
                    "status": s.status,
                    "payment_reference": s.payment_reference,
                    "requested_at": s.requested_at,
                    "paid_on": s.paid_on,
                    "approved_at": s.approved_at,
                    "deed_date": s.deed_date,
                    "issued_on": s.issued_on,
                    "closed_reason": s.closed_reason,
                }
                for s in subscriptions
            ],
            "lots": [
                {
                    "cooperative": lot.cooperative.slug,
                    "member_number": lot.membership.member_number,
                    "share_class": lot.share_class.code,
                    "certificates": lot.certificates,
                    "count": lot.count,
                    "paid_per_share": lot.paid_per_share,
                    "acquired_on": lot.acquired_on,
                    "held_from": lot.held_from,
                    "held_until": lot.held_until,
                    "origin": lot.origin,
                    "ended_by": lot.ended_by,
                }
                for lot in lots
            ],
            "transfers": [
                {
                    "cooperative": t.cooperative.slug,
                    "share_class": t.share_class.code,
                    "count": t.count,
                    "certificates": t.certificates,
                    "direction": "out" if t.from_membership_id in mine else "in",
                    "other_member_number": (
                        t.to_membership.member_number
                        if t.from_membership_id in mine
                        else t.from_membership.member_number
                    ),
                    "transferred_on": t.transferred_on,
                }
                for t in transfers
            ],
            "cancellations": [
                {
                    "cooperative": c.cooperative.slug,
                    "share_class": c.share_class.code,
                    "kind": c.kind,
                    "count": c.count,
                    "certificates": c.certificates,
                    "amount": c.amount,
                    "cancelled_on": c.cancelled_on,
                }
                for c in cancellations
            ],
            "transfer_requests": [
                {
                    "cooperative": r.cooperative.slug,
                    "share_class": r.share_class.code,
                    "count": r.count,
                    "direction": "out" if r.from_membership_id in mine else "in",
                    "other_member_number": (
                        r.to_membership.member_number
                        if r.from_membership_id in mine
                        else r.from_membership.member_number
                    ),
                    # The note is the asker's own words to the board.
                    "note": r.note if r.from_membership_id in mine else "",
                    "status": r.status,
                    "requested_at": r.requested_at,
                    "decided_at": r.decided_at,
                    "reason": r.reason,
                }
                for r in requests
            ],
        }
    )


def _from_or_to(memberships) -> Q:
    return Q(from_membership__in=memberships) | Q(to_membership__in=memberships)


def forget(user, *, memberships) -> None:
    """The shares themselves are financial records that name the member by number: they stay.
    Requests to transfer shares lose their free text (the asker's note, the board's reason),
    which may name people."""
    ids = [m.pk for m in memberships]
    theirs = Q(from_membership_id__in=ids) | Q(to_membership_id__in=ids)
    blank = {"note": "", "reason": ""}
    TransferRequest.objects.filter(theirs).update(**blank)
    TransferRequest.history.filter(theirs).update(**blank)


def blockers(user) -> list[str]:
    reasons = []
    for membership in _memberships(user).select_related("cooperative"):
        name = membership.cooperative.name
        held = ShareLot.objects.filter(membership=membership, held_until__isnull=True).aggregate(
            total=Sum("count")
        )["total"]
        if held:
            reasons.append(
                gettext(
                    "You still hold %(count)s share(s) of %(name)s. The law requires the share "
                    "register to name every shareholder: sell your shares or give them back first."
                )
                % {"count": held, "name": name}
            )
        if Subscription.objects.filter(membership=membership, status__in=OPEN_STATUSES).exists():
            reasons.append(
                gettext(
                    "Your request for shares of %(name)s is still open. Withdraw it, or wait "
                    "until it has been settled."
                )
                % {"name": name}
            )
        if (
            TransferRequest.objects.filter(_from_or_to([membership]))
            .filter(status=TransferRequestStatus.REQUESTED)
            .exists()
        ):
            reasons.append(
                gettext(
                    "A request to transfer shares of %(name)s from or to you is still open. "
                    "Withdraw it, or wait until the board has decided."
                )
                % {"name": name}
            )
        owed = Subscription.objects.filter(
            membership=membership,
            status__in=[SubscriptionStatus.REFUSED, SubscriptionStatus.CANCELLED],
            payment_transaction__isnull=False,
        )
        if owed.exists():
            reasons.append(
                gettext(
                    "%(name)s still has to pay back money you paid for shares. Wait until it "
                    "has been paid back."
                )
                % {"name": name}
            )
    return reasons


def last_financial_records(user) -> dict:
    latest = {}
    memberships = _memberships(user)

    def keep(rows):
        for cooperative_id, *days in rows:
            for day in days:
                if day is not None and (
                    cooperative_id not in latest or day > latest[cooperative_id]
                ):
                    latest[cooperative_id] = day

    keep(
        Subscription.objects.filter(membership__in=memberships, paid_on__isnull=False)
        .order_by()
        .values_list("cooperative")
        .annotate(Max("paid_on"), Max("issued_on"))
    )
    keep(
        ShareLot.objects.filter(membership__in=memberships)
        .order_by()
        .values_list("cooperative")
        .annotate(Max("held_from"), Max("held_until"))
    )
    keep(
        Transfer.objects.filter(
            Q(from_membership__in=memberships) | Q(to_membership__in=memberships)
        )
        .order_by()
        .values_list("cooperative")
        .annotate(Max("transferred_on"))
    )
    keep(
        Cancellation.objects.filter(membership__in=memberships)
        .order_by()
        .values_list("cooperative")
        .annotate(Max("cancelled_on"))
    )
    return latest
