"""The second factor must guard the API as it guards the pages (cross-app: account pages,
middleware and API authentication together)."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from wijkbv.testing import PASSWORD


@pytest.mark.xfail(
    strict=True,
    reason=(
        "known hole: /account/ pages are open before the second factor, so a board member "
        "with only a password can make an API token, and token requests are never asked "
        "for the second factor; remove this mark once that is closed"
    ),
)
def test_a_password_alone_does_not_let_a_board_member_act_through_the_api(hood):
    browser = Client()
    browser.post("/account/login/", {"username": "carol@example.org", "password": PASSWORD})
    browser.post("/account/api-token/")
    token = Token.objects.filter(user=hood.carol).first()
    if token is None:
        return  # no token without the second factor: nothing to act with

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.post(
        "/api/v1/c/teststad/partners/", {"name": "Made up BV", "sector": "business"}, format="json"
    )

    assert response.status_code == 403
    assert not hood.cooperative.partner_organisations.filter(name="Made up BV").exists()
