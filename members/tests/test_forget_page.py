import datetime

import pytest

from members.models import User
from shares import services as shares
from wijkbv.audit.models import AuditEvent
from wijkbv.ledger.testing import euros

pytestmark = pytest.mark.django_db


def test_the_page_says_what_is_erased_and_what_stays(hood):
    response = hood.client_for("alice").get("/account/forget/")

    assert response.status_code == 200
    assert "Wat wordt gewist" in response.text
    assert "Wat blijft, en waarom" in response.text
    assert 'name="confirmation"' in response.text


def test_typing_the_email_address_forgets_the_person_and_logs_them_out(hood):
    client = hood.client_for("alice")

    response = client.post("/account/forget/", {"confirmation": " Alice@Example.org "})

    assert response.status_code == 302
    assert response["Location"] == "/"
    alice = User.objects.get(pk=hood.alice.pk)
    assert alice.full_name == "Oud-lid 1"
    assert alice.email is None
    assert client.get("/account/my-data/").status_code == 302


def test_a_wrong_confirmation_erases_nothing(hood):
    response = hood.client_for("alice").post(
        "/account/forget/", {"confirmation": "bob@example.org"}
    )

    assert response.status_code == 200
    assert "Dit is niet wat er gevraagd werd. Er is niets gewist." in response.text
    assert User.objects.get(pk=hood.alice.pk).full_name == "Alice Test"
    assert not AuditEvent.objects.filter(action="member.forgotten").exists()


def test_a_shareholder_reads_why_it_cannot_happen_yet_and_gets_no_form(hood):
    share_class = shares.create_share_class(
        hood.cooperative,
        actor=hood.carol,
        code="A",
        name="Resident shares",
        nominal_value=euros("10.00"),
        authorised_shares=100,
    )
    subscription = shares.subscribe_to_shares(share_class, actor=hood.alice, count=1)
    shares.record_subscription_payment(subscription, actor=hood.dave)
    shares.approve_subscription(
        subscription, actor=hood.carol, deed_date=datetime.date(2026, 1, 15), notary="Mr. Notaris"
    )
    shares.issue_shares(subscription, actor=hood.dave)

    response = hood.client_for("alice").get("/account/forget/")

    assert "Dit kan nog niet" in response.text
    assert "aandeelhoudersregister" in response.text
    assert 'name="confirmation"' not in response.text


def test_the_only_board_member_who_sends_the_form_anyway_is_refused(hood):
    response = hood.client_for("carol").post(
        "/account/forget/", {"confirmation": "carol@example.org"}
    )

    assert response.status_code == 200
    assert "Je bent het enige bestuurslid van Wijk-BV Teststad" in response.text
    assert User.objects.get(pk=hood.carol.pk).email == "carol@example.org"
    assert not AuditEvent.objects.filter(action="member.forgotten").exists()
