import pytest

from members import services
from members.models import Cooperative
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def _create(**overrides):
    values = dict(
        actor=None,
        name="Wijk-BV Noord",
        slug="noord",
        kvk_number="12345678",
        area_postcodes=["2533"],
    )
    values.update(overrides)
    return services.create_cooperative(**values)


def test_it_creates_a_cooperative_and_records_it():
    cooperative = _create(area_postcodes=["2533ab", "2534"])
    assert cooperative.area_postcodes == ["2533 AB", "2534"]
    events = list(AuditEvent.objects.filter(cooperative=cooperative))
    assert_audit_event(
        events,
        action="cooperative.created",
        actor=None,
        subject=cooperative,
        payload={
            "name": "Wijk-BV Noord",
            "slug": "noord",
            "kvk_number": "12345678",
            "area_postcodes": ["2533 AB", "2534"],
        },
    )


@pytest.mark.parametrize("kvk", ["1234567", "123456789", "1234567a", "abcdefgh"])
def test_it_refuses_an_invalid_kvk_number(kvk):
    with pytest.raises(DomainError, match="8 digits") as info:
        _create(kvk_number=kvk)
    assert info.value.field == "kvk_number"
    assert not Cooperative.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("postcode", ["0123", "25", "2533 A", "2533 SS", "ABCD"])
def test_it_refuses_an_invalid_postcode(postcode):
    with pytest.raises(DomainError, match="not a Dutch postcode") as info:
        _create(area_postcodes=["2533", postcode])
    assert info.value.field == "area_postcodes"
    assert not Cooperative.objects.exists()


def test_it_refuses_a_taken_slug():
    _create()
    with captures_events(Cooperative.objects.get()) as events:
        with pytest.raises(DomainError, match="already taken"):
            _create(name="Another")
    assert Cooperative.objects.count() == 1
    assert events == []


def test_it_lets_only_site_staff_found_a_cooperative(hood):
    with pytest.raises(NotAllowed):
        _create(actor=hood.carol)
    assert not Cooperative.objects.filter(slug="noord").exists()
