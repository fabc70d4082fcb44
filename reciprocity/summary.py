"""The summary of time given: confirmed contributions counted per month, per person and per group
(reciprocity/models.py: PersonMonthSummary, GroupMonthSummary), so that the public aggregates read
a few hundred rows instead of a year of contributions (ADR 0063).

It is derived data. Whatever changes which contributions are confirmed calls `refresh` for the
people concerned in the same transaction (the services do; code that writes contributions in bulk,
such as the demo, calls `rebuild`). `refresh` recomputes those people's rows from their
contributions and moves the group rows by the difference, so it is right after any change, not
only after a confirmation. `differences` recomputes everything and names what does not match
(`manage.py time_given check`).
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, F, IntegerField, Max, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from reciprocity.models import (
    Beneficiary,
    Contribution,
    ContributionStatus,
    GroupMonthSummary,
    PersonMonthSummary,
)
from reciprocity.models import SummaryDimension as Dimension

# The summary's own lock, one per cooperative (PostgreSQL advisory lock, first key).
LOCK_NAMESPACE = 7_318_022
NONE = 0


class _Month(TruncMonth):
    """The first day of a date's month. On PostgreSQL without passing through a timestamp with
    time zone, which would convert every row's date by the session's time zone."""

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"DATE_TRUNC('month', ({sql})::timestamp)::date", params


def month_key(value) -> datetime.date:
    """A truncated month as the database gives it (a date, a datetime, or on SQLite outside
    the ORM a string): the month's first day."""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.replace(day=1)


def _hours(value) -> Decimal:
    return Decimal("0.00") if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _per_person(cooperative_id) -> list:
    """One grouped query per dimension: each person's confirmed hours and contributions per
    month and per value of the dimension, straight from the contributions."""
    confirmed = (
        Contribution.objects.filter(
            cooperative_id=cooperative_id, status=ContributionStatus.CONFIRMED
        )
        .annotate(month=_Month("date"))
        .order_by()
    )
    keys = [
        (Dimension.ALL, confirmed, Value(NONE, output_field=IntegerField())),
        (Dimension.ACTIVITY, confirmed, F("activity_id")),
        (
            Dimension.PLACE,
            confirmed,
            Coalesce("place_id", Value(NONE), output_field=IntegerField()),
        ),
        (
            Dimension.PARTNER,
            confirmed.filter(beneficiary=Beneficiary.PARTNER),
            F("beneficiary_partner_id"),
        ),
    ]
    return [
        (
            dimension,
            rows.annotate(group=key)
            .values("contributor_id", "group", "month")
            .annotate(total_hours=Sum("hours"), total_contributions=Count("pk"))
            .order_by(),
        )
        for dimension, rows, key in keys
    ]


def _expected(cooperative_id, contributor_ids=None) -> dict:
    """{(contributor, dimension, key, month): (hours, contributions)} from the contributions:
    one query grouped by everything a row can be counted in, added up here per dimension. (A
    rebuild counts each dimension in the database instead; the check compares the two.)"""
    confirmed = Contribution.objects.filter(
        cooperative_id=cooperative_id, status=ContributionStatus.CONFIRMED
    )
    if contributor_ids is not None:
        confirmed = confirmed.filter(contributor_id__in=contributor_ids)
    rows = (
        confirmed.annotate(month=_Month("date"))
        .values("contributor_id", "month", "activity_id", "place_id", "beneficiary_partner_id")
        .annotate(total_hours=Sum("hours"), total_contributions=Count("pk"))
        .order_by()
    )
    expected = defaultdict(lambda: [Decimal("0.00"), 0])
    for row in rows:
        month, contributor = month_key(row["month"]), row["contributor_id"]
        groups = [
            (Dimension.ALL, NONE),
            (Dimension.ACTIVITY, row["activity_id"]),
            (Dimension.PLACE, row["place_id"] or NONE),
        ]
        if row["beneficiary_partner_id"] is not None:
            groups.append((Dimension.PARTNER, row["beneficiary_partner_id"]))
        for dimension, key in groups:
            counted = expected[(contributor, dimension.value, key, month)]
            counted[0] += _hours(row["total_hours"])
            counted[1] += row["total_contributions"]
    return {place: tuple(counted) for place, counted in expected.items()}


def _stored(cooperative_id, contributor_ids=None) -> dict:
    """{(contributor, dimension, key, month): (hours, contributions, pk)} as the summary holds."""
    rows = PersonMonthSummary.objects.filter(cooperative_id=cooperative_id)
    if contributor_ids is not None:
        rows = rows.filter(contributor_id__in=contributor_ids)
    return {
        (row.contributor_id, row.dimension, row.key, row.month): (
            _hours(row.hours),
            row.contributions,
            row.pk,
        )
        for row in rows
    }


def _last_months(rows) -> dict:
    """{(contributor, dimension, key): the last month the person gave to that group}."""
    last = {}
    for contributor, dimension, key, month in rows:
        group = (contributor, dimension, key)
        if group not in last or month > last[group]:
            last[group] = month
    return last


def _lock(cooperative_id) -> None:
    """Changes to one cooperative's summary wait for each other: each reads a person's rows
    and then moves the group rows by what it found, which must not interleave."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, int(cooperative_id)]
            )


def refresh(cooperative_id, contributor_ids) -> None:
    """Bring the summary up to date for these people after their contributions changed: their
    own rows recomputed, the group rows moved by the difference. Call it inside the transaction
    that made the change."""
    contributor_ids = sorted({int(pk) for pk in contributor_ids})
    if not contributor_ids:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("refresh the summary of time given inside the change's transaction")
    _lock(cooperative_id)
    expected = _expected(cooperative_id, contributor_ids)
    stored = _stored(cooperative_id, contributor_ids)
    changed = [
        place
        for place in expected.keys() | stored.keys()
        if place not in stored or place not in expected or stored[place][:2] != expected[place]
    ]
    if not changed:
        return
    deltas = defaultdict(lambda: [Decimal("0.00"), 0, 0, 0])
    for place in changed:
        _contributor, dimension, key, month = place
        delta = deltas[(dimension, key, month)]
        if place in stored:
            hours, count, _pk = stored[place]
            delta[0] -= hours
            delta[1] -= count
            delta[2] -= 1
        if place in expected:
            hours, count = expected[place]
            delta[0] += hours
            delta[1] += count
            delta[2] += 1
    last_before, last_after = _last_months(stored), _last_months(expected)
    for group in last_before.keys() | last_after.keys():
        before, after = last_before.get(group), last_after.get(group)
        if before != after:
            _contributor, dimension, key = group
            if before is not None:
                deltas[(dimension, key, before)][3] -= 1
            if after is not None:
                deltas[(dimension, key, after)][3] += 1
    PersonMonthSummary.objects.filter(
        pk__in=[stored[place][2] for place in changed if place in stored]
    ).delete()
    PersonMonthSummary.objects.bulk_create(
        [
            PersonMonthSummary(
                cooperative_id=cooperative_id,
                contributor_id=place[0],
                dimension=place[1],
                key=place[2],
                month=place[3],
                hours=expected[place][0],
                contributions=expected[place][1],
            )
            for place in sorted(changed)
            if place in expected
        ]
    )
    _move_groups(cooperative_id, deltas)


def _move_groups(cooperative_id, deltas: dict) -> None:
    """Add the deltas to the group rows, making those that do not exist yet: one statement,
    the rows in a fixed order, each sum moved in the database (never read and written back)."""
    rows = [(key, delta) for key, delta in sorted(deltas.items()) if any(delta)]
    if not rows:
        return
    table = connection.ops.quote_name(GroupMonthSummary._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(rows))
    params = []
    for (dimension, key, month), (hours, count, people, last) in rows:
        params += [cooperative_id, dimension, key, month, hours, count, people, last]
    moved = ", ".join(
        f"{column} = {table}.{column} + excluded.{column}"
        for column in ("hours", "contributions", "people", "people_last")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (cooperative_id, dimension, key, month, hours, contributions, "  # noqa: S608
            f"people, people_last) VALUES {values} "
            f"ON CONFLICT (cooperative_id, dimension, key, month) DO UPDATE SET {moved}",
            params,
        )


@transaction.atomic
def rebuild(cooperative) -> None:
    """Make the cooperative's summary afresh from its contributions, in a few statements
    whatever their number: after contributions were written in bulk."""
    cooperative_id = cooperative.pk
    _lock(cooperative_id)
    PersonMonthSummary.objects.filter(cooperative_id=cooperative_id).delete()
    GroupMonthSummary.objects.filter(cooperative_id=cooperative_id).delete()
    quote = connection.ops.quote_name
    table = quote(PersonMonthSummary._meta.db_table)
    with connection.cursor() as cursor:
        for dimension, rows in _per_person(cooperative_id):
            sql, params = rows.query.sql_with_params()
            # The inner SQL is the ORM's, with its parameters apart: nothing here from a user.
            cursor.execute(
                f"INSERT INTO {table} (cooperative_id, contributor_id, dimension, key, month, "  # noqa: S608
                f"hours, contributions) SELECT %s, per_person.{quote('contributor_id')}, %s, "
                f"per_person.{quote('group')}, per_person.{quote('month')}, "
                f"per_person.{quote('total_hours')}, per_person.{quote('total_contributions')} "
                f"FROM ({sql}) per_person",
                [cooperative_id, dimension.value, *params],
            )
    GroupMonthSummary.objects.bulk_create(_groups_from_people(cooperative_id))


def _groups_from_people(cooperative_id) -> list[GroupMonthSummary]:
    """The group rows as the person rows make them: two grouped queries."""
    people = PersonMonthSummary.objects.filter(cooperative_id=cooperative_id).order_by()
    groups = {}
    for row in people.values("dimension", "key", "month").annotate(
        total_hours=Sum("hours"), total_contributions=Sum("contributions"), count=Count("pk")
    ):
        groups[(row["dimension"], row["key"], month_key(row["month"]))] = GroupMonthSummary(
            cooperative_id=cooperative_id,
            dimension=row["dimension"],
            key=row["key"],
            month=month_key(row["month"]),
            hours=_hours(row["total_hours"]),
            contributions=row["total_contributions"],
            people=row["count"],
            people_last=0,
        )
    last = people.values("dimension", "key", "contributor_id").annotate(last=Max("month"))
    for row in last:
        groups[(row["dimension"], row["key"], month_key(row["last"]))].people_last += 1
    return [groups[key] for key in sorted(groups)]


def differences(cooperative) -> list[str]:
    """What the summary holds that its contributions do not say, in words; empty when right."""
    cooperative_id = cooperative.pk
    found = []
    expected = _expected(cooperative_id)
    stored = _stored(cooperative_id)
    for place in sorted(expected.keys() | stored.keys()):
        held = stored[place][:2] if place in stored else None
        if held != expected.get(place):
            contributor, dimension, key, month = place
            found.append(
                f"member {contributor}, {dimension} {key}, {month:%Y-%m}: the summary holds "
                f"{held}, the contributions make {expected.get(place)}"
            )
    if found:
        return found
    should = {
        (row.dimension, row.key, row.month): (
            _hours(row.hours),
            row.contributions,
            row.people,
            row.people_last,
        )
        for row in _groups_from_people(cooperative_id)
    }
    held = {
        (row.dimension, row.key, row.month): (
            _hours(row.hours),
            row.contributions,
            row.people,
            row.people_last,
        )
        for row in GroupMonthSummary.objects.filter(cooperative_id=cooperative_id)
    }
    empty = (Decimal("0.00"), 0, 0, 0)
    for place in sorted(should.keys() | held.keys()):
        if should.get(place, empty) != held.get(place, empty):
            dimension, key, month = place
            found.append(
                f"{dimension} {key}, {month:%Y-%m}: the summary holds {held.get(place, empty)}, "
                f"the contributions make {should.get(place, empty)}"
            )
    return found


def window(cooperative, *, since: datetime.date | None, dimension: str | None = None) -> list:
    """The group rows from `since` on (all months when None), of one dimension or all: one
    query, a few hundred rows."""
    rows = GroupMonthSummary.objects.filter(cooperative=cooperative)
    if dimension is not None:
        rows = rows.filter(dimension=dimension)
    if since is not None:
        rows = rows.filter(month__gte=since)
    return list(
        rows.values(
            "dimension", "key", "month", "hours", "contributions", "people", "people_last"
        ).order_by()
    )


def people_in(cooperative, dimension: str, keys: list, *, since: datetime.date) -> int:
    """Distinct people who gave to any of these groups from `since` on; for months the keys
    are months of everything given. Few rows: only small groups are asked about."""
    rows = PersonMonthSummary.objects.filter(
        cooperative=cooperative, month__gte=since, dimension=dimension
    )
    if dimension == Dimension.ALL:
        rows = rows.filter(key=NONE, month__in=keys)
    else:
        rows = rows.filter(key__in=[NONE if key is None else key for key in keys])
    return rows.aggregate(people=Count("contributor", distinct=True))["people"]
