"""Printable QR codes that open the log form with the place (and activity) filled in."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/c/teststad/time/qr/"


def _client(hood, name):
    client = hood.client_for(name)
    client.cookies["django_language"] = "en"
    return client


def test_it_makes_one_code_per_place_and_activity(hood, activity, place):
    page = _client(hood, "bob").get(URL, {"places": place.pk, "activities": activity.pk})
    page = page.content.decode()

    assert page.count('class="qr"><title>') == 1
    assert (
        f"http://testserver/c/teststad/time/log/?place={place.pk}&amp;activity={activity.pk}"
        in page
    )
    assert "Scan with your phone to log your time." in page
    assert "Buurtkamer" in page and "Gedeelde maaltijd" in page
    assert "@media print" in page


def test_without_an_activity_the_code_fixes_the_place_only(hood, activity, place):
    page = _client(hood, "bob").get(URL, {"places": place.pk}).content.decode()

    assert f'/c/teststad/time/log/?place={place.pk}"' in page or f"?place={place.pk}<" in page


def test_the_instruction_is_dutch_by_default(hood, place):
    page = hood.client_for("bob").get(URL, {"places": place.pk}).content.decode()

    assert "Scan met je telefoon om je tijd te noteren." in page


def test_without_places_it_says_to_add_them_first(hood):
    assert "There are no places yet." in _client(hood, "carol").get(URL).content.decode()


@pytest.mark.parametrize("name", ["alice", "dave"])
def test_others_may_not_print_codes(hood, name):
    assert _client(hood, name).get(URL).status_code == 403
