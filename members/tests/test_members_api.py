import pytest
from rest_framework.test import APIClient

from members import services
from members.models import Membership, User

pytestmark = pytest.mark.django_db


def _api(hood, name):
    client = APIClient()
    token = services.renew_api_token(hood.people[name], actor=hood.people[name])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_my_cooperatives_lists_roles(hood):
    response = _api(hood, "bob").get("/api/v1/cooperatives/")
    assert response.json() == [
        {
            "cooperative": "teststad",
            "cooperative_name": "Wijk-BV Teststad",
            "member_number": 2,
            "status": "active",
            "roles": ["coordinator", "resident"],
        }
    ]


def test_a_coordinator_registers_a_resident_through_the_api(hood):
    response = _api(hood, "bob").post(
        "/api/v1/c/teststad/members/", {"full_name": "Via API"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["has_email"] is False


def test_a_duplicate_email_is_a_400_with_the_message_and_nothing_is_written(hood):
    users = User.objects.count()
    response = _api(hood, "bob").post(
        "/api/v1/c/teststad/members/",
        {"full_name": "Dubbel", "email": "alice@example.org"},
        format="json",
        headers={"accept-language": "en"},
    )
    assert response.status_code == 400
    assert response.json()["field"] == "email"
    assert "already an account" in response.json()["detail"]
    assert User.objects.count() == users


def test_an_invalid_postcode_is_a_400_in_dutch(hood):
    before = Membership.objects.count()
    response = _api(hood, "bob").post(
        "/api/v1/c/teststad/members/", {"full_name": "X", "postcode": "12"}, format="json"
    )
    assert response.status_code == 400
    assert "geen Nederlandse postcode" in response.json()["detail"]
    assert Membership.objects.count() == before


def test_a_member_of_another_cooperative_gets_403(hood):
    response = _api(hood, "olivia").get("/api/v1/c/teststad/places/")
    assert response.status_code == 403


def test_a_resident_may_not_add_a_place_through_the_api(hood):
    response = _api(hood, "alice").post(
        "/api/v1/c/teststad/places/", {"name": "Tuin", "kind": "garden"}, format="json"
    )
    assert response.status_code == 403
    assert not hood.cooperative.places.exists()


def test_accepting_an_expired_or_reused_invitation_is_a_400(hood):
    _invitation, token = services.invite_member(hood.cooperative, actor=hood.bob)
    body = {
        "token": token,
        "full_name": "N",
        "email": "n@example.org",
        "password": "lange-zin-als-wachtwoord",
    }
    client = APIClient()
    assert client.post("/api/v1/invitations/accept/", body, format="json").status_code == 201
    users = User.objects.count()
    response = client.post(
        "/api/v1/invitations/accept/", body | {"email": "m@example.org"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invitation_used"
    assert User.objects.count() == users


def test_anonymous_requests_are_refused(hood):
    assert APIClient().get("/api/v1/c/teststad/places/").status_code in (401, 403)
