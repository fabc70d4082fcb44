"""Recording a transfer of shares on the web."""

import pytest

from shares.models import Transfer
from shares.tests.conftest import give_shares

pytestmark = pytest.mark.django_db

URL = "/c/teststad/shares/"


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _client(hood, name):
    return _english(hood.client_for(name))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"count": "3"}, "holds only 2 shares A"),
        ({"to_member_number": "999"}, "no active member with number 999"),
        ({"count": "1.5"}, "whole number of shares"),
    ],
)
def test_the_transfer_form_says_what_is_wrong(hood, a_class, changes, message):
    give_shares(hood, a_class, "alice", 2)
    data = {
        "from_member_number": hood.membership("alice").member_number,
        "to_member_number": hood.membership("erin").member_number,
        "share_class": a_class.pk,
        "count": "1",
        "transferred_on": "2026-03-01",
        "deed_date": "2026-03-01",
        "notary": "Mr. N",
    } | changes

    response = _client(hood, "carol").post(f"{URL}transfer/", data)

    assert message in response.content.decode()
    assert not Transfer.objects.exists()
