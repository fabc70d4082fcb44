"""Twenty coordinators confirming one contribution at once, and twenty requests logging one
person's hours on one day at once, against the real PostgreSQL server."""

from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Sum

from members import services as member_services
from members.models import Role
from reciprocity import services
from reciprocity.models import Contribution
from wijkbv.audit.chain import verify_chain
from wijkbv.audit.models import AuditEvent
from wijkbv.racing import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACERS = 20


def _race(work):
    return race(work, RACERS)


def test_a_contribution_confirmed_by_many_at_once_is_confirmed_once(hood):
    coop = hood.cooperative
    activity = services.add_activity(coop, actor=hood.bob, name="Burenhulp")
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
    contribution = services.log_contribution(coop, actor=hood.alice, activity=activity, hours=2)
    events_before = AuditEvent.objects.filter(cooperative=coop).count()

    refused, failures = _race(
        lambda number: services.confirm_contribution(
            Contribution.objects.get(pk=contribution.pk), actor=coordinators[number]
        )
    )

    assert failures == []
    assert refused == Counter({"already_confirmed": RACERS - 1})
    contribution.refresh_from_db()
    assert contribution.status == "confirmed"
    events = AuditEvent.objects.filter(cooperative=coop).order_by("seq")[events_before:]
    assert [event.action for event in events] == ["contribution.confirmed"]
    assert verify_chain(coop).broken is None


def test_hours_logged_at_once_for_one_person_never_pass_24_on_a_day(hood):
    coop = hood.cooperative
    activity = services.add_activity(coop, actor=hood.bob, name="Burenhulp")
    alice = hood.membership("alice")
    events_before = AuditEvent.objects.filter(cooperative=coop).count()

    def log(number):
        # Half of them the resident's own phone, half the coordinator logging for her.
        actor = hood.alice if number % 2 else hood.bob
        services.log_contribution(
            coop, actor=actor, activity=activity, hours="2.5", contributor=alice
        )

    refused, failures = _race(log)

    assert failures == []
    total = Contribution.objects.filter(contributor=alice).aggregate(total=Sum("hours"))["total"]
    assert total == Decimal("22.50")  # nine of 2.5 hours fit in a day; a tenth would make 25
    assert refused == Counter({"day_full": RACERS - 9})
    assert AuditEvent.objects.filter(cooperative=coop).count() == events_before + 9
    assert verify_chain(coop).broken is None
