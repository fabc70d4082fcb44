import datetime

import pytest

from shares import services
from shares.models import ShareLot, SubscriptionStatus
from shares.tests.conftest import DEED
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def _approved(hood, share_class, name, count, *, paid=True):
    subscription = services.subscribe_to_shares(share_class, actor=hood.people[name], count=count)
    if paid:
        services.record_subscription_payment(subscription, actor=hood.dave)
    return services.approve_subscription(subscription, actor=hood.carol, **DEED)


def test_it_issues_consecutive_certificate_numbers(hood, a_class):
    first = _approved(hood, a_class, "alice", 3)
    second = _approved(hood, a_class, "erin", 2)
    issued_on = datetime.date(2026, 2, 1)

    services.issue_shares(first, actor=hood.dave, issued_on=issued_on)
    with captures_events(hood.cooperative) as events:
        lot = services.issue_shares(second, actor=hood.carol, issued_on=issued_on)

    assert (lot.first_certificate, lot.last_certificate) == (4, 5)
    assert lot.acquired_on == issued_on
    second.refresh_from_db()
    assert second.status == SubscriptionStatus.ISSUED
    assert_audit_event(
        events,
        action="shares.issued",
        actor=hood.carol,
        subject=second,
        payload={
            "subscription": second.pk,
            "member_number": hood.membership("erin").member_number,
            "share_class": "A",
            "count": 2,
            "amount": "20.00",
            "issued_on": "2026-02-01",
            "certificates": [4, 5],
        },
    )


def test_it_refuses_an_unpaid_subscription(hood, a_class):
    unpaid = _approved(hood, a_class, "alice", 1, paid=False)
    before = AuditEvent.objects.count()

    with pytest.raises(DomainError, match="has not been paid yet"):
        services.issue_shares(unpaid, actor=hood.dave)

    assert not ShareLot.objects.exists()
    assert AuditEvent.objects.count() == before


def test_it_refuses_a_subscription_the_board_has_not_approved(hood, a_class):
    subscription = services.subscribe_to_shares(a_class, actor=hood.alice, count=1)
    services.record_subscription_payment(subscription, actor=hood.dave)

    with pytest.raises(DomainError, match="Only an approved subscription"):
        services.issue_shares(subscription, actor=hood.dave)

    assert not ShareLot.objects.exists()


def test_it_refuses_to_issue_twice(hood, a_class):
    subscription = _approved(hood, a_class, "alice", 1)
    services.issue_shares(subscription, actor=hood.dave)

    with pytest.raises(DomainError, match="this one is issued"):
        services.issue_shares(subscription, actor=hood.dave)

    assert ShareLot.objects.count() == 1


def test_a_resident_may_not_issue(hood, a_class):
    subscription = _approved(hood, a_class, "alice", 1)

    with pytest.raises(NotAllowed):
        services.issue_shares(subscription, actor=hood.alice)
