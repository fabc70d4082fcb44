"""The shares pages: what each person sees, and the message a refused form shows while nothing
is written."""

import datetime

import pytest

from shares import services
from shares.models import ShareLot, Subscription, SubscriptionStatus, Transfer
from shares.tests.conftest import DEED, give_shares
from wijkbv.audit.models import AuditEvent

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


def test_a_resident_asks_for_shares_and_sees_how_to_pay(hood, a_class):
    client = _client(hood, "alice")

    response = client.post(
        f"{URL}subscribe/", {"share_class": a_class.pk, "count": "2", "method": "bank"}, follow=True
    )

    subscription = Subscription.objects.get()
    page = response.content.decode()
    assert subscription.count == 2
    assert "20.00" in page
    assert subscription.payment_reference[:4] in page
    assert "Thank you" in page


@pytest.mark.parametrize(
    ("count", "message"),
    [
        ("1.5", "whole number of shares"),
        ("0", "whole number of shares"),
        ("-3", "whole number of shares"),
        ("", "whole number of shares"),
        ("99999999999", "more shares than the cooperative could ever issue"),
        ("6", "at most 5 shares A"),
    ],
)
def test_the_form_says_what_is_wrong_with_the_count(hood, a_class, count, message):
    events = AuditEvent.objects.count()

    response = _client(hood, "alice").post(
        f"{URL}subscribe/", {"share_class": a_class.pk, "count": count, "method": "bank"}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Subscription.objects.exists()
    assert AuditEvent.objects.count() == events


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


def test_the_board_adds_a_class_and_a_resident_may_not(hood):
    data = {
        "code": "A",
        "name": "Resident shares",
        "nominal_value": "10.00",
        "authorised_shares": "100",
        "votes_per_share": "1",
        "is_transferable": "on",
    }

    refused = _client(hood, "alice").post(f"{URL}classes/", data)
    added = _client(hood, "carol").post(f"{URL}classes/", data, follow=True)

    assert refused.status_code == 403
    assert "Resident shares" in added.content.decode()
