"""Adding, renaming and taking activities out of use from the coordinators' page."""

import pytest

from reciprocity.models import Activity
from wijkbv.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

ADD = "/c/teststad/time/activities/"


def _client(hood, name):
    client = hood.client_for(name)
    client.cookies["django_language"] = "en"
    return client


def test_a_coordinator_adds_an_activity(hood):
    response = _client(hood, "bob").post(
        ADD,
        {"new-name": "Geldzorgenclub", "new-description": "Samen rekeningen uitzoeken"},
        follow=True,
    )

    activity = Activity.objects.get()
    assert (activity.name, activity.description) == ("Geldzorgenclub", "Samen rekeningen uitzoeken")
    assert "The activity has been added." in response.content.decode()


def test_a_name_in_use_is_refused_and_nothing_is_written(hood, activity):
    events = AuditEvent.objects.count()

    response = _client(hood, "bob").post(ADD, {"new-name": "gedeelde maaltijd"})

    assert response.status_code == 400
    assert "There is already an activity with this name." in response.content.decode()
    assert Activity.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_an_empty_name_is_refused(hood):
    response = _client(hood, "bob").post(ADD, {"new-name": ""})

    assert response.status_code == 400
    assert "Fill in a name." in response.content.decode()
    assert not Activity.objects.exists()


def test_a_coordinator_renames_an_activity_and_takes_it_out_of_use(hood, activity):
    prefix = f"activity-{activity.pk}"

    _client(hood, "bob").post(
        f"{ADD}{activity.pk}/", {f"{prefix}-name": "Samen eten", f"{prefix}-description": ""}
    )

    activity.refresh_from_db()
    assert activity.name == "Samen eten"
    assert not activity.is_active


def test_a_resident_may_not_add_activities(hood):
    assert _client(hood, "alice").post(ADD, {"new-name": "Tuin"}).status_code == 403
    assert not Activity.objects.exists()
