import datetime
import json
from decimal import Decimal

import pytest

from members import services
from members.selectors import export_personal_data
from reciprocity.models import Activity, Beneficiary, Contribution, ThanksListing
from shares import services as shares
from wijkbv.ledger.testing import euros
from wijkbv.payments.models import Payment, PaymentStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_everywhere(hood):
    """alice with something in every app: a profile, an invitation, shares, an online payment,
    help given to bob and received from bob, a place on the thank-you wall."""
    services.update_profile(
        hood.alice,
        actor=hood.alice,
        full_name="Alice de Boer",
        email="alice@example.org",
        preferred_language="nl",
        street_address="Dorpsstraat 1",
        postcode="1234 AB",
        city="Teststad",
    )
    services.invite_member(hood.other, actor=hood.olivia, email="alice@example.org")
    share_class = shares.create_share_class(
        hood.cooperative,
        actor=hood.carol,
        code="A",
        name="Resident shares",
        nominal_value=euros("10.00"),
        authorised_shares=100,
    )
    subscription = shares.subscribe_to_shares(share_class, actor=hood.alice, count=2)
    shares.record_subscription_payment(subscription, actor=hood.dave)
    shares.approve_subscription(
        subscription, actor=hood.carol, deed_date=datetime.date(2026, 1, 15), notary="Mr. Notaris"
    )
    shares.issue_shares(subscription, actor=hood.dave)
    Payment.objects.create(
        cooperative=hood.cooperative,
        payer=hood.alice,
        subject=f"shares.subscription:{subscription.pk}",
        description="2 shares A",
        amount=euros("20.00"),
        status=PaymentStatus.SUCCEEDED,
        stripe_payment_intent_id="pi_alice_1",
    )
    meals = Activity.objects.create(cooperative=hood.cooperative, name="Shared meals")
    for giver, receiver, note in (
        ("alice", "bob", "Soup for the neighbours"),
        ("bob", "alice", "Fixed Alice's bike, Bob's secret"),
    ):
        Contribution.objects.create(
            cooperative=hood.cooperative,
            contributor=hood.membership(giver),
            hours=Decimal("1.50"),
            activity=meals,
            beneficiary=Beneficiary.MEMBER,
            beneficiary_member=hood.membership(receiver),
            note=note,
            logged_by=hood.people[giver],
        )
    ThanksListing.objects.create(membership=hood.membership("alice"), display_name="Alice B.")
    hood.alice.refresh_from_db()
    return hood


def test_the_export_holds_something_of_every_app(alice_everywhere):
    hood = alice_everywhere
    data = export_personal_data(hood.alice)["apps"]

    assert data["members"]["person"]["full_name"] == "Alice de Boer"
    assert data["members"]["memberships"][0]["member_number"] == 1
    assert data["members"]["invitations"][0]["cooperative"] == "elders"
    assert "member.registered" in {e["action"] for e in data["members"]["audit_events"]}
    assert data["shares"]["lots"][0]["certificates"] == "1–2"
    assert data["shares"]["subscriptions"][0]["amount"] == "20.00"
    assert data["payments"]["payments"][0]["stripe_payment_intent_id"] == "pi_alice_1"
    assert data["reciprocity"]["contributions_given"][0]["note"] == "Soup for the neighbours"
    assert data["reciprocity"]["contributions_received"][0]["contributor_member_number"] == 2
    assert data["reciprocity"]["thanks_wall"][0]["display_name"] == "Alice B."


def test_the_export_holds_nothing_of_other_people(alice_everywhere):
    hood = alice_everywhere
    text = json.dumps(export_personal_data(hood.alice), ensure_ascii=False)

    for other in ("Bob", "Carol", "Dave", "Erin", "Olivia", "bob@", "carol@", "Notaris"):
        assert other not in text


def test_the_page_shows_each_app_in_plain_words(alice_everywhere):
    response = alice_everywhere.client_for("alice").get("/account/my-data/")

    assert response.status_code == 200
    text = response.text
    for heading in ("Jij en je lidmaatschappen", "Aandelen", "Online betalingen", "Geven en nemen"):
        assert heading in text
    assert "Alice de Boer" in text
    assert "Dorpsstraat 1" in text
    assert "Bob Test" not in text
    assert "Bob&#x27;s secret" not in text


def test_the_json_file_is_a_download(alice_everywhere):
    response = alice_everywhere.client_for("alice").get("/account/my-data/?format=json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    body = json.loads(response.content)
    assert body["apps"]["members"]["person"]["email"] == "alice@example.org"


def test_the_api_gives_the_same_data(alice_everywhere):
    response = alice_everywhere.client_for("alice").get("/api/v1/me/data/")

    assert response.status_code == 200
    assert response.json()["apps"]["shares"]["lots"][0]["count"] == 2
    assert response.json()["apps"]["members"]["person"]["full_name"] == "Alice de Boer"


def test_each_person_sees_only_their_own(alice_everywhere):
    response = alice_everywhere.client_for("bob").get("/account/my-data/?format=json")

    body = json.loads(response.content)
    assert body["apps"]["members"]["person"]["full_name"] == "Bob Test"
    assert "Alice de Boer" not in response.content.decode()
