"""The public aggregates counted straight from the contributions, as they were before the
summary of time given: the reference the summary's answers are compared with.

Only the tests use it. It reads every confirmed contribution of the period, so it is as slow
as that; what it counts is the definition the summary must keep.
"""

import datetime

from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import PartnerOrganisation, Place
from reciprocity.models import (
    MIN_GROUP_SIZE,
    Activity,
    Beneficiary,
    Contribution,
    ContributionStatus,
)
from reciprocity.selectors import (
    ZERO,
    _group,
    _hours,
    _month_starts,
    _named,
    _social_value,
)


class _Month(TruncMonth):
    """The first day of a date's month. On PostgreSQL without passing through a timestamp with
    time zone, which would convert every row's date by the session's time zone."""

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"DATE_TRUNC('month', ({sql})::timestamp)::date", params


def _month_key(value) -> datetime.date:
    """A truncated month as the database gives it (a date, a datetime, or on SQLite outside
    the ORM a string): the month's first day."""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.replace(day=1)


def _partner_rows(cooperative, year) -> dict:
    given = Contribution.objects.filter(
        cooperative=cooperative,
        status=ContributionStatus.CONFIRMED,
        beneficiary=Beneficiary.PARTNER,
    )
    if year is not None:
        given = given.filter(date__year=int(year))
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


def _per_person(confirmed, *keys) -> tuple[str, list]:
    """SQL summing each person's confirmed contributions per value of `keys`: the inner half of
    a two-step count. Counting people as rows of this (rather than COUNT(DISTINCT ...)) lets the
    database hash instead of sort, which is what keeps a year of a large cooperative fast."""
    # Grouped in the order of the covering index that serves it: a person's months follow
    # their dates; an activity's (a place's, an organisation's) people follow it.
    order = ("contributor", *keys) if keys == ("month",) else (*keys, "contributor")
    inner = (
        confirmed.values(*order)
        .annotate(person_hours=Sum("hours"), person_contributions=Count("pk"))
        .order_by()
    )
    return inner.query.sql_with_params()


def _fetch(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _total(confirmed) -> dict:
    sql, params = _per_person(confirmed)
    # The inner SQL is the ORM's, with its parameters apart: nothing here comes from a user.
    ((hours, contributions, people),) = _fetch(
        f"SELECT SUM(person_hours), SUM(person_contributions), COUNT(*) FROM ({sql}) per_person",  # noqa: S608
        params,
    )
    return _group(hours, contributions or 0, people)


def _groups(confirmed, column: str, named=None) -> list[dict]:
    """Hours, contributions and people per value of `column`, with the name of what the value
    points to when `named` is its model. One query."""
    sql, params = _per_person(confirmed, column)
    quote = connection.ops.quote_name
    key = f"per_person.{quote(column)}"
    if named is None:
        label, join = key, ""
    else:
        table = quote(named._meta.db_table)
        label = f"named.{quote('name')}"
        join = f" LEFT OUTER JOIN {table} named ON named.{quote('id')} = {key}"
    rows = _fetch(
        f"SELECT {key}, {label}, SUM(person_hours), SUM(person_contributions), COUNT(*) "  # noqa: S608
        f"FROM ({sql}) per_person{join} GROUP BY {key}, {label}",
        params,
    )
    convert = _month_key if column == "month" else (lambda value: value)
    return [
        {
            "key": None if key is None else convert(key),
            "label": label,
            "hours": hours,
            "contributions": count,
            "people": people,
        }
        for key, label, hours, count, people in rows
    ]


def _breakdown(confirmed, column: str, total_shown: bool, named=None) -> list[dict]:
    """One breakdown of the confirmed contributions by `column`: one GROUP BY query, and one
    more only when suppressed groups might be found by subtraction from the total."""
    rows = _groups(confirmed, column, named)
    small = [row["key"] for row in rows if row["people"] < MIN_GROUP_SIZE]
    shown = sorted(
        (row for row in rows if row["people"] >= MIN_GROUP_SIZE),
        key=lambda row: (row["people"], row["hours"], str(row["key"])),
    )
    if small and shown and total_shown:
        union = _people_in(confirmed, column, small)
        if union < MIN_GROUP_SIZE:
            small.append(shown[0]["key"])
    groups = []
    for row in rows:
        if row["key"] in small:
            group = _group(None, None, 0)
        else:
            group = _group(row["hours"], row["contributions"], row["people"])
        groups.append({"key": row["key"], "label": row["label"]} | group)
    return groups


def _people_in(confirmed, column: str, values: list) -> int:
    """Distinct people in the groups of `values`: few rows, found through the column's index."""
    condition = Q(**{f"{column}__in": [value for value in values if value is not None]})
    if None in values:
        condition |= Q(**{f"{column}__isnull": True})
    return confirmed.filter(condition).aggregate(people=Count("contributor", distinct=True))[
        "people"
    ]


def public_aggregates(cooperative, *, months: int = 12) -> dict:
    """What everyone may see of the last `months` months: confirmed contributions in all, per
    activity, per place, per month and per partner organisation (hours, contributions and
    people), with small groups suppressed (see the module's docstring); and, when the
    cooperative has set an hourly rate, an estimate of the social value of the hours.

    Never a name. A constant handful of queries (at most eight), each one aggregate."""
    starts = _month_starts(months, timezone.localdate())
    confirmed = Contribution.objects.filter(
        cooperative=cooperative,
        status=ContributionStatus.CONFIRMED,
        date__gte=starts[0],
    ).order_by()
    total = _total(confirmed)
    shown = not total["suppressed"]
    by_activity = _breakdown(confirmed, "activity_id", shown, named=Activity)
    by_place = _breakdown(confirmed, "place_id", shown, named=Place)
    for group in by_place:
        if group["key"] is None:
            group["label"] = _("No particular place")
    found = {
        group["key"]: group
        for group in _breakdown(confirmed.annotate(month=_Month("date")), "month", shown)
    }
    # Months without contributions are shown as such: nobody is described by a zero.
    empty = {"hours": ZERO, "contributions": 0, "people": 0, "suppressed": False}
    by_month = [
        {"month": start}
        | {name: value for name, value in found.get(start, empty).items() if name in empty}
        for start in starts
    ]
    by_partner = _breakdown(
        confirmed.filter(beneficiary=Beneficiary.PARTNER),
        "beneficiary_partner_id",
        False,
        named=PartnerOrganisation,
    )
    return {
        "since": starts[0],
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
