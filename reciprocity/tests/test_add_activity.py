import pytest

from reciprocity import services
from reciprocity.models import Activity
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_a_coordinator_adds_an_activity(hood):
    with captures_events(hood.cooperative) as events:
        activity = services.add_activity(
            hood.cooperative, actor=hood.bob, name=" Burenhulp ", description="Boodschappen"
        )
    assert activity.name == "Burenhulp"
    assert activity.is_active
    assert_audit_event(
        events,
        action="activity.added",
        actor=hood.bob,
        subject=activity,
        payload={"name": "Burenhulp", "description": "Boodschappen"},
    )


def test_the_board_adds_an_activity(hood):
    services.add_activity(hood.cooperative, actor=hood.carol, name="Moestuin")
    assert Activity.objects.filter(name="Moestuin").exists()


def test_the_same_name_may_be_used_in_another_cooperative(hood):
    services.add_activity(hood.cooperative, actor=hood.bob, name="Moestuin")
    services.add_activity(hood.other, actor=hood.olivia, name="Moestuin")
    assert Activity.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "description", "message"),
    [("", "", "Fill in a name"), ("   ", "", "Fill in a name"), ("x" * 101, "", "at most 100")],
)
def test_it_refuses_bad_input(hood, name, description, message):
    with pytest.raises(DomainError, match=message):
        services.add_activity(hood.cooperative, actor=hood.bob, name=name, description=description)
    assert not Activity.objects.exists()


def test_it_refuses_a_second_activity_with_the_same_name(hood):
    services.add_activity(hood.cooperative, actor=hood.bob, name="Moestuin")
    with pytest.raises(DomainError, match="already an activity"):
        services.add_activity(hood.cooperative, actor=hood.bob, name="moestuin")
    assert Activity.objects.count() == 1


@pytest.mark.parametrize("name", ["alice", "dave", "frank", "olivia"])
def test_others_may_not_add_an_activity(hood, name):
    with pytest.raises(NotAllowed):
        services.add_activity(hood.cooperative, actor=hood.people[name], name="Moestuin")
    assert not Activity.objects.exists()
