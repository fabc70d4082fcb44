"""One subscription's page and the decisions taken on it."""

import pytest

from shares import services
from shares.models import ShareLot, SubscriptionStatus
from shares.tests.conftest import DEED

pytestmark = pytest.mark.django_db

URL = "/c/teststad/shares/"


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _client(hood, name):
    return _english(hood.client_for(name))


def test_a_board_member_is_told_they_cannot_approve_their_own_subscription(hood, a_class):
    own = services.subscribe_to_shares(a_class, actor=hood.carol, count=1)

    response = _client(hood, "carol").post(
        f"{URL}subscriptions/{own.pk}/approve/",
        {"approve-deed_date": "2026-01-15", "approve-notary": "N"},
    )

    assert "cannot approve your own subscription" in response.content.decode()
    own.refresh_from_db()
    assert own.status == SubscriptionStatus.AWAITING_PAYMENT


def test_the_board_approves_and_the_page_says_a_notarial_deed_is_required(hood, a_class):
    subscription = services.subscribe_to_shares(a_class, actor=hood.alice, count=1)
    client = _client(hood, "carol")

    assert "notarial deed" in client.get(f"{URL}subscriptions/{subscription.pk}/").content.decode()
    client.post(
        f"{URL}subscriptions/{subscription.pk}/approve/",
        {"approve-deed_date": "2026-01-15", "approve-notary": "Mr. N"},
    )

    subscription.refresh_from_db()
    assert (subscription.status, subscription.notary) == (SubscriptionStatus.APPROVED, "Mr. N")


def test_issuing_an_unpaid_subscription_shows_why_not(hood, a_class):
    subscription = services.subscribe_to_shares(a_class, actor=hood.alice, count=1)
    services.approve_subscription(subscription, actor=hood.carol, **DEED)

    response = _client(hood, "carol").post(
        f"{URL}subscriptions/{subscription.pk}/issue/", {"issue-issued_on": "2026-02-01"}
    )

    assert "has not been paid yet" in response.content.decode()
    assert not ShareLot.objects.exists()


def test_the_treasurer_records_a_payment_and_the_shares_are_issued(hood, a_class):
    subscription = services.subscribe_to_shares(a_class, actor=hood.alice, count=1)
    services.approve_subscription(subscription, actor=hood.carol, **DEED)
    client = _client(hood, "dave")

    client.post(f"{URL}subscriptions/{subscription.pk}/pay/", {"pay-paid_on": "2026-02-01"})
    client.post(f"{URL}subscriptions/{subscription.pk}/issue/", {"issue-issued_on": "2026-02-01"})

    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ISSUED


def test_a_resident_cannot_open_someone_elses_subscription(hood, a_class):
    subscription = services.subscribe_to_shares(a_class, actor=hood.erin, count=1)

    assert _client(hood, "alice").get(f"{URL}subscriptions/{subscription.pk}/").status_code == 404
