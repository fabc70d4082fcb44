"""Twenty coordinators confirming twenty contributions at once, four of each of five people in
different months, against the real PostgreSQL server: the summary of time given ends equal to
what the contributions say."""

import datetime

import pytest
from django.utils import timezone

from members import services as member_services
from members.models import Role
from reciprocity import selectors, services, summary
from reciprocity.models import Contribution
from reciprocity.tests import straight
from wijkbv.racing import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACERS = 20


def test_confirmations_at_once_leave_the_summary_equal_to_the_contributions(hood):
    coop = hood.cooperative
    activities = [
        services.add_activity(coop, actor=hood.bob, name=name) for name in ("Burenhulp", "Moestuin")
    ]
    people = [
        member_services.register_resident(coop, actor=None, full_name=f"Buur {n}", email=None)
        for n in range(5)
    ]
    coordinators = [
        member_services.register_resident(
            coop,
            actor=None,
            full_name=f"Coordinator {number}",
            email=f"coordinator{number}@example.org",
            roles=[Role.RESIDENT, Role.COORDINATOR],
        ).user
        for number in range(RACERS)
    ]
    today = timezone.localdate()
    waiting = [
        services.log_contribution(
            coop,
            actor=hood.bob,
            contributor=people[number % 5],
            activity=activities[number % 2],
            hours=1 + number % 3,
            date=today - datetime.timedelta(days=40 * (number // 5)),
        ).pk
        for number in range(RACERS)
    ]

    refused, failures = race(
        lambda number: services.confirm_contribution(
            Contribution.objects.get(pk=waiting[number]), actor=coordinators[number]
        ),
        RACERS,
    )

    assert failures == []
    assert not refused
    assert Contribution.objects.filter(pk__in=waiting, status="confirmed").count() == RACERS
    assert summary.differences(coop) == []
    assert selectors.public_aggregates(coop) == straight.public_aggregates(coop)
    assert selectors.public_aggregates(coop)["total"]["people"] == 5
