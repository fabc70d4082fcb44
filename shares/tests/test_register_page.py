"""The share register page, its CSV and its printable version."""

import datetime

import pytest

from shares.tests.conftest import give_shares

pytestmark = pytest.mark.django_db

URL = "/c/teststad/shares/"


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _client(hood, name):
    return _english(hood.client_for(name))


def test_the_register_page_csv_and_print_show_the_holders(hood, a_class):
    give_shares(hood, a_class, "alice", 2, issued_on=datetime.date(2026, 1, 10))
    client = _client(hood, "erin")

    page = client.get(f"{URL}register/").content.decode()
    past = client.get(f"{URL}register/?at=2026-01-09").content.decode()
    csv = client.get(f"{URL}register/?at=2026-01-10&format=csv").content.decode()
    printed = client.get(f"{URL}register/print/").content.decode()

    assert "Alice Test" in page
    assert "Alice Test" not in past
    assert "Alice Test,,A,2,1–2,2026-01-10,20.00,EUR" in csv
    assert "Alice Test" in printed
