"""My time: the member's balance, shown gently, their recent contributions, and what waits
for their confirmation. Private: nobody else's contributions appear."""

import pytest

from reciprocity import services
from reciprocity.tests.conftest import confirmed

pytestmark = pytest.mark.django_db

URL = "/c/teststad/time/"


def _client(hood, name):
    client = hood.client_for(name)
    client.cookies["django_language"] = "en"
    return client


def test_it_thanks_the_member_for_the_hours_they_gave_and_received(hood, activity):
    confirmed(hood, "alice", activity, hours="2")
    services.confirm_contribution(
        services.log_contribution(
            hood.cooperative,
            actor=hood.carol,
            activity=activity,
            hours="1.5",
            beneficiary="member",
            beneficiary_member=hood.membership("alice"),
        ),
        actor=hood.alice,
    )

    page = _client(hood, "alice").get(URL).content.decode()

    assert "<strong>2 hours</strong> you gave" in page
    assert "<strong>1.5 hours</strong> you received" in page
    assert "Thank you for what you do for the neighbourhood." in page
    assert "Confirmed hours in the last 12 months" in page


def test_it_shows_what_the_member_logged_and_that_it_waits(hood, activity):
    services.log_contribution(hood.cooperative, actor=hood.alice, activity=activity, hours="2")

    page = _client(hood, "alice").get(URL).content.decode()

    assert "You gave this to the neighbourhood" in page
    assert "Waiting for confirmation" in page
    assert "No confirmed hours yet." in page


def test_the_receiver_sees_what_waits_for_them_with_confirm_and_decline(hood, activity):
    contribution = services.log_contribution(
        hood.cooperative,
        actor=hood.alice,
        activity=activity,
        hours="1",
        beneficiary="member",
        beneficiary_member=hood.membership("carol"),
    )

    page = _client(hood, "carol").get(URL).content.decode()

    assert "Waiting for you" in page
    assert "Alice Test gave this to you" in page
    assert f"/c/teststad/time/{contribution.pk}/confirm/" in page
    assert f"/c/teststad/time/{contribution.pk}/decline/?back=home" in page


def test_it_never_shows_someone_elses_contributions(hood, activity):
    services.log_contribution(
        hood.cooperative, actor=hood.carol, activity=activity, hours="3", note="Soep voor Dave"
    )

    page = _client(hood, "alice").get(URL).content.decode()

    assert "Soep voor Dave" not in page
    assert "Carol" not in page
    assert "Nothing logged yet." in page


def test_it_offers_the_thank_you_wall_without_putting_anyone_on_it(hood):
    page = _client(hood, "alice").get(URL).content.decode()

    assert "Put my name on the wall" in page
    assert 'value="Alice"' in page
    assert "Take my name off the wall" not in page


def test_coordinators_find_their_work_from_here(hood):
    page = _client(hood, "bob").get(URL).content.decode()

    assert "/c/teststad/time/coordinate/" in page
    assert "/c/teststad/time/qr/" in page
