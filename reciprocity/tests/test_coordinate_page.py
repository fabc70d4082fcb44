"""The coordinators' work list: everything that waits for confirmation in the cooperative,
the activities, and the way to log on behalf of a resident."""

import pytest

from reciprocity import services

pytestmark = pytest.mark.django_db

URL = "/c/teststad/time/coordinate/"


def _client(hood, name):
    client = hood.client_for(name)
    client.cookies["django_language"] = "en"
    return client


def test_a_coordinator_sees_everything_that_waits_and_may_confirm_it(hood, activity):
    between_members = services.log_contribution(
        hood.cooperative,
        actor=hood.alice,
        activity=activity,
        hours="1",
        beneficiary="member",
        beneficiary_member=hood.membership("carol"),
    )
    for_the_neighbourhood = services.log_contribution(
        hood.cooperative, actor=hood.dave, activity=activity, hours="2"
    )

    page = _client(hood, "bob").get(URL).content.decode()

    assert "Alice Test gave this to Carol Test" in page
    assert "Dave Test gave this to the neighbourhood" in page
    for contribution in (between_members, for_the_neighbourhood):
        assert f"/c/teststad/time/{contribution.pk}/confirm/" in page
    assert "/c/teststad/time/log/" in page


def test_a_coordinators_own_contribution_waits_for_someone_else(hood, activity):
    services.log_contribution(hood.cooperative, actor=hood.bob, activity=activity, hours="2")

    page = _client(hood, "bob").get(URL).content.decode()

    assert "This is your own: someone else confirms it." in page
    assert "/confirm/" not in page


def test_the_board_reads_along_without_confirm_buttons(hood, activity):
    services.log_contribution(hood.cooperative, actor=hood.alice, activity=activity, hours="2")

    response = _client(hood, "carol").get(URL)

    assert response.status_code == 200
    assert "Coordinators confirm these; the board reads along." in response.content.decode()
    assert "/confirm/" not in response.content.decode()


def test_it_lists_the_activities_with_a_form_to_change_each(hood, activity):
    page = _client(hood, "bob").get(URL).content.decode()

    assert "Gedeelde maaltijd" in page
    assert f"/c/teststad/time/activities/{activity.pk}/" in page
    assert "Add an activity" in page


@pytest.mark.parametrize("name", ["alice", "dave", "erin", "frank"])
def test_others_may_not_coordinate(hood, name):
    assert _client(hood, name).get(URL).status_code == 403
