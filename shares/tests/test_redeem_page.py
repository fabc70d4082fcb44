"""Buying shares back on the web (the treasurer)."""

import datetime

import pytest

from shares.models import Cancellation
from shares.tests.conftest import give_shares

pytestmark = pytest.mark.django_db

JANUARY = datetime.date(2026, 1, 10)
URL = "/c/teststad/shares/buy-back/"


def _client(hood, name):
    client = hood.client_for(name)
    client.cookies["django_language"] = "en"
    return client


def _data(hood, a_class, **changes):
    return {
        "member_number": hood.membership("alice").member_number,
        "share_class": a_class.pk,
        "count": "1",
        "on_date": "2026-03-01",
    } | changes


def test_the_treasurer_buys_a_share_back(hood, a_class):
    give_shares(hood, a_class, "alice", 2, issued_on=JANUARY)

    response = _client(hood, "dave").post(URL, _data(hood, a_class), follow=True)

    assert "The shares have been bought back." in response.content.decode()
    assert Cancellation.objects.get().count == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"member_number": "999"}, "There is no member with this number."),
        ({"count": "3"}, "holds only 2 shares A"),
        ({"count": "-1"}, "whole number of shares"),
    ],
)
def test_the_form_says_what_is_wrong(hood, a_class, changes, message):
    give_shares(hood, a_class, "alice", 2, issued_on=JANUARY)

    response = _client(hood, "dave").post(URL, _data(hood, a_class, **changes))

    assert message in response.content.decode()
    assert not Cancellation.objects.exists()
