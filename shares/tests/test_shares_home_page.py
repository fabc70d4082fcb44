"""The member's own shares page."""

import datetime

import pytest

from shares import services
from shares.tests.conftest import give_shares

pytestmark = pytest.mark.django_db

URL = "/c/teststad/shares/"


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _client(hood, name):
    return _english(hood.client_for(name))


def test_a_resident_sees_their_holding_and_requests(hood, a_class):
    give_shares(hood, a_class, "alice", 2, issued_on=datetime.date(2026, 1, 10))
    services.subscribe_to_shares(a_class, actor=hood.alice, count=1)

    page = _client(hood, "alice").get(URL).content.decode()

    assert "1–2" in page
    assert "10 January 2026" in page
    assert "Awaiting payment" in page
    assert "share register" not in page
