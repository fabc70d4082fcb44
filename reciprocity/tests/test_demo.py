import io

import pytest
from django.core.management import call_command

from members.models import Cooperative
from reciprocity import selectors
from reciprocity.models import Activity, Contribution, ThanksListing
from shares.models import Subscription
from wijkbv.audit.chain import verify_chain
from wijkbv.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", stdout=io.StringIO())
    return Cooperative.objects.get(slug="moerwijk-oost")


def test_it_gives_the_demo_months_of_time_given_with_a_group_too_small_to_show(demo):
    contributions = Contribution.objects.filter(cooperative=demo)
    assert Activity.objects.filter(cooperative=demo).count() == 6
    assert contributions.count() > 2000
    assert {c.place.name for c in contributions.exclude(place=None).select_related("place")} == {
        "Buurtkamer De Moerhof",
        "Buurttuin Zuiderpark",
        "Keuken De Schaal",
    }
    for status in ("confirmed", "logged", "declined"):
        assert contributions.filter(status=status).exists(), status
    assert contributions.filter(beneficiary="partner").exists()
    assert contributions.filter(beneficiary="member").exists()
    on_behalf = contributions.filter(contributor__user__email=None).select_related("contributor")
    assert all(c.on_behalf for c in on_behalf[:20])
    public = selectors.public_aggregates(demo)
    assert not public["total"]["suppressed"]
    assert any(group["suppressed"] for group in public["by_activity"])
    assert any(not group["suppressed"] for group in public["by_activity"])
    assert ThanksListing.objects.filter(membership__cooperative=demo).count() == 8


def test_a_volunteer_asked_for_a_share_with_hours_given(demo):
    (earned,) = Subscription.objects.filter(cooperative=demo, method="in_kind")
    assert earned.status == "paid"
    assert earned.paid_in_hours == earned.share_class.hours_per_share


def test_the_recent_decisions_are_in_an_intact_audit_chain(demo):
    assert AuditEvent.objects.filter(cooperative=demo, action="contribution.confirmed").exists()
    assert verify_chain(demo).broken is None


def test_running_it_twice_changes_nothing(demo):
    before = (Contribution.objects.count(), AuditEvent.objects.count())
    call_command("demo", stdout=io.StringIO())
    assert (Contribution.objects.count(), AuditEvent.objects.count()) == before
