import pytest
from rest_framework.test import APIClient

from members import services
from members.models import Cooperative

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Wijk-BV Teststad",
    "kvk_number": "12345678",
    "area_postcodes": "1234",
    "voting_mode": "per_member",
    "max_shares_per_member": "",
    "max_votes_per_member": "",
    "social_value_hourly_rate": "12.50",
    "reinvestment_rule": "",
}


def test_the_board_saves_the_settings(hood):
    response = hood.client_for("carol").post("/c/teststad/settings/", FORM)
    assert response.url == "/c/teststad/settings/"
    assert (
        str(Cooperative.objects.get(pk=hood.cooperative.pk).social_value_hourly_rate.amount)
        == "12.50"
    )


def test_an_invalid_kvk_number_is_shown_in_dutch_and_nothing_is_written(hood):
    response = hood.client_for("carol").post(
        "/c/teststad/settings/", FORM | {"kvk_number": "12-34"}
    )
    assert response.status_code == 200
    assert "Een KvK-nummer heeft precies 8 cijfers" in response.text
    assert Cooperative.objects.get(pk=hood.cooperative.pk).kvk_number == "12345678"


def test_a_treasurer_may_not_open_the_settings(hood):
    assert hood.client_for("dave").get("/c/teststad/settings/").status_code == 403


def _api(hood, name):
    client = APIClient()
    token = services.renew_api_token(hood.people[name], actor=hood.people[name])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


API_BODY = {
    "name": "Wijk-BV Teststad",
    "kvk_number": "12345678",
    "area_postcodes": ["1234"],
    "voting_mode": "per_member",
    "max_shares_per_member": None,
    "max_votes_per_member": None,
    "social_value_hourly_rate": "10.00",
    "reinvestment_rule": "",
}


def test_members_read_the_settings_through_the_api(hood):
    body = _api(hood, "alice").get("/api/v1/c/teststad/").json()
    assert body["slug"] == "teststad" and body["area_postcodes"] == ["1234"]


def test_an_invalid_postcode_through_the_api_is_a_400_and_nothing_is_written(hood):
    response = _api(hood, "carol").put(
        "/api/v1/c/teststad/", API_BODY | {"area_postcodes": ["0123"]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "area_postcodes"
    assert "geen Nederlandse postcode" in response.json()["detail"]
    assert Cooperative.objects.get(pk=hood.cooperative.pk).social_value_hourly_rate.amount == 0


def test_a_resident_may_not_change_the_settings_through_the_api(hood):
    response = _api(hood, "alice").put("/api/v1/c/teststad/", API_BODY, format="json")
    assert response.status_code == 403
