"""Choosing to be on the public thank-you wall, changing the name shown, and leaving it."""

import pytest

from reciprocity import services
from reciprocity.models import ThanksListing
from wijkbv.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/c/teststad/time/thank-you-wall/"


def _client(hood, name):
    client = hood.client_for(name)
    client.cookies["django_language"] = "en"
    return client


def test_a_member_puts_their_name_on_the_wall(hood):
    response = _client(hood, "alice").post(URL, {"display_name": "Alice"}, follow=True)

    assert ThanksListing.objects.get().display_name == "Alice"
    assert "Your name is on the thank-you wall." in response.content.decode()


def test_a_member_changes_the_name_shown(hood):
    services.join_thank_you_wall(hood.membership("alice"), actor=hood.alice, display_name="Alice")

    _client(hood, "alice").post(URL, {"display_name": "Alice van nr. 12"})

    assert ThanksListing.objects.get().display_name == "Alice van nr. 12"


def test_a_member_takes_their_name_off_the_wall(hood):
    services.join_thank_you_wall(hood.membership("alice"), actor=hood.alice, display_name="Alice")

    response = _client(hood, "alice").post(
        URL, {"display_name": "Alice", "leave": "1"}, follow=True
    )

    assert not ThanksListing.objects.exists()
    assert "no longer on the thank-you wall" in response.content.decode()


def test_an_empty_name_is_refused_and_nothing_is_written(hood):
    events = AuditEvent.objects.count()

    response = _client(hood, "alice").post(URL, {"display_name": "  "})

    assert response.status_code == 400
    assert "Fill in the name you want to show." in response.content.decode()
    assert not ThanksListing.objects.exists()
    assert AuditEvent.objects.count() == events


def test_leaving_when_not_on_the_wall_says_so(hood):
    response = _client(hood, "alice").post(URL, {"leave": "1"})

    assert response.status_code == 400
    assert "You are not on the thank-you wall." in response.content.decode()


def test_it_only_takes_a_post(hood):
    assert _client(hood, "alice").get(URL).status_code == 405
