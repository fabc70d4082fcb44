import pytest
from django.conf import settings

from wijkbv.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, email, password, **extra):
    return client.post("/account/login/", {"username": email, "password": password}, **extra)


def test_it_logs_a_resident_in_and_sends_them_to_their_cooperative(hood, client):
    response = _login(client, "ALICE@example.org", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").url == "/c/teststad/"


def test_it_sets_the_language_the_person_chose(hood, client):
    hood.alice.preferred_language = "en"
    hood.alice.save()
    response = _login(client, "alice@example.org", PASSWORD)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_wrong_password_gets_a_clear_message_in_dutch(hood, client):
    response = _login(client, "alice@example.org", "wrong")
    assert response.status_code == 200
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar" in response.text
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_gets_a_clear_message_in_english(hood, client):
    response = _login(client, "alice@example.org", "wrong", headers={"accept-language": "en"})
    assert "This e-mail address and password do not match" in response.text


def test_repeated_failed_logins_are_throttled(hood, client):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "alice@example.org", "wrong")
    # Now even the right password is refused for a while.
    response = _login(client, "alice@example.org", PASSWORD)
    assert response.status_code == 429
    assert "Te veel pogingen" in response.text
    assert "_auth_user_id" not in client.session


def test_a_board_member_must_confirm_with_a_second_factor(hood, client):
    _login(client, "carol@example.org", PASSWORD)
    response = client.get("/c/teststad/")
    assert response.status_code == 302
    assert response.url == "/account/verify/?next=/c/teststad/"


def test_a_board_member_without_a_device_must_set_one_up_first(hood, client):
    hood.carol.totpdevice_set.all().delete()
    _login(client, "carol@example.org", PASSWORD)
    response = client.get("/c/teststad/")
    assert response.url == "/account/two-factor/?next=/c/teststad/"


def test_an_unverified_board_member_gets_403_from_the_session_api(hood, client):
    _login(client, "carol@example.org", PASSWORD)
    response = client.get("/api/v1/cooperatives/")
    assert response.status_code == 403
