import pytest
from django.conf import settings

from members.models import User

pytestmark = pytest.mark.django_db

FORM = {
    "full_name": "Alice de Boer",
    "email": "alice@example.org",
    "preferred_language": "en",
    "postcode": "",
}


def test_saving_the_profile_switches_the_language(hood):
    client = hood.client_for("alice")
    response = client.post("/account/profile/", FORM)
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "My details" in client.get("/account/profile/").text


def test_a_duplicate_email_is_refused_on_the_page(hood):
    response = hood.client_for("alice").post(
        "/account/profile/", FORM | {"email": "bob@example.org"}
    )
    assert response.status_code == 200
    assert "Er is al een account met dit e-mailadres" in response.text
    assert User.objects.get(pk=hood.alice.pk).full_name == "Alice Test"


def test_an_api_token_is_shown_once(hood):
    client = hood.client_for("alice")
    response = client.post("/account/api-token/")
    assert response.status_code == 200
    assert hood.alice.auth_token.key in response.text


def test_it_links_to_the_persons_data_and_to_being_forgotten(hood):
    response = hood.client_for("alice").get("/account/profile/")

    assert 'href="/account/my-data/"' in response.text
    assert 'href="/account/forget/"' in response.text
