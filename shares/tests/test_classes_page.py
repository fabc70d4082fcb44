"""The classes of shares page."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/c/teststad/shares/"


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _client(hood, name):
    return _english(hood.client_for(name))


def test_the_board_adds_a_class_and_a_resident_may_not(hood):
    data = {
        "code": "A",
        "name": "Resident shares",
        "nominal_value": "10.00",
        "authorised_shares": "100",
        "votes_per_share": "1",
        "is_transferable": "on",
    }

    refused = _client(hood, "alice").post(f"{URL}classes/", data)
    added = _client(hood, "carol").post(f"{URL}classes/", data, follow=True)

    assert refused.status_code == 403
    assert "Resident shares" in added.content.decode()
