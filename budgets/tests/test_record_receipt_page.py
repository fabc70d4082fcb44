"""The treasurer records money a funder sent for a stream."""

import pytest

from budgets import selectors
from budgets.tests.conftest import written
from budgets.tests.page_helpers import BASE, client, page

pytestmark = pytest.mark.django_db


def _url(stream):
    return f"{BASE}/money/{stream.pk}/received/"


def test_the_treasurer_records_money_received(hood, stream):
    response = client(hood, "dave").post(
        _url(stream), {"amount": "2500", "received_on": "2026-02-01"}, follow=True
    )

    assert str(selectors.stream_summary(stream).received.amount) == "12500.00"
    assert "The money received has been recorded." in page(response)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"amount": "nul"}, "Fill in an amount in euros and cents, more than zero"),
        ({"received_on": "2999-01-01"}, "This date has not come yet"),
        ({"received_on": ""}, "Fill in a date."),
    ],
)
def test_bad_input_is_shown_and_nothing_is_written(hood, stream, fields, message):
    before = written(hood.cooperative)

    response = client(hood, "dave").post(
        _url(stream), {"amount": "100", "received_on": "2026-02-01"} | fields
    )

    assert response.status_code == 400
    assert message in page(response)
    assert written(hood.cooperative) == before
