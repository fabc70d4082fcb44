import pytest

from members.models import Membership, Place

pytestmark = pytest.mark.django_db


def test_a_member_sees_their_cooperative_home(hood):
    response = hood.client_for("alice").get("/c/teststad/")
    assert response.status_code == 200
    assert "Alice" in response.text


def test_a_member_of_another_cooperative_is_refused_with_a_reason(hood):
    response = hood.client_for("olivia").get("/c/teststad/places/")
    assert response.status_code == 403
    assert "Je bent geen lid van Wijk-BV Teststad" in response.text


def test_a_resident_may_not_see_the_member_list(hood):
    response = hood.client_for("alice").get("/c/teststad/members/")
    assert response.status_code == 403


def test_an_unknown_cooperative_is_404(hood):
    assert hood.client_for("alice").get("/c/nergens/").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(hood, client):
    response = client.get("/c/teststad/")
    assert response.url == "/account/login/?next=/c/teststad/"


def test_a_coordinator_registers_a_resident_on_the_web(hood):
    client = hood.client_for("bob")
    response = client.post(
        "/c/teststad/members/new/", {"full_name": "Wim Zonder Mail", "postcode": "1234 AB"}
    )
    assert response.url == "/c/teststad/members/"
    assert Membership.objects.filter(user__full_name="Wim Zonder Mail").exists()


def test_an_invalid_postcode_is_shown_and_nothing_is_written(hood):
    before = Membership.objects.count()
    response = hood.client_for("bob").post(
        "/c/teststad/members/new/", {"full_name": "Wim", "postcode": "0000"}
    )
    assert response.status_code == 200
    assert "is geen Nederlandse postcode" in response.text
    assert Membership.objects.count() == before


def test_the_switcher_goes_only_to_own_cooperatives(hood):
    client = hood.client_for("alice")
    assert client.get("/switch/?cooperative=teststad").url == "/c/teststad/"
    response = client.get("/switch/?cooperative=elders")
    assert response.url == "/"


def test_a_resident_cannot_post_a_place(hood):
    response = hood.client_for("alice").post(
        "/c/teststad/places/", {"name": "Tuin", "kind": "garden"}
    )
    assert response.status_code == 403
    assert not Place.objects.exists()


def test_a_coordinator_adds_a_place_and_sees_it(hood):
    client = hood.client_for("bob")
    response = client.post("/c/teststad/places/", {"name": "Tuin", "kind": "garden"})
    assert response.url == "/c/teststad/places/"
    assert "Tuin" in client.get("/c/teststad/places/").text


def test_the_invitation_link_is_shown_once(hood):
    client = hood.client_for("bob")
    response = client.post("/c/teststad/invitations/", {"email": "", "roles": ["resident"]})
    assert "/invite/" in response.text
    assert "/invite/" not in client.get("/c/teststad/invitations/").text


def test_an_overlong_email_is_refused_on_the_form(hood):
    before = Membership.objects.count()
    response = hood.client_for("bob").post(
        "/c/teststad/members/new/", {"full_name": "Lang", "email": "a" * 250 + "@example.org"}
    )
    assert response.status_code == 200
    assert 'id="id_email_error"' in response.text
    assert Membership.objects.count() == before
