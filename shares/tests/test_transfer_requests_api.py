"""The API for requests to transfer shares: ask, list, withdraw, refuse and carry out, with the
refusals a client reads and nothing written on bad input."""

import pytest

from shares.models import TransferRequest, TransferRequestStatus
from shares.services import ask_to_transfer_shares
from shares.tests.conftest import give_shares
from wijkbv.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/api/v1/c/teststad/shares/transfer-requests/"


@pytest.fixture
def alice_holds_three(hood, a_class):
    return give_shares(hood, a_class, "alice", 3)


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _ask(hood, a_class, count=2):
    return ask_to_transfer_shares(
        a_class,
        actor=hood.alice,
        count=count,
        to_member_number=hood.membership("erin").member_number,
    )


def test_a_member_asks_through_the_api(hood, a_class, alice_holds_three):
    erin = hood.membership("erin").member_number

    response = hood.client_for("alice").post(
        URL,
        {"share_class": "A", "count": 2, "to_member_number": erin},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["status"] == "requested"
    assert response.json()["to_member_number"] == erin
    assert TransferRequest.objects.get().count == 2


def test_a_refusal_comes_back_with_its_field_and_nothing_is_written(
    hood, a_class, alice_holds_three
):
    events = AuditEvent.objects.count()

    response = _english(hood.client_for("alice")).post(
        URL,
        {"share_class": "A", "count": 9, "to_member_number": hood.membership("erin").member_number},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["field"] == "count"
    assert "at most 3 shares A" in response.json()["detail"]
    assert not TransferRequest.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_member_lists_only_their_own_requests(hood, a_class, alice_holds_three):
    _ask(hood, a_class)

    own = hood.client_for("alice").get(URL).json()["results"]
    others = hood.client_for("bob").get(URL).json()["results"]
    board = hood.client_for("carol").get(URL).json()["results"]

    assert len(own) == 1
    assert others == []
    assert len(board) == 1


def test_the_member_withdraws_it(hood, a_class, alice_holds_three):
    request = _ask(hood, a_class)

    response = hood.client_for("alice").post(f"{URL}{request.pk}/withdraw/")

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


def test_the_board_refuses_it(hood, a_class, alice_holds_three):
    request = _ask(hood, a_class)

    response = hood.client_for("carol").post(
        f"{URL}{request.pk}/refuse/", {"reason": "No deed yet."}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["reason"] == "No deed yet."


def test_the_board_carries_it_out_with_the_deed(hood, a_class, alice_holds_three):
    request = _ask(hood, a_class)

    response = hood.client_for("carol").post(
        f"{URL}{request.pk}/carry-out/",
        {"deed_date": "2026-03-01", "notary": "Mr. J. de Notaris"},
        content_type="application/json",
    )

    request.refresh_from_db()
    assert response.status_code == 201
    assert response.json()["count"] == 2
    assert request.status == TransferRequestStatus.DONE


def test_a_resident_cannot_carry_it_out(hood, a_class, alice_holds_three):
    request = _ask(hood, a_class)

    response = hood.client_for("erin").post(
        f"{URL}{request.pk}/carry-out/",
        {"deed_date": "2026-03-01", "notary": "Mr. J. de Notaris"},
        content_type="application/json",
    )

    request.refresh_from_db()
    assert response.status_code == 403
    assert request.is_open
