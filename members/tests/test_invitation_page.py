import datetime

import pytest
from django.utils import timezone

from members import services
from members.models import Invitation, Membership, User

pytestmark = pytest.mark.django_db

FORM = {
    "full_name": "Nadia Nieuw",
    "email": "nadia@example.org",
    "password": "lange-zin-als-wachtwoord",
}


@pytest.fixture
def token(hood):
    return services.invite_member(hood.cooperative, actor=hood.bob)[1]


def test_a_newcomer_joins_and_is_logged_in(hood, client, token):
    response = client.post(f"/invite/{token}/", FORM)
    assert response.url == "/c/teststad/"
    assert client.get("/c/teststad/").status_code == 200
    assert Membership.objects.filter(user__email="nadia@example.org").exists()


def test_a_reused_link_says_so(hood, client, token):
    client.post(f"/invite/{token}/", FORM)
    client.logout()
    response = client.get(f"/invite/{token}/")
    assert response.status_code == 410
    assert "Deze uitnodiging is al gebruikt" in response.text


def test_an_expired_link_says_so(hood, client, token):
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(f"/invite/{token}/", headers={"accept-language": "en"})
    assert response.status_code == 410
    assert "This invitation has expired" in response.text


def test_a_duplicate_email_is_shown_on_the_form_and_nothing_is_written(hood, client, token):
    users = User.objects.count()
    response = client.post(f"/invite/{token}/", FORM | {"email": "alice@example.org"})
    assert response.status_code == 200
    assert "Er is al een account met dit e-mailadres" in response.text
    assert User.objects.count() == users
    assert Invitation.objects.get().accepted_at is None


def test_an_invalid_email_is_shown_on_the_form(hood, client, token):
    users = User.objects.count()
    response = client.post(f"/invite/{token}/", FORM | {"email": "geen-adres"})
    assert response.status_code == 200
    assert 'id="id_email_error"' in response.text
    assert User.objects.count() == users
