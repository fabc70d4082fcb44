"""The public thank-you wall: the names of those who chose to be on it, and nobody else."""

import pytest

from reciprocity import services

pytestmark = pytest.mark.django_db

URL = "/c/teststad/open/thanks/"


def _client(hood):
    client = hood.client_for(None)
    client.cookies["django_language"] = "en"
    return client


def test_it_names_those_who_chose_to_be_on_the_wall_and_nobody_else(hood):
    services.join_thank_you_wall(hood.membership("alice"), actor=hood.alice, display_name="Alie")

    page = _client(hood).get(URL).content.decode()

    assert "Alie" in page
    assert "Alice Test" not in page
    assert "Carol" not in page
    assert "thank you all" in page


def test_a_member_who_left_the_wall_is_not_named(hood):
    alice = hood.membership("alice")
    services.join_thank_you_wall(alice, actor=hood.alice, display_name="Alie")
    services.leave_thank_you_wall(alice, actor=hood.alice)

    assert "Alie" not in _client(hood).get(URL).content.decode()


def test_an_empty_wall_says_so_warmly(hood):
    assert "Nobody has put their name here yet." in _client(hood).get(URL).content.decode()


def test_an_unknown_cooperative_is_not_found(hood):
    assert _client(hood).get("/c/nowhere/open/thanks/").status_code == 404


def test_it_speaks_dutch_by_default(hood):
    assert "Dank je wel!" in hood.client_for(None).get(URL).content.decode()
