"""The second factor must guard the API as it guards the pages (cross-app: account pages,
middleware and API authentication together)."""

from django.test import Client
from rest_framework.authtoken.models import Token

from wijkbv.testing import PASSWORD


def test_a_password_alone_does_not_give_a_board_member_an_api_token(hood):
    browser = Client()
    browser.post("/account/login/", {"username": "carol@example.org", "password": PASSWORD})
    response = browser.post("/account/api-token/")
    assert response.status_code == 302
    assert response.url.startswith("/account/verify/")
    assert not Token.objects.filter(user=hood.carol).exists()


def test_a_password_alone_does_not_open_the_profile_of_a_board_member(hood):
    browser = Client()
    browser.post("/account/login/", {"username": "carol@example.org", "password": PASSWORD})
    assert browser.get("/account/profile/").url == "/account/verify/?next=/account/profile/"
