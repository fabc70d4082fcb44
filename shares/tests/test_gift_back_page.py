"""Accepting shares given back on the web (the board)."""

import datetime

import pytest

from shares.models import Cancellation, CancellationKind
from shares.tests.conftest import give_shares

pytestmark = pytest.mark.django_db

JANUARY = datetime.date(2026, 1, 10)
URL = "/c/teststad/shares/give-back/"


def test_the_board_accepts_shares_given_back(hood, b_class):
    give_shares(hood, b_class, "alice", 2, issued_on=JANUARY)
    client = hood.client_for("carol")
    client.cookies["django_language"] = "en"

    response = client.post(
        URL,
        {
            "member_number": hood.membership("alice").member_number,
            "share_class": b_class.pk,
            "count": "2",
            "on_date": "2026-03-01",
        },
        follow=True,
    )

    assert "The shares given back have been cancelled." in response.content.decode()
    assert Cancellation.objects.get().kind == CancellationKind.GIFTED_BACK


def test_the_treasurer_may_not_accept_a_gift(hood):
    assert hood.client_for("dave").get(URL).status_code == 403
