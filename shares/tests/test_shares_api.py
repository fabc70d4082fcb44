"""/api/v1/c/<slug>/shares/: the same decisions as on the web, and the same refusals."""

import datetime

import pytest
from rest_framework.test import APIClient

from shares import services
from shares.models import ShareLot, Subscription, SubscriptionStatus, Transfer
from shares.tests.conftest import DEED, give_shares
from wijkbv.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

API = "/api/v1/c/teststad/shares/"


def _api(hood, name):
    client = APIClient()
    client.force_authenticate(hood.people[name])
    return client


def test_a_resident_asks_for_shares_and_gets_a_payment_reference(hood, a_class):
    response = _api(hood, "alice").post(
        f"{API}subscriptions/", {"share_class": "a", "count": 2}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["count"], body["amount"], body["status"]) == (2, "20.00", "awaiting_payment")
    assert body["payment_reference"].startswith("RF")


@pytest.mark.parametrize("count", [1.5, 0, -1, 10**12, "many"])
def test_it_refuses_a_bad_count_and_writes_nothing(hood, a_class, count):
    events = AuditEvent.objects.count()

    response = _api(hood, "alice").post(
        f"{API}subscriptions/", {"share_class": "A", "count": count}, format="json"
    )

    assert response.status_code == 400
    assert "count" in response.json()
    assert not Subscription.objects.exists()
    assert AuditEvent.objects.count() == events


def test_it_refuses_more_than_the_cap_with_the_same_message_as_the_web(hood, a_class):
    response = _api(hood, "alice").post(
        f"{API}subscriptions/", {"share_class": "A", "count": 6}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "over_cap"
    # The API answers in the person's language: Dutch unless they ask otherwise.
    assert "hoogstens 5 aandelen A" in response.json()["detail"]
    assert not Subscription.objects.exists()


def test_a_resident_sees_only_their_own_subscriptions(hood, a_class):
    services.subscribe_to_shares(a_class, actor=hood.alice, count=1)
    services.subscribe_to_shares(a_class, actor=hood.erin, count=1)

    assert _api(hood, "alice").get(f"{API}subscriptions/").json()["count"] == 1
    assert _api(hood, "dave").get(f"{API}subscriptions/").json()["count"] == 2


def test_a_board_member_may_not_approve_their_own_subscription(hood, a_class):
    own = services.subscribe_to_shares(a_class, actor=hood.carol, count=1)

    response = _api(hood, "carol").post(
        f"{API}subscriptions/{own.pk}/approve/",
        {"deed_date": "2026-01-15", "notary": "N"},
        format="json",
    )

    assert response.status_code == 403
    assert "je eigen inschrijving niet goedkeuren" in response.json()["detail"]
    own.refresh_from_db()
    assert own.status == SubscriptionStatus.AWAITING_PAYMENT


def test_the_whole_way_from_subscription_to_issue(hood, a_class):
    subscription = services.subscribe_to_shares(a_class, actor=hood.alice, count=2)
    base = f"{API}subscriptions/{subscription.pk}/"

    assert _api(hood, "dave").post(f"{base}payment/", {}, format="json").status_code == 200
    approved = _api(hood, "carol").post(
        f"{base}approve/", {"deed_date": "2026-01-15", "notary": "N"}, format="json"
    )
    issued = _api(hood, "dave").post(f"{base}issue/", {"issued_on": "2026-02-01"}, format="json")

    assert approved.json()["status"] == "approved"
    assert issued.json()["status"] == "issued"
    holding = _api(hood, "alice").get(f"{API}holding/").json()
    assert holding["voting_weight"] == 1
    assert holding["lots"] == [
        {
            "share_class": "A",
            "count": 2,
            "certificates": "1–2",
            "acquired_on": "2026-02-01",
            "paid_up": "20.00",
        }
    ]


def test_issuing_an_unpaid_subscription_is_refused(hood, a_class):
    subscription = services.subscribe_to_shares(a_class, actor=hood.alice, count=1)
    services.approve_subscription(subscription, actor=hood.carol, **DEED)

    response = _api(hood, "dave").post(
        f"{API}subscriptions/{subscription.pk}/issue/", {}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "unpaid"
    assert not ShareLot.objects.exists()


@pytest.mark.parametrize(
    ("changes", "code"),
    [({"count": 3}, "not_enough_shares"), ({"to_member_number": 999}, "not_a_member")],
)
def test_a_transfer_of_shares_not_held_or_to_a_non_member_is_refused(hood, a_class, changes, code):
    give_shares(hood, a_class, "alice", 2)
    body = {
        "from_member_number": hood.membership("alice").member_number,
        "to_member_number": hood.membership("erin").member_number,
        "share_class": "A",
        "count": 1,
        "deed_date": "2026-03-01",
        "notary": "N",
    } | changes

    response = _api(hood, "carol").post(f"{API}transfers/", body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not Transfer.objects.exists()


def test_the_register_as_of_a_past_date(hood, a_class):
    give_shares(hood, a_class, "alice", 2, issued_on=datetime.date(2026, 1, 10))

    past = _api(hood, "erin").get(f"{API}register/?at=2026-01-09").json()
    now = _api(hood, "erin").get(f"{API}register/").json()

    assert past["lines"] == []
    assert [line["certificates"] for line in now["lines"]] == ["1–2"]
    assert _api(hood, "alice").get(f"{API}register/").status_code == 403
    assert _api(hood, "erin").get(f"{API}register/?at=soon").status_code == 400
