"""/api/v1/c/<slug>/time/ and /open/time/: the same decisions as on the web, and the same
refusals."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from members import services as member_services
from reciprocity import services
from reciprocity.models import Contribution, ThanksListing
from shares import services as share_services
from wijkbv.audit.models import AuditEvent
from wijkbv.ledger.testing import euros

pytestmark = pytest.mark.django_db

API = "/api/v1/c/teststad/time/"


def _api(hood, name=None):
    client = APIClient()
    if name:
        client.force_authenticate(hood.people[name])
    return client


def _log(hood, activity, name="alice", **fields):
    return services.log_contribution(
        hood.cooperative, actor=hood.people[name], activity=activity, hours="1.5", **fields
    )


def test_a_resident_logs_time_in_three_fields(hood, activity):
    response = _api(hood, "alice").post(
        f"{API}contributions/", {"activity": activity.pk, "hours": "1.5"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["hours"], body["status"], body["beneficiary"]) == (
        "1.50",
        "logged",
        "neighbourhood",
    )
    assert body["member_number"] == hood.membership("alice").member_number
    assert body["activity_name"] == "Gedeelde maaltijd"
    assert body["date"] == timezone.localdate().isoformat()
    assert body["logged_on_behalf"] is False


def test_a_resident_logs_help_to_a_neighbour_at_a_place(hood, activity, place):
    carol = hood.membership("carol")
    response = _api(hood, "alice").post(
        f"{API}contributions/",
        {
            "activity": activity.pk,
            "hours": "0.75",
            "place": place.pk,
            "beneficiary": "member",
            "beneficiary_member_number": carol.member_number,
            "note": "Boodschappen",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["beneficiary_member_number"] == carol.member_number
    assert response.json()["place_name"] == "Buurtkamer"


def test_money_is_given_with_an_amount_as_a_string(hood, activity):
    response = _api(hood, "alice").post(
        f"{API}contributions/",
        {"activity": activity.pk, "hours": "0", "kind": "money", "amount": "12.50"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["amount"] == "12.50"


def test_a_coordinator_logs_for_a_resident(hood, activity):
    alice = hood.membership("alice")
    response = _api(hood, "bob").post(
        f"{API}contributions/",
        {"activity": activity.pk, "hours": "2", "contributor_member_number": alice.member_number},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["logged_on_behalf"] is True
    event = AuditEvent.objects.filter(action="contribution.logged").get()
    assert event.on_behalf_of == f"member:{alice.member_number}"


def test_a_resident_may_not_log_for_someone_else(hood, activity):
    response = _api(hood, "alice").post(
        f"{API}contributions/",
        {
            "activity": activity.pk,
            "hours": "2",
            "contributor_member_number": hood.membership("carol").member_number,
        },
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_coordinator"
    assert not Contribution.objects.exists()


@pytest.mark.parametrize(
    ("hours", "code"),
    [("0", "no_hours"), ("-1", "no_hours"), ("1.1", "not_quarter_hours"), ("25", "too_many_hours")],
)
def test_it_refuses_bad_hours_with_the_same_message_as_the_web(hood, activity, hours, code):
    events = AuditEvent.objects.count()
    response = _api(hood, "alice").post(
        f"{API}contributions/", {"activity": activity.pk, "hours": hours}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["field"] == "hours"
    assert not Contribution.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("hours", ["abc", "1.125", 0.1 + 0.2, None])
def test_it_refuses_hours_that_do_not_parse(hood, activity, hours):
    response = _api(hood, "alice").post(
        f"{API}contributions/", {"activity": activity.pk, "hours": hours}, format="json"
    )
    assert response.status_code == 400
    assert "hours" in response.json()
    assert not Contribution.objects.exists()


def test_it_refuses_a_date_in_the_future(hood, activity):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = _api(hood, "alice").post(
        f"{API}contributions/",
        {"activity": activity.pk, "hours": "1", "date": tomorrow.isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "date"
    assert response.json()["code"] == "future_date"


def test_it_refuses_more_than_24_hours_on_a_day(hood, activity):
    client = _api(hood, "alice")
    client.post(f"{API}contributions/", {"activity": activity.pk, "hours": "23"}, format="json")
    response = client.post(
        f"{API}contributions/", {"activity": activity.pk, "hours": "1.25"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "day_full"
    assert Contribution.objects.count() == 1


def test_it_refuses_an_activity_of_another_cooperative(hood):
    elsewhere = services.add_activity(hood.other, actor=None, name="Elders")
    response = _api(hood, "alice").post(
        f"{API}contributions/", {"activity": elsewhere.pk, "hours": "1"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "activity"


def test_it_refuses_an_unknown_member_number(hood, activity):
    response = _api(hood, "alice").post(
        f"{API}contributions/",
        {
            "activity": activity.pk,
            "hours": "1",
            "beneficiary": "member",
            "beneficiary_member_number": 9999,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "not_a_member"


def test_a_member_lists_what_they_gave_and_received(hood, activity):
    given = _log(hood, activity)
    received = _log(
        hood,
        activity,
        name="carol",
        beneficiary="member",
        beneficiary_member=hood.membership("alice"),
    )
    _log(hood, activity, name="dave")
    response = _api(hood, "alice").get(f"{API}contributions/")
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {given.pk, received.pk}


def test_a_member_sees_their_own_contribution_but_not_someone_elses(hood, activity):
    own = _log(hood, activity)
    other = _log(hood, activity, name="dave")
    client = _api(hood, "alice")
    assert client.get(f"{API}contributions/{own.pk}/").status_code == 200
    assert client.get(f"{API}contributions/{other.pk}/").status_code == 404
    assert _api(hood, "bob").get(f"{API}contributions/{other.pk}/").status_code == 200


def test_a_coordinator_confirms(hood, activity):
    contribution = _log(hood, activity)
    response = _api(hood, "bob").post(f"{API}contributions/{contribution.pk}/confirm/")
    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"


def test_confirming_twice_is_refused(hood, activity):
    contribution = _log(hood, activity)
    client = _api(hood, "bob")
    client.post(f"{API}contributions/{contribution.pk}/confirm/")
    response = client.post(f"{API}contributions/{contribution.pk}/confirm/")
    assert response.status_code == 400
    assert response.json()["code"] == "already_confirmed"
    assert AuditEvent.objects.filter(action="contribution.confirmed").count() == 1


def test_nobody_confirms_their_own(hood, activity):
    contribution = _log(hood, activity, name="bob")
    response = _api(hood, "bob").post(f"{API}contributions/{contribution.pk}/confirm/")
    assert response.status_code == 403
    assert response.json()["code"] == "own_contribution"
    contribution.refresh_from_db()
    assert contribution.status == "logged"


def test_a_resident_cannot_reach_someone_elses_contribution(hood, activity):
    contribution = _log(hood, activity, name="dave")
    response = _api(hood, "alice").post(f"{API}contributions/{contribution.pk}/confirm/")
    assert response.status_code == 404


def test_the_receiver_declines_with_a_reason(hood, activity):
    contribution = _log(
        hood, activity, beneficiary="member", beneficiary_member=hood.membership("carol")
    )
    response = _api(hood, "carol").post(
        f"{API}contributions/{contribution.pk}/decline/", {"reason": "Was korter"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["reason"]) == ("declined", "Was korter")


def test_declining_needs_a_reason(hood, activity):
    contribution = _log(hood, activity)
    response = _api(hood, "bob").post(
        f"{API}contributions/{contribution.pk}/decline/", {"reason": ""}, format="json"
    )
    assert response.status_code == 400
    contribution.refresh_from_db()
    assert contribution.status == "logged"


def test_declining_a_confirmed_one_is_refused(hood, activity):
    contribution = _log(hood, activity)
    services.confirm_contribution(contribution, actor=hood.bob)
    response = _api(hood, "bob").post(
        f"{API}contributions/{contribution.pk}/decline/", {"reason": "Toch niet"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "already_confirmed"


def test_the_waiting_list(hood, activity):
    contribution = _log(hood, activity)
    response = _api(hood, "bob").get(f"{API}waiting/")
    assert [row["id"] for row in response.json()["results"]] == [contribution.pk]
    assert _api(hood, "carol").get(f"{API}waiting/").json()["results"] == []


def test_the_balance(hood, activity):
    services.confirm_contribution(_log(hood, activity), actor=hood.bob)
    response = _api(hood, "alice").get(f"{API}balance/", {"months": 2})
    assert response.status_code == 200
    body = response.json()
    assert (body["given"], body["received"]) == ("1.50", "0.00")
    assert len(body["months"]) == 2
    assert body["months"][-1]["given"] == "1.50"


@pytest.mark.parametrize("months", ["0", "121", "veel"])
def test_the_balance_refuses_a_bad_number_of_months(hood, months):
    response = _api(hood, "alice").get(f"{API}balance/", {"months": months})
    assert response.status_code == 400
    assert response.json()["field"] == "months"


def test_activities_are_listed_for_members_and_added_by_coordinators(hood, activity):
    assert [
        row["name"] for row in _api(hood, "alice").get(f"{API}activities/").json()["results"]
    ] == ["Gedeelde maaltijd"]
    response = _api(hood, "bob").post(f"{API}activities/", {"name": "Moestuin"}, format="json")
    assert response.status_code == 201
    assert response.json()["is_active"] is True
    refused = _api(hood, "alice").post(f"{API}activities/", {"name": "Taal"}, format="json")
    assert refused.status_code == 403


def test_partner_hours_for_coordinators(hood, activity, partner):
    contribution = _log(hood, activity, beneficiary="partner", beneficiary_partner=partner)
    services.confirm_contribution(contribution, actor=hood.bob)
    response = _api(hood, "bob").get(f"{API}partners/", {"year": timezone.localdate().year})
    assert response.json() == [
        {
            "partner": partner.pk,
            "name": "Gemeente Teststad",
            "hours": "1.50",
            "contributions": 1,
            "people": 1,
        }
    ]
    assert _api(hood, "alice").get(f"{API}partners/").status_code == 403


def test_joining_and_leaving_the_thank_you_wall(hood):
    client = _api(hood, "alice")
    assert client.get(f"{API}thank-you-wall/").json()["listed"] is False
    response = client.post(f"{API}thank-you-wall/", {"display_name": "Alice"}, format="json")
    assert response.status_code == 200
    assert response.json()["display_name"] == "Alice"
    assert _api(hood).get("/api/v1/c/teststad/open/thanks/").json() == ["Alice"]
    assert client.delete(f"{API}thank-you-wall/").status_code == 204
    assert not ThanksListing.objects.exists()
    again = client.delete(f"{API}thank-you-wall/")
    assert again.status_code == 400
    assert again.json()["code"] == "not_listed"


def test_the_public_aggregates_need_no_login_and_name_nobody(hood, activity):
    people = [
        member_services.register_resident(
            hood.cooperative, actor=None, full_name=f"Buur {number}", email=None
        )
        for number in range(5)
    ]
    for person in people:
        contribution = services.log_contribution(
            hood.cooperative, actor=hood.bob, activity=activity, hours="2", contributor=person
        )
        services.confirm_contribution(contribution, actor=None)
    hood.cooperative.social_value_hourly_rate = ("15.00", "EUR")
    hood.cooperative.save()

    response = _api(hood).get("/api/v1/c/teststad/open/time/")

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == {"hours": "10.00", "contributions": 5, "people": 5, "suppressed": False}
    assert body["by_activity"][0]["activity"] == "Gedeelde maaltijd"
    assert body["social_value"]["estimate"] == "150.00"
    assert body["social_value"]["is_estimate"] is True
    assert "Buur" not in response.content.decode()


def test_the_public_aggregates_suppress_small_groups(hood, activity):
    services.confirm_contribution(_log(hood, activity), actor=hood.bob)
    body = _api(hood).get("/api/v1/c/teststad/open/time/").json()
    assert body["total"] == {
        "hours": None,
        "contributions": None,
        "people": None,
        "suppressed": True,
    }
    assert body["social_value"] is None


def test_the_public_aggregates_of_an_unknown_cooperative(hood):
    assert _api(hood).get("/api/v1/c/nowhere/open/time/").status_code == 404


def test_a_resident_earns_a_share_with_confirmed_hours(hood, activity):
    share_services.create_share_class(
        hood.cooperative,
        actor=hood.carol,
        code="T",
        name="Time",
        nominal_value=euros("10.00"),
        authorised_shares=5,
        hours_per_share=3,
    )
    client = _api(hood, "alice")
    assert client.post(f"{API}share/").json()["code"] == "not_enough_hours"
    contribution = services.log_contribution(
        hood.cooperative, actor=hood.alice, activity=activity, hours="3"
    )
    services.confirm_contribution(contribution, actor=hood.bob)
    assert client.get(f"{API}share/").json() == {
        "share_class": "T",
        "hours_per_share": 3,
        "hours_to_spare": "3.00",
    }
    response = client.post(f"{API}share/")
    assert response.status_code == 201
    assert (response.json()["method"], response.json()["status"]) == ("in_kind", "paid")
    assert client.get(f"{API}share/").json()["hours_to_spare"] == "0.00"


def test_without_an_earnable_class_there_is_no_share_by_time(hood):
    assert _api(hood, "alice").get(f"{API}share/").json() == {
        "share_class": None,
        "hours_per_share": None,
        "hours_to_spare": "0.00",
    }


def test_refusals_are_in_dutch_unless_asked_otherwise(hood, activity):
    contribution = _log(hood, activity, name="bob")
    url = f"{API}contributions/{contribution.pk}/confirm/"
    dutch = _api(hood, "bob").post(url).json()["detail"]
    english = _api(hood, "bob").post(url, HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert dutch == "Je kunt je eigen bijdrage niet bevestigen: dat doet de andere kant."
    assert english == "You cannot confirm your own contribution: the other side does."
