import io

import pytest
from django.core.management import call_command

from members.models import Cooperative
from shares.models import ShareClass, ShareLot, Subscription, SubscriptionStatus, Transfer
from shares.selectors import register_lines
from wijkbv.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", stdout=io.StringIO())
    return Cooperative.objects.get(slug="moerwijk-oost")


def test_it_gives_the_demo_neighbourhood_shareholders(demo):
    assert set(ShareClass.objects.filter(cooperative=demo).values_list("code", flat=True)) == {
        "A",
        "B",
    }
    holders = {line.member_number for line in register_lines(demo)}
    assert len(holders) == 31
    assert (
        Subscription.objects.filter(
            cooperative=demo, status=SubscriptionStatus.AWAITING_PAYMENT
        ).count()
        == 1
    )
    assert Transfer.objects.filter(cooperative=demo).count() == 1


def test_running_it_twice_changes_nothing(demo):
    before = (ShareLot.objects.count(), Subscription.objects.count(), AuditEvent.objects.count())

    call_command("demo", stdout=io.StringIO())

    assert (
        ShareLot.objects.count(),
        Subscription.objects.count(),
        AuditEvent.objects.count(),
    ) == before
