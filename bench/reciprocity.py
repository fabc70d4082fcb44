"""Reciprocity benchmark: the public page of time given, for a cooperative of 10,000 members
with 1,000,000 contributions.

The cooperative, its activities, places and partner organisations are made through the
services; the members are written in bulk and the contributions are generated in the database
(INSERT ... SELECT over generate_series), a year of them: most confirmed, some waiting, a few
declined, one in ten to a partner organisation, a quarter without a place, and one activity
done by only three people, so that the page suppresses a group as it would in a real
neighbourhood. The summary of time given is then made from them, as after any bulk write.
Then the public page is asked for through Django's test client, as a visitor
would, with nothing cached: the median and the 95th percentile of the runs.
"""

import statistics
import time

SLUG = "time"
ACTIVITIES = ["Gedeelde maaltijd", "Burenhulp", "Gastvrouw/-heer", "Moestuin", "Taalmaatje"]
SMALL_ACTIVITY = "Geldzorgenclub"
PLACES = [("Buurtkamer", "community_room"), ("Moestuin", "garden"), ("Keuken", "kitchen")]
PARTNERS = ["Gemeente", "Zorgaanbieder", "Welzijn"]
WARMUP = 3

_CONTRIBUTIONS = """
INSERT INTO reciprocity_contribution (
    cooperative_id, contributor_id, kind, hours, amount, currency, activity_id, place_id, date,
    beneficiary, beneficiary_member_id, beneficiary_partner_id, note, status, logged_by_id,
    logged_at, decided_by_id, decided_at, decline_reason
)
SELECT
    %(cooperative)s,
    (%(members)s::bigint[])[1 + ((i::bigint * 7919) %% cardinality(%(members)s::bigint[]))],
    'time',
    (1 + i %% 12) * 0.25,
    NULL,
    'EUR',
    (%(activities)s::bigint[])[1 + i %% cardinality(%(activities)s::bigint[])],
    CASE WHEN i %% 4 = 0 THEN NULL ELSE (%(places)s::bigint[])[1 + (i / 4) %% 3] END,
    current_date - (i %% 365),
    CASE WHEN i %% 10 = 0 THEN 'partner' ELSE 'neighbourhood' END,
    NULL,
    CASE WHEN i %% 10 = 0 THEN (%(partners)s::bigint[])[1 + (i / 10) %% 3] END,
    '',
    CASE WHEN i %% 100 < 90 THEN 'confirmed' WHEN i %% 100 < 97 THEN 'logged' ELSE 'declined' END,
    NULL,
    now(),
    NULL,
    NULL,
    ''
FROM generate_series(1, %(count)s) AS i
"""


def load(members: int, contributions: int) -> int:
    """Make the cooperative and its data; returns the number of contributions written."""
    from django.db import connection, transaction

    from members import services as member_services
    from members.models import Cooperative, Membership, User
    from reciprocity import services, summary
    from reciprocity.models import Contribution, GroupMonthSummary, PersonMonthSummary

    cooperative = member_services.create_cooperative(
        actor=None, name="Bench time", slug=SLUG, social_value_hourly_rate=("15.00", "EUR")
    )
    activities = [
        services.add_activity(cooperative, actor=None, name=name).pk for name in ACTIVITIES
    ]
    small = services.add_activity(cooperative, actor=None, name=SMALL_ACTIVITY).pk
    places = [
        member_services.add_place(cooperative, actor=None, name=name, kind=kind).pk
        for name, kind in PLACES
    ]
    partners = [
        member_services.add_partner_organisation(
            cooperative, actor=None, name=name, sector="neighbourhood"
        ).pk
        for name in PARTNERS
    ]
    with transaction.atomic():
        users = User.objects.bulk_create(
            [User(full_name=f"Member {number}", password="!") for number in range(members)],
            batch_size=2000,
        )
        memberships = Membership.objects.bulk_create(
            [
                Membership(
                    user=user, cooperative=cooperative, member_number=number + 1, is_resident=True
                )
                for number, user in enumerate(users)
            ],
            batch_size=2000,
        )
    member_ids = [membership.pk for membership in memberships]
    small_count = max(contributions // 1000, 10)
    # Indexes are built faster once over all the rows than row by row.
    indexes = Contribution._meta.indexes
    with connection.schema_editor() as editor:
        for index in indexes:
            editor.remove_index(Contribution, index)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            _CONTRIBUTIONS,
            {
                "cooperative": cooperative.pk,
                "members": member_ids,
                "activities": activities,
                "places": places,
                "partners": partners,
                "count": contributions - small_count,
            },
        )
        cursor.execute(
            _CONTRIBUTIONS,
            {
                "cooperative": cooperative.pk,
                "members": member_ids[:3],
                "activities": [small],
                "places": places,
                "partners": partners,
                "count": small_count,
            },
        )
    with connection.schema_editor() as editor:
        for index in indexes:
            editor.add_index(Contribution, index)
    # Written in bulk, past the services: the summary the public page reads is made afresh.
    summary.rebuild(cooperative)
    with connection.cursor() as cursor:
        for table in (Contribution, PersonMonthSummary, GroupMonthSummary):
            cursor.execute(f"VACUUM ANALYZE {table._meta.db_table}")
    assert Cooperative.objects.filter(slug=SLUG).exists()
    return contributions


def public_page(runs: int) -> tuple[float, float, int]:
    """The public page of time given through the test client: median and 95th percentile in
    milliseconds, and the number of queries one request makes."""
    from django.urls import reverse

    return time_url(reverse("reciprocity:public", args=[SLUG]), runs)


def time_url(url: str, runs: int) -> tuple[float, float, int]:
    """GET `url` through Django's test client, as a visitor would, with nothing cached: median
    and 95th percentile in milliseconds of `runs` requests after a few to warm up, and the
    number of queries one request makes."""
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    # The benchmark's site has no collected static files: their addresses are made without
    # the manifest, which takes the same few microseconds.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
        return _time_page(Client(), url, runs)


def _time_page(client, url: str, runs: int) -> tuple[float, float, int]:
    from django.db import connection

    def ask():
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        return response

    for _warmup in range(WARMUP):
        ask()
    queries = []
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        ask()
    times = []
    for _run in range(runs):
        began = time.perf_counter()
        ask()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, len(queries)


def figures_of(median: float, p95: float, queries: int, members: int, contributions: int):
    """The public page of time given as benchmark figures."""
    from bench.report import Figure

    return [
        Figure(
            "reciprocity.public_page_ms",
            median,
            "ms",
            contributions,
            f"median GET of the public page of time given ({members:,} members, {queries} queries)",
        ),
        Figure(
            "reciprocity.public_page_p95_ms",
            p95,
            "ms",
            contributions,
            "95th percentile of the same GETs",
        ),
    ]
