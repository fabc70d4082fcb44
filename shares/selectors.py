"""Reading shares: the register as of any date, a member's holding and history, the classes
with what is still available, and the voting weight other apps use."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.utils import timezone
from djmoney.money import Money

from members.models import Membership, MembershipStatus, VotingMode
from shares.models import (
    OPEN_STATUSES,
    ShareClass,
    ShareLot,
    Subscription,
    Transfer,
    TransferRequest,
    TransferRequestStatus,
)


def held_on(on_date: datetime.date) -> Q:
    """Lots held at the end of `on_date`."""
    return Q(held_from__lte=on_date) & (Q(held_until__isnull=True) | Q(held_until__gt=on_date))


@dataclass
class RegisterLine:
    """One lot in the register: who holds which certificates since when, and what was paid."""

    member_number: int
    name: str
    address: str
    share_class: str
    count: int
    certificates: str
    acquired_on: datetime.date
    paid_up: Money


@dataclass
class HolderEntry:
    member_number: int
    name: str
    address: str
    lines: list[RegisterLine] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(line.count for line in self.lines)


def _address(user) -> str:
    return ", ".join(
        part for part in (user.street_address, f"{user.postcode} {user.city}".strip()) if part
    )


def register_lines(cooperative, *, at: datetime.date | None = None) -> list[RegisterLine]:
    """The register (aandeelhoudersregister) at the end of `at` (today when not given): every
    lot held then, by member number and certificate. One query, whatever the size."""
    at = at or timezone.localdate()
    lots = (
        ShareLot.objects.filter(held_on(at), cooperative=cooperative)
        .select_related("membership__user", "share_class")
        .order_by("membership__member_number", "share_class__code", "first_certificate")
    )
    return [
        RegisterLine(
            member_number=lot.membership.member_number,
            name=lot.membership.user.full_name,
            address=_address(lot.membership.user),
            share_class=lot.share_class.code,
            count=lot.count,
            certificates=lot.certificates,
            acquired_on=lot.acquired_on,
            paid_up=lot.paid_up,
        )
        for lot in lots
    ]


def group_by_holder(lines: list[RegisterLine]) -> list[HolderEntry]:
    """The register's lines grouped by holder, in order of member number."""
    holders: dict[int, HolderEntry] = {}
    for line in lines:
        entry = holders.setdefault(
            line.member_number, HolderEntry(line.member_number, line.name, line.address)
        )
        entry.lines.append(line)
    return list(holders.values())


def register_totals(lines: list[RegisterLine]) -> dict[str, dict]:
    """Shares and paid-up capital per class, for the foot of the register."""
    totals: dict[str, dict] = {}
    for line in lines:
        total = totals.setdefault(line.share_class, {"count": 0, "paid_up": None})
        total["count"] += line.count
        total["paid_up"] = (
            line.paid_up if total["paid_up"] is None else total["paid_up"] + line.paid_up
        )
    return totals


@dataclass
class ClassAvailability:
    share_class: ShareClass
    issued: int
    reserved: int

    @property
    def available(self) -> int:
        return max(self.share_class.authorised_shares - self.issued - self.reserved, 0)


def share_classes(cooperative) -> list[ClassAvailability]:
    """Every class of the cooperative with its issued and set-aside shares: three queries."""
    classes = list(ShareClass.objects.filter(cooperative=cooperative).order_by("code"))
    issued = dict(
        ShareLot.objects.filter(cooperative=cooperative, held_until__isnull=True)
        .values_list("share_class")
        .annotate(total=Sum("count"))
    )
    reserved = dict(
        Subscription.objects.filter(cooperative=cooperative, status__in=OPEN_STATUSES)
        .values_list("share_class")
        .annotate(total=Sum("count"))
    )
    return [
        ClassAvailability(c, issued.get(c.pk, 0) or 0, reserved.get(c.pk, 0) or 0) for c in classes
    ]


def holding(membership, *, at: datetime.date | None = None) -> list[ShareLot]:
    """The member's lots held at the end of `at` (today when not given)."""
    at = at or timezone.localdate()
    return list(
        ShareLot.objects.filter(held_on(at), membership=membership)
        .select_related("share_class")
        .order_by("share_class__code", "first_certificate")
    )


def holding_history(membership) -> list[ShareLot]:
    """Every lot the member ever held, newest first: how they came and went."""
    return list(
        ShareLot.objects.filter(membership=membership)
        .select_related("share_class")
        .order_by("-held_from", "-pk")
    )


def subscriptions_of(membership):
    return (
        Subscription.objects.filter(membership=membership)
        .select_related("share_class", "membership__user")
        .order_by("-requested_at", "-pk")
    )


def subscriptions(cooperative, *, open_only: bool = False):
    rows = Subscription.objects.filter(cooperative=cooperative).select_related(
        "share_class", "membership__user"
    )
    if open_only:
        rows = rows.filter(status__in=OPEN_STATUSES)
    return rows.order_by("-requested_at", "-pk")


def transfers(cooperative):
    return (
        Transfer.objects.filter(cooperative=cooperative)
        .select_related("share_class", "from_membership", "to_membership")
        .order_by("-transferred_on", "-pk")
    )


def transfer_requests(cooperative, *, open_only: bool = False):
    found = TransferRequest.objects.filter(cooperative=cooperative)
    if open_only:
        found = found.filter(status=TransferRequestStatus.REQUESTED)
    return found.select_related(
        "share_class", "from_membership__user", "to_membership__user"
    ).order_by("requested_at", "pk")


def transfer_requests_of(membership):
    """A member's own requests to transfer shares, newest first."""
    return (
        TransferRequest.objects.filter(from_membership=membership)
        .select_related("share_class", "to_membership")
        .order_by("-requested_at", "-pk")
    )


def voting_weight(member, cooperative, *, at: datetime.date | None = None) -> int:
    """How many votes a member casts, as the cooperative's articles say: one per member, or
    the votes of the shares they hold at the end of `at` (votes per share of each class), and
    never more than the articles' cap per member. `member` is a Membership or a User. A member
    who is not active, or holds no voting shares where votes go by shares, has no vote."""
    membership = member
    if not isinstance(member, Membership):
        membership = Membership.objects.filter(user=member, cooperative=cooperative).first()
    if (
        membership is None
        or membership.cooperative_id != cooperative.pk
        or membership.status != MembershipStatus.ACTIVE
    ):
        return 0
    if cooperative.voting_mode == VotingMode.PER_MEMBER:
        votes = 1
    else:
        at = at or timezone.localdate()
        lots = ShareLot.objects.filter(held_on(at), membership=membership).values_list(
            "count", "share_class__votes_per_share"
        )
        votes = sum(count * per_share for count, per_share in lots)
    cap = cooperative.max_votes_per_member
    return min(votes, cap) if cap is not None else votes


def voting_weights(
    cooperative, memberships, *, at: datetime.date | None = None, by_shares: bool | None = None
) -> dict[int, int]:
    """`voting_weight` for many members at once, in two queries: membership pk → votes.

    `by_shares` overrides the articles' voting mode (a vote may be weighed by shares, or count
    one per member, whatever the default); None follows the articles."""
    if by_shares is None:
        by_shares = cooperative.voting_mode == VotingMode.BY_SHARES
    active = [
        m
        for m in memberships
        if m.cooperative_id == cooperative.pk and m.status == MembershipStatus.ACTIVE
    ]
    if not by_shares:
        votes = {m.pk: 1 for m in active}
    else:
        at = at or timezone.localdate()
        votes = dict.fromkeys((m.pk for m in active), 0)
        lots = ShareLot.objects.filter(held_on(at), membership__cooperative=cooperative)
        for membership_id, count, per_share in lots.values_list(
            "membership_id", "count", "share_class__votes_per_share"
        ):
            if membership_id in votes:
                votes[membership_id] += count * per_share
    cap = cooperative.max_votes_per_member
    return {pk: (min(v, cap) if cap is not None else v) for pk, v in votes.items()}
