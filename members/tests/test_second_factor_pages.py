import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from wijkbv.testing import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def carol_client(hood, client):
    client.post("/account/login/", {"username": "carol@example.org", "password": PASSWORD})
    return client


def test_the_right_code_lets_a_board_member_in(hood, carol_client):
    code = f"{totp(TOTPDevice.objects.get(user=hood.carol).bin_key):06d}"
    response = carol_client.post(
        "/account/verify/", {"token": code, "next": "/c/teststad/members/"}
    )
    assert response.url == "/c/teststad/members/"
    assert carol_client.get("/c/teststad/members/").status_code == 200


def test_a_wrong_code_is_shown_as_an_error(hood, carol_client):
    code = f"{(totp(TOTPDevice.objects.get(user=hood.carol).bin_key) + 1) % 1_000_000:06d}"
    response = carol_client.post("/account/verify/", {"token": code})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.text
    assert carol_client.get("/c/teststad/").status_code == 302


def test_it_never_redirects_to_another_site(hood, carol_client):
    code = f"{totp(TOTPDevice.objects.get(user=hood.carol).bin_key):06d}"
    response = carol_client.post(
        "/account/verify/", {"token": code, "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_setting_up_an_authenticator_shows_a_qr_code_and_confirms(hood, carol_client):
    hood.carol.totpdevice_set.all().delete()
    page = carol_client.get("/account/two-factor/")
    assert 'src="data:image/svg+xml' in page.text
    device = TOTPDevice.objects.get(user=hood.carol, confirmed=False)
    response = carol_client.post("/account/two-factor/", {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert carol_client.get("/c/teststad/").status_code == 200
