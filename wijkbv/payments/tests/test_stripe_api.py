"""The Stripe payouts in the API: listed for the treasurer, board and audit committee; fetched
by the treasurer."""

import pytest

from wijkbv.payments.tests.helpers import create_payout, stripe_written

pytestmark = pytest.mark.django_db

URL = "/api/v1/c/teststad/payments/stripe/payouts/"


def test_the_treasurer_fetches_and_the_board_reads(hood, stripe_server):
    made = create_payout(4200)

    fetched = hood.client_for("dave").post(URL)

    assert fetched.status_code == 200
    body = fetched.json()
    assert body["fees"] == 0 and body["not_booked"] == 0
    assert [p["stripe_id"] for p in body["payouts"]] == [made.id]
    assert isinstance(body["transaction"], int)
    listed = hood.client_for("carol").get(URL).json()
    (payout,) = listed["results"]
    assert (payout["stripe_id"], payout["amount"], payout["currency"]) == (made.id, "42.00", "EUR")
    assert (payout["status"], payout["arrived"], payout["arrived_on"]) == ("pending", False, None)


def test_nothing_new_has_no_transaction(hood, stripe_server):
    hood.client_for("dave").post(URL)

    body = hood.client_for("dave").post(URL).json()

    assert (body["payouts"], body["transaction"]) == ([], None)


@pytest.mark.parametrize("name", ["carol", "erin"])
def test_only_the_treasurer_fetches(hood, stripe_server, name):
    before = stripe_written(hood.cooperative)

    response = hood.client_for(name).post(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert response.json()["detail"] == "Only treasurer may do this."
    assert stripe_written(hood.cooperative) == before


def test_stripe_not_set_up_is_refused_with_the_reason(hood, settings):
    settings.STRIPE_SECRET_KEY = ""
    before = stripe_written(hood.cooperative)

    response = hood.client_for("dave").post(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json()["code"] == "stripe_not_configured"
    assert stripe_written(hood.cooperative) == before
