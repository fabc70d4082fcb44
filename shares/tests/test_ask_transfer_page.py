"""Asking to transfer shares on the web, and the board carrying the request out or refusing it
on its work list: what each person sees, on bad input too, and that nothing else changes."""

import pytest

from shares.models import ShareLot, Transfer, TransferRequest, TransferRequestStatus
from shares.services import ask_to_transfer_shares
from shares.tests.conftest import give_shares
from wijkbv.audit.models import AuditEvent
from wijkbv.testing import today

pytestmark = pytest.mark.django_db

URL = "/c/teststad/shares/"


def _english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def alice_holds_three(hood, a_class):
    return give_shares(hood, a_class, "alice", 3)


def _ask(hood, a_class, count=2):
    return ask_to_transfer_shares(
        a_class,
        actor=hood.alice,
        count=count,
        to_member_number=hood.membership("erin").member_number,
    )


def test_a_member_asks_to_transfer_shares(hood, a_class, alice_holds_three):
    client = _english(hood.client_for("alice"))
    erin = hood.membership("erin").member_number

    response = client.post(
        f"{URL}transfer/ask/",
        {"share_class": a_class.pk, "count": "2", "to_member_number": erin, "note": "For Erin"},
        follow=True,
    )

    request = TransferRequest.objects.get()
    page = response.content.decode()
    assert request.count == 2
    assert request.to_membership == hood.membership("erin")
    assert "sent to the board" in page
    assert f"to member {erin}" in page


def test_the_page_explains_the_notarial_deed_in_dutch(hood, a_class, alice_holds_three):
    page = hood.client_for("alice").get(f"{URL}transfer/ask/").content.decode()

    assert "notaris" in page


@pytest.mark.parametrize(
    ("count", "to", "message"),
    [
        ("4", "erin", "at most 3 shares A"),
        ("1.5", "erin", "whole number of shares"),
        ("0", "erin", "whole number of shares"),
        ("1", "nobody", "no active member with number 999"),
        ("1", "alice", "another member"),
    ],
)
def test_the_form_says_what_is_wrong(hood, a_class, alice_holds_three, count, to, message):
    events = AuditEvent.objects.count()
    number = 999 if to == "nobody" else hood.membership(to).member_number

    response = _english(hood.client_for("alice")).post(
        f"{URL}transfer/ask/",
        {"share_class": a_class.pk, "count": count, "to_member_number": number},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TransferRequest.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_member_withdraws_their_request(hood, a_class, alice_holds_three):
    request = _ask(hood, a_class)

    response = _english(hood.client_for("alice")).post(
        f"{URL}transfer-requests/{request.pk}/withdraw/", follow=True
    )

    request.refresh_from_db()
    assert request.status == TransferRequestStatus.WITHDRAWN
    assert "withdrawn" in response.content.decode()


def test_another_resident_cannot_touch_the_request(hood, a_class, alice_holds_three):
    request = _ask(hood, a_class)

    response = hood.client_for("erin").post(f"{URL}transfer-requests/{request.pk}/withdraw/")

    assert response.status_code == 404
    request.refresh_from_db()
    assert request.is_open


def test_the_board_sees_the_request_and_carries_it_out(hood, a_class, alice_holds_three):
    request = _ask(hood, a_class)
    client = _english(hood.client_for("carol"))

    page = client.get(f"{URL}manage/").content.decode()
    response = client.post(
        f"{URL}transfer-requests/{request.pk}/carry-out/",
        {
            f"carry-out-{request.pk}-transferred_on": today().isoformat(),
            f"carry-out-{request.pk}-deed_date": today().isoformat(),
            f"carry-out-{request.pk}-notary": "Mr. J. de Notaris",
        },
        follow=True,
    )

    request.refresh_from_db()
    assert "Requests to transfer shares" in page
    assert "The transfer has been recorded." in response.content.decode()
    assert request.status == TransferRequestStatus.DONE
    assert ShareLot.objects.filter(
        membership=hood.membership("erin"), held_until__isnull=True
    ).exists()


def test_carrying_out_without_the_deed_says_so_and_changes_nothing(
    hood, a_class, alice_holds_three
):
    request = _ask(hood, a_class)
    events = AuditEvent.objects.count()

    response = _english(hood.client_for("carol")).post(
        f"{URL}transfer-requests/{request.pk}/carry-out/",
        {f"carry-out-{request.pk}-transferred_on": "2026-03-01"},
        follow=True,
    )

    request.refresh_from_db()
    assert "This field is required." in response.content.decode()
    assert request.is_open
    assert not Transfer.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_board_refuses_with_a_reason(hood, a_class, alice_holds_three):
    request = _ask(hood, a_class)

    _english(hood.client_for("carol")).post(
        f"{URL}transfer-requests/{request.pk}/refuse/",
        {f"refuse-{request.pk}-reason": "Erin did not agree."},
    )

    request.refresh_from_db()
    assert request.status == TransferRequestStatus.REFUSED
    page = _english(hood.client_for("alice")).get(f"{URL}transfer/ask/").content.decode()
    assert "Erin did not agree." in page


def test_an_unknown_decision_is_not_found(hood, a_class, alice_holds_three):
    request = _ask(hood, a_class)

    response = hood.client_for("carol").post(f"{URL}transfer-requests/{request.pk}/approve/")

    assert response.status_code == 404
