import pytest

from reciprocity import services
from reciprocity.models import Activity
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_a_coordinator_takes_an_activity_out_of_use(hood, activity):
    with captures_events(hood.cooperative) as events:
        services.update_activity(activity, actor=hood.bob, is_active=False)
    activity.refresh_from_db()
    assert not activity.is_active
    assert_audit_event(
        events,
        action="activity.updated",
        actor=hood.bob,
        subject=activity,
        payload={"name": "Gedeelde maaltijd", "changes": {"is_active": False}},
    )


def test_the_board_renames_and_describes_an_activity(hood, activity):
    services.update_activity(
        activity, actor=hood.carol, name="Buurtmaaltijd", description="Dinsdag en vrijdag"
    )
    activity.refresh_from_db()
    assert (activity.name, activity.description) == ("Buurtmaaltijd", "Dinsdag en vrijdag")


def test_nothing_changed_records_nothing(hood, activity):
    with captures_events(hood.cooperative) as events:
        services.update_activity(activity, actor=hood.bob, name="Gedeelde maaltijd")
    assert events == []


def test_it_refuses_a_name_another_activity_has(hood, activity):
    services.add_activity(hood.cooperative, actor=hood.bob, name="Moestuin")
    with pytest.raises(DomainError, match="already an activity"):
        services.update_activity(activity, actor=hood.bob, name="MOESTUIN")
    activity.refresh_from_db()
    assert activity.name == "Gedeelde maaltijd"


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"name": ""}, "Fill in a name"), ({"is_active": "no"}, "whether the activity is in use")],
)
def test_it_refuses_bad_input(hood, activity, fields, message):
    with pytest.raises(DomainError, match=message):
        services.update_activity(activity, actor=hood.bob, **fields)
    assert Activity.objects.get().name == "Gedeelde maaltijd"


def test_a_resident_may_not_change_an_activity(hood, activity):
    with pytest.raises(NotAllowed):
        services.update_activity(activity, actor=hood.alice, is_active=False)
    assert Activity.objects.get().is_active
