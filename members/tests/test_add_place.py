import pytest

from members import services
from members.models import Place
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_a_coordinator_adds_a_place(hood):
    with captures_events(hood.cooperative) as events:
        place = services.add_place(
            hood.cooperative, actor=hood.bob, name="Buurtkamer", kind="community_room"
        )
    assert_audit_event(
        events,
        action="place.added",
        actor=hood.bob,
        subject=place,
        payload={"name": "Buurtkamer", "kind": "community_room"},
    )


@pytest.mark.parametrize(
    ("name", "kind", "message"),
    [("", "garden", "Fill in a name"), ("Tuin", "castle", "what kind of place")],
)
def test_it_refuses_bad_input(hood, name, kind, message):
    with pytest.raises(DomainError, match=message):
        services.add_place(hood.cooperative, actor=hood.bob, name=name, kind=kind)
    assert not Place.objects.exists()


def test_it_refuses_a_second_place_with_the_same_name(hood):
    services.add_place(hood.cooperative, actor=hood.bob, name="Tuin", kind="garden")
    with pytest.raises(DomainError, match="already a place"):
        services.add_place(hood.cooperative, actor=hood.bob, name="tuin", kind="garden")
    assert Place.objects.count() == 1


def test_a_resident_may_not_add_a_place(hood):
    with pytest.raises(NotAllowed):
        services.add_place(hood.cooperative, actor=hood.alice, name="Tuin", kind="garden")
    assert not Place.objects.exists()
