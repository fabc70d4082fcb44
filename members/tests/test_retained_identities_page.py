import datetime

import pytest

from members import services
from shares import services as shares
from wijkbv.ledger.testing import euros

pytestmark = pytest.mark.django_db

ISSUED_ON = datetime.date(2026, 2, 1)


@pytest.fixture
def former_shareholder(hood):
    """alice held one share from 1 February to 1 March 2026, gave it back, and was forgotten."""
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
    share_class = shares.create_share_class(
        hood.cooperative,
        actor=hood.carol,
        code="A",
        name="Resident shares",
        nominal_value=euros("10.00"),
        authorised_shares=100,
    )
    subscription = shares.subscribe_to_shares(share_class, actor=hood.alice, count=1)
    shares.record_subscription_payment(subscription, actor=hood.dave, paid_on=ISSUED_ON)
    shares.approve_subscription(subscription, actor=hood.carol, deed_date=ISSUED_ON, notary="N")
    shares.issue_shares(subscription, actor=hood.dave, issued_on=ISSUED_ON)
    shares.gift_shares_back(
        hood.membership("alice"),
        actor=hood.carol,
        share_class=share_class,
        count=1,
        given_on=datetime.date(2026, 3, 1),
    )
    services.forget_member(hood.alice, actor=hood.alice, today=datetime.date(2026, 4, 1))
    return hood


@pytest.mark.parametrize("name", ["dave", "erin"])
def test_the_treasurer_and_the_audit_committee_see_who_was_forgotten(former_shareholder, name):
    response = former_shareholder.client_for(name).get("/c/teststad/forgotten-members/")

    assert response.status_code == 200
    assert "Alice de Boer" in response.text
    assert "Dorpsstraat 1, 1234 AB Teststad" in response.text


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "frank", "olivia"])
def test_nobody_else_sees_them(former_shareholder, name):
    response = former_shareholder.client_for(name).get("/c/teststad/forgotten-members/")

    assert response.status_code in (302, 403)
    assert "Alice de Boer" not in response.text


def test_the_share_register_of_a_past_date_shows_the_pseudonym(former_shareholder):
    for name in ("carol", "dave", "erin"):
        response = former_shareholder.client_for(name).get(
            "/c/teststad/shares/register/?at=2026-02-15"
        )

        assert response.status_code == 200
        assert "Oud-lid 1" in response.text
        assert "Alice de Boer" not in response.text
        assert "Dorpsstraat" not in response.text


def test_the_member_list_points_the_treasurer_to_the_page(former_shareholder):
    response = former_shareholder.client_for("dave").get("/c/teststad/members/")

    assert "/c/teststad/forgotten-members/" in response.text
