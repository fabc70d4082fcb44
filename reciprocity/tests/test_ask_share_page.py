"""Earning a share by time on the web: the button appears once the member's confirmed hours
are enough, the request goes to the board like any share, and a refusal shows on the page."""

import pytest

from reciprocity.tests.conftest import confirmed
from shares import services as share_services
from shares.models import Subscription
from wijkbv.audit.models import AuditEvent
from wijkbv.ledger.testing import euros

pytestmark = pytest.mark.django_db

HOME = "/c/teststad/time/"
URL = "/c/teststad/time/share/"


def _client(hood, name):
    client = hood.client_for(name)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def earnable(hood):
    """Shares T: one for every 10 confirmed hours."""
    return share_services.create_share_class(
        hood.cooperative,
        actor=hood.carol,
        code="T",
        name="Shares earned by time",
        nominal_value=euros("10.00"),
        authorised_shares=10,
        hours_per_share=10,
    )


def _gave(hood, activity, hours):
    for _ in range(hours // 5):
        confirmed(hood, "alice", activity, hours="5")


def test_with_enough_hours_the_member_asks_for_a_share(hood, activity, earnable):
    _gave(hood, activity, 10)

    page = _client(hood, "alice").get(HOME).content.decode()
    response = _client(hood, "alice").post(URL, follow=True)

    assert "Ask for one share T paid with my time" in page
    subscription = Subscription.objects.get()
    assert subscription.membership == hood.membership("alice")
    assert subscription.paid_in_hours == 10
    assert response.redirect_chain[-1][0] == f"/c/teststad/shares/subscriptions/{subscription.pk}/"
    assert "paid with your time has been received" in response.content.decode()


def test_with_too_few_hours_it_says_how_many_are_free_and_offers_no_button(
    hood, activity, earnable
):
    _gave(hood, activity, 5)

    page = _client(hood, "alice").get(HOME).content.decode()

    assert "one share T with 10 confirmed hours" in page
    assert "not yet in a share: 5 hours" in page
    assert "Ask for one share" not in page


def test_asking_without_enough_hours_is_refused_and_nothing_is_written(hood, activity, earnable):
    _gave(hood, activity, 5)
    events = AuditEvent.objects.count()

    response = _client(hood, "alice").post(URL)

    assert response.status_code == 400
    assert "One share T takes 10 confirmed hours" in response.content.decode()
    assert not Subscription.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_same_hours_do_not_pay_for_two_shares(hood, activity, earnable):
    _gave(hood, activity, 10)
    client = _client(hood, "alice")
    client.post(URL)

    response = client.post(URL)

    assert response.status_code == 400
    assert Subscription.objects.count() == 1


def test_without_such_a_class_the_page_says_nothing_about_it(hood, activity):
    _gave(hood, activity, 10)

    assert "A share for your time" not in _client(hood, "alice").get(HOME).content.decode()


def test_it_only_takes_a_post(hood):
    assert _client(hood, "alice").get(URL).status_code == 405
