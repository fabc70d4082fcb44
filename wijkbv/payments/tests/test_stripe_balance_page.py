"""The treasurer's page of Stripe's fees and payouts: the treasurer fetches, the board and the
audit committee read."""

import pytest

from wijkbv.payments.models import Payout
from wijkbv.payments.tests.helpers import create_payout, stripe_written

pytestmark = pytest.mark.django_db

URL = "/payments/c/teststad/stripe/"


def client(hood, name):
    browser = hood.client_for(name)
    browser.cookies["django_language"] = "en"
    return browser


def test_the_treasurer_fetches_and_sees_the_payout_in_transit(hood, stripe_server):
    made = create_payout(4200)

    response = client(hood, "dave").post(URL, follow=True)

    text = response.content.decode()
    assert "Fetched from Stripe: 0 new fees, 1 new payouts and 0 payouts reversed" in text
    assert made.id in text and "Payouts on their way to the bank" in text
    assert Payout.objects.get().stripe_id == made.id


def test_a_second_fetch_says_there_was_nothing_new(hood, stripe_server):
    browser = client(hood, "dave")
    browser.post(URL)

    response = browser.post(URL, follow=True)

    assert "Fetched from Stripe: nothing new to book." in response.content.decode()


@pytest.mark.parametrize("name", ["carol", "erin"])
def test_the_board_and_audit_committee_read_but_do_not_fetch(hood, stripe_server, name):
    browser = client(hood, name)

    text = browser.get(URL).content.decode()
    assert "Stripe: fees and payouts" in text and "Fetch from Stripe" not in text
    before = stripe_written(hood.cooperative)
    assert browser.post(URL).status_code == 403
    assert stripe_written(hood.cooperative) == before


def test_it_says_when_stripe_is_not_set_up(hood, settings):
    settings.STRIPE_SECRET_KEY = ""
    browser = client(hood, "dave")

    assert "Fetch from Stripe" not in browser.get(URL).content.decode()
    before = stripe_written(hood.cooperative)
    response = browser.post(URL)
    assert response.status_code == 400
    assert "Stripe is not set up for this site" in response.content.decode()
    assert stripe_written(hood.cooperative) == before


def test_it_says_when_stripe_cannot_be_reached(hood, stripe_server, settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    before = stripe_written(hood.cooperative)

    response = client(hood, "dave").post(URL)

    assert response.status_code == 400
    assert "Stripe could not be reached or refused the request." in response.content.decode()
    assert stripe_written(hood.cooperative) == before


def test_it_reads_with_a_bounded_number_of_queries(
    hood, stripe_server, django_assert_max_num_queries
):
    browser = client(hood, "erin")
    for amount in (100, 200, 300):
        create_payout(amount)
    client(hood, "dave").post(URL)

    with django_assert_max_num_queries(20):
        browser.get(URL)
