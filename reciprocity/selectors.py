"""Reading contributions: a member's own, what waits for someone's confirmation, balances,
partner organisations' hours and the public aggregates.

Each selector runs a fixed number of queries, whatever the number of contributions: the sums
and counts are made by the database (GROUP BY), never by walking rows in Python.

Public aggregates describe groups of people, never a person. A group (an activity, a place, a
month, a partner organisation) with fewer than MIN_GROUP_SIZE distinct people is suppressed:
its numbers are left out. Because the total is shown, a single suppressed group could be found
by subtraction; so when the suppressed groups of one breakdown together hold fewer than
MIN_GROUP_SIZE people, the smallest shown group is suppressed with them.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from members.models import Membership, PartnerOrganisation, Place, Role
from members.permissions import holds_role
from reciprocity import summary
from reciprocity.models import (
    MIN_GROUP_SIZE,
    Activity,
    Beneficiary,
    Contribution,
    ContributionKind,
    ContributionStatus,
    ThanksListing,
)
from reciprocity.models import SummaryDimension as Dimension
from shares.models import PaymentMethod, Subscription, SubscriptionStatus

ZERO = Decimal("0.00")
MAX_MONTHS = 120


def _hours(value) -> Decimal:
    """A sum of hours as the database gives it (None for no rows) with two decimals."""
    return ZERO if value is None else Decimal(str(value)).quantize(ZERO)


def _with_parties(queryset) -> QuerySet:
    return queryset.select_related(
        "activity",
        "place",
        "contributor__user",
        "beneficiary_member__user",
        "beneficiary_partner",
        "logged_by",
        "decided_by",
    )


def contributions_for_member(membership) -> QuerySet:
    """Everything the member gave and received, newest first."""
    return _with_parties(
        Contribution.objects.filter(
            Q(contributor=membership) | Q(beneficiary_member=membership),
            cooperative_id=membership.cooperative_id,
        )
    ).order_by("-date", "-pk")


def waiting_for(membership) -> QuerySet:
    """Contributions this member may confirm or decline: those they received and, for a
    coordinator, everything logged for the neighbourhood or a partner organisation. Never
    their own. Oldest first: those have waited longest."""
    mine = Q(beneficiary_member=membership)
    if holds_role(membership, Role.COORDINATOR):
        mine |= Q(beneficiary__in=[Beneficiary.NEIGHBOURHOOD, Beneficiary.PARTNER])
    return _with_parties(
        Contribution.objects.filter(
            mine,
            cooperative_id=membership.cooperative_id,
            status=ContributionStatus.LOGGED,
        ).exclude(contributor=membership)
    ).order_by("date", "pk")


def waiting_in(cooperative) -> QuerySet:
    """Everything in the cooperative that waits for confirmation, oldest first: the
    coordinators' work list."""
    return _with_parties(
        Contribution.objects.filter(cooperative=cooperative, status=ContributionStatus.LOGGED)
    ).order_by("date", "pk")


def _month_starts(months: int, today: datetime.date) -> list[datetime.date]:
    """The first day of each of the last `months` months, oldest first, this month last."""
    months = max(1, min(int(months), MAX_MONTHS))
    year, month = today.year, today.month
    starts = []
    for _index in range(months):
        starts.append(datetime.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return starts[::-1]


def balance(membership, *, months: int = 12) -> dict:
    """Hours the member gave and received (confirmed only), in all and per month for the last
    `months` months (oldest first, months without hours included). Two queries."""
    starts = _month_starts(months, timezone.localdate())
    confirmed = Contribution.objects.filter(
        cooperative_id=membership.cooperative_id, status=ContributionStatus.CONFIRMED
    )
    gave, received = Q(contributor=membership), Q(beneficiary_member=membership)
    totals = confirmed.filter(gave | received).aggregate(
        given=Sum("hours", filter=gave), received=Sum("hours", filter=received)
    )
    per_month = {
        summary.month_key(row["month"]): row
        for row in confirmed.filter(gave | received, date__gte=starts[0])
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(given=Sum("hours", filter=gave), received=Sum("hours", filter=received))
        .order_by()
    }
    return {
        "given": _hours(totals["given"]),
        "received": _hours(totals["received"]),
        "months": [
            {
                "month": start,
                "given": _hours(per_month.get(start, {}).get("given")),
                "received": _hours(per_month.get(start, {}).get("received")),
            }
            for start in starts
        ],
    }


def _partner_rows(cooperative, year) -> dict:
    """{partner id: hours, contributions, people}: of all time from the summary of time given
    (one query on a few rows), of one year from the contributions."""
    if year is None:
        sums = _sums(summary.window(cooperative, since=None, dimension=Dimension.PARTNER))
        return {
            key: {"hours": hours, "contributions": count, "people": people}
            for (_dimension, key), (hours, count, people) in sums.items()
            if count
        }
    given = Contribution.objects.filter(
        cooperative=cooperative,
        status=ContributionStatus.CONFIRMED,
        beneficiary=Beneficiary.PARTNER,
        date__year=int(year),
    )
    return {
        row["beneficiary_partner"]: row
        for row in given.values("beneficiary_partner")
        .annotate(
            hours=Sum("hours"),
            contributions=Count("pk"),
            people=Count("contributor", distinct=True),
        )
        .order_by()
    }


def partner_hours(cooperative, *, year: int | None = None) -> list[dict]:
    """For each partner organisation (active ones, and others that were given hours): the
    confirmed hours the neighbourhood gave it, in how many contributions, by how many people.
    For coordinators and the board; `public_partner_hours` is the public view. Two queries."""
    rows = _partner_rows(cooperative, year)
    partners = PartnerOrganisation.objects.filter(
        Q(is_active=True) | Q(pk__in=list(rows)), cooperative=cooperative
    ).order_by("name")
    return [
        {
            "partner": partner,
            "hours": _hours(rows.get(partner.pk, {}).get("hours")),
            "contributions": rows.get(partner.pk, {}).get("contributions") or 0,
            "people": rows.get(partner.pk, {}).get("people") or 0,
        }
        for partner in partners
    ]


def _group(hours, contributions, people) -> dict:
    if people < MIN_GROUP_SIZE:
        return {"hours": None, "contributions": None, "people": None, "suppressed": True}
    return {
        "hours": _hours(hours),
        "contributions": contributions,
        "people": people,
        "suppressed": False,
    }


def public_partner_hours(cooperative, *, year: int | None = None) -> list[dict]:
    """Partner organisations' hours for everyone to see: by organisation name, with any
    organisation helped by fewer than MIN_GROUP_SIZE people suppressed."""
    return [
        {"partner": row["partner"].name} | _group(row["hours"], row["contributions"], row["people"])
        for row in partner_hours(cooperative, year=year)
        if row["contributions"]
    ]


def _sums(rows) -> dict:
    """{(dimension, key): [hours, contributions, people]} over the months of `rows`: people are
    those whose last month in the group falls among them (summary.GroupMonthSummary)."""
    sums = {}
    for row in rows:
        group = sums.setdefault((row["dimension"], row["key"]), [ZERO, 0, 0])
        group[0] += row["hours"]
        group[1] += row["contributions"]
        group[2] += row["people_last"]
    return sums


def _rows_of(sums: dict, dimension: str) -> list[dict]:
    """The groups of one dimension that hold contributions; no particular place is None."""
    return [
        {
            "key": None if dimension == Dimension.PLACE and key == summary.NONE else key,
            "hours": hours,
            "contributions": count,
            "people": people,
        }
        for (of, key), (hours, count, people) in sums.items()
        if of == dimension and count
    ]


def _labels(rows: list[dict], named) -> None:
    keys = [row["key"] for row in rows if row["key"] is not None]
    names = dict(named.objects.filter(pk__in=keys).values_list("pk", "name"))
    for row in rows:
        row["label"] = names.get(row["key"])


def _breakdown(cooperative, rows, dimension, total_shown: bool, since) -> list[dict]:
    """One breakdown: its groups with the small ones suppressed, and one more query only when
    suppressed groups might be found by subtraction from the total."""
    small = [row["key"] for row in rows if row["people"] < MIN_GROUP_SIZE]
    shown = sorted(
        (row for row in rows if row["people"] >= MIN_GROUP_SIZE),
        key=lambda row: (row["people"], row["hours"], str(row["key"])),
    )
    if small and shown and total_shown:
        union = summary.people_in(cooperative, dimension, small, since=since)
        if union < MIN_GROUP_SIZE:
            small.append(shown[0]["key"])
    groups = []
    for row in rows:
        if row["key"] in small:
            group = _group(None, None, 0)
        else:
            group = _group(row["hours"], row["contributions"], row["people"])
        groups.append({"key": row["key"], "label": row.get("label")} | group)
    return groups


def public_aggregates(cooperative, *, months: int = 12) -> dict:
    """What everyone may see of the last `months` months: confirmed contributions in all, per
    activity, per place, per month and per partner organisation (hours, contributions and
    people), with small groups suppressed (see the module's docstring); and, when the
    cooperative has set an hourly rate, an estimate of the social value of the hours.

    Read from the summary of time given (reciprocity/summary.py), never from the contributions
    themselves: a few hundred rows whatever their number. Never a name. At most seven queries."""
    starts = _month_starts(months, timezone.localdate())
    since = starts[0]
    rows = summary.window(cooperative, since=since)
    sums = _sums(rows)
    hours, contributions, people = sums.get((Dimension.ALL, summary.NONE), (None, 0, 0))
    total = _group(hours, contributions, people)
    shown = not total["suppressed"]
    activities = _rows_of(sums, Dimension.ACTIVITY)
    places = _rows_of(sums, Dimension.PLACE)
    partners = _rows_of(sums, Dimension.PARTNER)
    for named, groups in ((Activity, activities), (Place, places), (PartnerOrganisation, partners)):
        if groups:
            _labels(groups, named)
    by_activity = _breakdown(cooperative, activities, Dimension.ACTIVITY, shown, since)
    by_place = _breakdown(cooperative, places, Dimension.PLACE, shown, since)
    for group in by_place:
        if group["key"] is None:
            group["label"] = _("No particular place")
    in_months = [
        {
            "key": summary.month_key(row["month"]),
            "hours": row["hours"],
            "contributions": row["contributions"],
            "people": row["people"],
        }
        for row in rows
        if row["dimension"] == Dimension.ALL and row["contributions"]
    ]
    found = {
        group["key"]: group
        for group in _breakdown(cooperative, in_months, Dimension.ALL, shown, since)
    }
    # Months without contributions are shown as such: nobody is described by a zero.
    empty = {"hours": ZERO, "contributions": 0, "people": 0, "suppressed": False}
    by_month = [
        {"month": start}
        | {name: value for name, value in found.get(start, empty).items() if name in empty}
        for start in starts
    ]
    by_partner = _breakdown(cooperative, partners, Dimension.PARTNER, False, since)
    return {
        "since": since,
        "until": timezone.localdate(),
        "months": len(starts),
        "min_group_size": MIN_GROUP_SIZE,
        "total": total,
        "by_activity": _named(by_activity, "activity"),
        "by_place": _named(by_place, "place"),
        "by_month": by_month,
        "by_partner": _named(by_partner, "partner"),
        "social_value": _social_value(cooperative, total),
    }


def _named(groups: list[dict], name: str) -> list[dict]:
    """Groups as {name: label, ...numbers}, largest first, suppressed ones last."""
    named = [{name: group.pop("label")} | group for group in groups]
    for group in named:
        group.pop("key")
    return sorted(
        named,
        key=lambda group: (group["suppressed"], -(group["hours"] or 0), str(group[name])),
    )


def _social_value(cooperative, total: dict) -> dict | None:
    """hours × the cooperative's hourly rate: an estimate of what the hours are worth to
    society, for reports. Never money owed or paid, and never for a suppressed total."""
    rate = cooperative.social_value_hourly_rate
    if rate is None or not rate.amount or total["suppressed"]:
        return None
    estimate = Money((total["hours"] * rate.amount).quantize(Decimal("0.01")), rate.currency)
    return {
        "hours": total["hours"],
        "hourly_rate": rate,
        "estimate": estimate,
        "is_estimate": True,
        "label": _(
            "Estimated social value: the hours given times %(rate)s an hour. An estimate for "
            "reports, not money owed or paid to anyone."
        )
        % {"rate": rate},
    }


def thanks_wall(cooperative) -> list[str]:
    """The names active members chose to show on the thank-you wall, alphabetically."""
    return list(
        ThanksListing.objects.filter(
            membership__cooperative=cooperative,
            membership__status="active",
        )
        .order_by("display_name")
        .values_list("display_name", flat=True)
    )


def member_for_number(cooperative, member_number) -> Membership | None:
    """The cooperative's member with this number, or None."""
    return (
        Membership.objects.select_related("user")
        .filter(cooperative=cooperative, member_number=member_number)
        .first()
    )


# In-kind subscriptions whose hours are free again.
RETURNED = (
    SubscriptionStatus.REFUSED,
    SubscriptionStatus.CANCELLED,
    SubscriptionStatus.REFUNDED,
)


def hours_to_spare(membership) -> Decimal:
    """Confirmed hours of time the member gave, less those already paid into shares (in-kind
    subscriptions that were not refused, withdrawn or paid back): what they may still put
    towards a share (`services.ask_share_for_hours`). Two queries."""
    given = Contribution.objects.filter(
        contributor=membership,
        kind=ContributionKind.TIME,
        status=ContributionStatus.CONFIRMED,
    ).aggregate(total=Sum("hours"))["total"] or Decimal("0")
    paid_in = Subscription.objects.filter(
        membership=membership, method=PaymentMethod.IN_KIND
    ).exclude(status__in=RETURNED).aggregate(total=Sum("paid_in_hours"))["total"] or Decimal("0")
    return (given - paid_in).quantize(Decimal("0.01"))
