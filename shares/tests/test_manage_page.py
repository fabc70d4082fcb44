"""The board's and treasurer's list of open requests and recent transfers."""

import pytest

from shares import services

pytestmark = pytest.mark.django_db

URL = "/c/teststad/shares/manage/"


def test_it_lists_open_requests_with_who_asked(hood, a_class):
    services.subscribe_to_shares(a_class, actor=hood.alice, count=2)
    client = hood.client_for("dave")
    client.cookies["django_language"] = "en"

    page = client.get(URL).content.decode()

    assert "Alice Test" in page
    assert "Buy shares back" in page
    assert "Accept shares given back" not in page


def test_a_resident_may_not_see_it(hood):
    assert hood.client_for("alice").get(URL).status_code == 403
