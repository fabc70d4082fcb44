import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from members import services
from members.models import RetainedIdentity
from wijkbv.audit.chain import verify_chain
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import NotAllowed

pytestmark = pytest.mark.django_db

FORGOTTEN_ON = datetime.date(2026, 4, 1)


def _retained(hood, number, retain_until):
    return RetainedIdentity.objects.create(
        cooperative=hood.cooperative,
        member_number=number,
        full_name=f"Former member {number}",
        street_address="Dorpsstraat 1",
        last_financial_record_on=datetime.date(2026, 3, 1),
        forgotten_on=FORGOTTEN_ON,
        retain_until=retain_until,
    )


def test_identities_are_deleted_the_day_after_their_last_day(hood):
    expired = _retained(hood, 41, datetime.date(2033, 12, 31))
    kept = _retained(hood, 42, datetime.date(2034, 12, 31))

    with captures_events(hood.cooperative) as events:
        count = services.purge_retained_identities(actor=None, today=datetime.date(2034, 1, 1))

    assert count == 1
    assert list(RetainedIdentity.objects.all()) == [kept]
    assert not RetainedIdentity.objects.filter(pk=expired.pk).exists()
    assert_audit_event(
        events,
        action="member.retained_identities_purged",
        actor=None,
        payload={"member_numbers": [41], "on": "2034-01-01"},
    )
    assert verify_chain(hood.cooperative).broken is None


def test_nothing_is_deleted_on_the_last_day(hood):
    _retained(hood, 41, datetime.date(2033, 12, 31))

    with captures_events(hood.cooperative) as events:
        count = services.purge_retained_identities(actor=None, today=datetime.date(2033, 12, 31))

    assert count == 0
    assert RetainedIdentity.objects.count() == 1
    assert events == []


def test_only_the_system_may_purge(hood):
    _retained(hood, 41, datetime.date(2033, 12, 31))

    with captures_events(hood.cooperative) as events, pytest.raises(NotAllowed):
        services.purge_retained_identities(actor=hood.dave, today=datetime.date(2040, 1, 1))

    assert RetainedIdentity.objects.count() == 1
    assert events == []


def test_the_command_purges_as_on_the_day_given(hood):
    _retained(hood, 41, datetime.date(2033, 12, 31))
    out = StringIO()

    call_command("purge_retained_identities", "--today", "2034-01-01", stdout=out)

    assert out.getvalue() == "1 kept identities deleted\n"
    assert not RetainedIdentity.objects.exists()
