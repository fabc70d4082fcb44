"""Confirming or declining a contribution: the receiver or a coordinator decides, never the
contributor; a decline needs a reason; a decided contribution stays as it was decided."""

import pytest

from reciprocity import services
from reciprocity.models import Contribution
from wijkbv.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _client(hood, name):
    client = hood.client_for(name)
    client.cookies["django_language"] = "en"
    return client


def _url(contribution, decision):
    return f"/c/teststad/time/{contribution.pk}/{decision}/"


@pytest.fixture
def for_carol(hood, activity):
    return services.log_contribution(
        hood.cooperative,
        actor=hood.alice,
        activity=activity,
        hours="2",
        beneficiary="member",
        beneficiary_member=hood.membership("carol"),
    )


@pytest.fixture
def for_the_neighbourhood(hood, activity):
    return services.log_contribution(
        hood.cooperative, actor=hood.alice, activity=activity, hours="2"
    )


def _refused(hood, name, contribution, decision, message, data=None):
    contribution.refresh_from_db()
    status, events = contribution.status, AuditEvent.objects.count()

    response = _client(hood, name).post(_url(contribution, decision), data or {})

    assert response.status_code == 400
    assert message in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.status == status
    assert AuditEvent.objects.count() == events


def test_the_receiver_confirms(hood, for_carol):
    response = _client(hood, "carol").post(
        _url(for_carol, "confirm"), {"back": "home"}, follow=True
    )

    for_carol.refresh_from_db()
    assert for_carol.status == "confirmed"
    assert for_carol.decided_by == hood.carol
    assert "Confirmed." in response.content.decode()
    assert response.redirect_chain[-1][0] == "/c/teststad/time/"


def test_a_coordinator_confirms_for_the_neighbourhood_and_returns_to_the_work_list(
    hood, for_the_neighbourhood
):
    response = _client(hood, "bob").post(
        _url(for_the_neighbourhood, "confirm"), {"back": "coordinate"}
    )

    for_the_neighbourhood.refresh_from_db()
    assert for_the_neighbourhood.status == "confirmed"
    assert response["Location"] == "/c/teststad/time/coordinate/"


def test_the_decline_page_asks_for_a_reason(hood, for_carol):
    page = _client(hood, "carol").get(_url(for_carol, "decline") + "?back=home").content.decode()

    assert "Why do you decline this?" in page
    assert "Alice Test gave this to you" in page


def test_the_receiver_declines_with_a_reason(hood, for_carol):
    _client(hood, "carol").post(_url(for_carol, "decline"), {"reason": "Het was 1 uur"})

    for_carol.refresh_from_db()
    assert for_carol.status == "declined"
    assert for_carol.decline_reason == "Het was 1 uur"


def test_a_decline_without_a_reason_is_refused(hood, for_carol):
    _refused(hood, "carol", for_carol, "decline", "Give a reason", {"reason": ""})


def test_nobody_confirms_their_own_contribution(hood, for_the_neighbourhood):
    _refused(
        hood, "alice", for_the_neighbourhood, "confirm", "You cannot confirm your own contribution"
    )


def test_confirming_twice_is_refused(hood, for_carol):
    services.confirm_contribution(for_carol, actor=hood.carol)

    _refused(hood, "bob", for_carol, "confirm", "This contribution has already been confirmed.")


def test_declining_a_confirmed_contribution_is_refused(hood, for_carol):
    services.confirm_contribution(for_carol, actor=hood.carol)

    _refused(
        hood,
        "carol",
        for_carol,
        "decline",
        "already been confirmed, so it cannot be declined",
        {"reason": "Toch niet"},
    )


def test_a_member_who_is_not_involved_does_not_see_it(hood, for_carol):
    assert _client(hood, "dave").get(_url(for_carol, "confirm")).status_code == 404
    assert _client(hood, "dave").post(_url(for_carol, "confirm")).status_code == 404
    assert Contribution.objects.get().status == "logged"


def test_an_unknown_decision_is_not_found(hood, for_carol):
    assert _client(hood, "carol").post(_url(for_carol, "approve")).status_code == 404


def test_an_unknown_page_to_return_to_means_my_time(hood, for_carol):
    response = _client(hood, "carol").post(
        _url(for_carol, "confirm"), {"back": "https://elsewhere.example"}
    )

    assert response["Location"] == "/c/teststad/time/"
