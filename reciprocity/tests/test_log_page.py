"""Logging time on the web: three fields, a QR link that fixes activity and place, a
coordinator logging on behalf of a resident, and a clear refusal (nothing written) for bad input."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from reciprocity import services
from reciprocity.models import Contribution
from wijkbv.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/c/teststad/time/log/"


def _client(hood, name):
    client = hood.client_for(name)
    client.cookies["django_language"] = "en"
    return client


def _form(activity, **fields):
    return (
        {"activity": activity.pk, "hours": "2", "date": timezone.localdate().isoformat()}
        | {
            "beneficiary": "neighbourhood",
            "kind": "time",
        }
        | fields
    )


def test_a_resident_logs_two_hours_in_three_fields(hood, activity):
    response = _client(hood, "alice").post(
        URL,
        {"activity": activity.pk, "hours": "2", "date": timezone.localdate().isoformat()},
        follow=True,
    )

    contribution = Contribution.objects.get()
    assert contribution.contributor == hood.membership("alice")
    assert contribution.hours == Decimal("2.00")
    assert contribution.beneficiary == "neighbourhood"
    assert contribution.status == "logged"
    page = response.content.decode()
    assert "Thank you! 2 hours for Gedeelde maaltijd saved." in page
    assert "Waiting for confirmation" in page


def test_the_form_shows_three_fields_and_folds_the_rest_away(hood, activity):
    page = _client(hood, "alice").get(URL).content.decode()

    before, details = page.split("<details", 1)
    for name in ("activity", "hours", "date"):
        assert f'name="{name}"' in before
    for name in ("place", "beneficiary", "beneficiary_member", "note"):
        assert f'name="{name}"' in details
    assert f'value="{timezone.localdate().isoformat()}"' in before
    assert 'type="hidden" name="contributor"' in before


def test_a_qr_link_fixes_the_activity_and_the_place(hood, activity, place):
    client = _client(hood, "alice")
    link = f"{URL}?place={place.pk}&activity={activity.pk}"

    page = client.get(link).content.decode()
    client.post(
        link,
        {
            "activity": activity.pk,
            "place": place.pk,
            "hours": "1.5",
            "date": timezone.localdate().isoformat(),
        },
    )

    assert f'type="hidden" name="activity" value="{activity.pk}"' in page
    assert f'type="hidden" name="place" value="{place.pk}"' in page
    assert "Buurtkamer" in page
    contribution = Contribution.objects.get()
    assert (contribution.activity, contribution.place) == (activity, place)


def test_a_link_to_an_activity_no_longer_in_use_lets_the_resident_choose(hood, activity, place):
    services.update_activity(activity, actor=hood.bob, is_active=False)
    other = services.add_activity(hood.cooperative, actor=hood.bob, name="Buurthulp")

    page = _client(hood, "alice").get(f"{URL}?activity={activity.pk}").content.decode()

    assert '<select name="activity"' in page
    assert "Buurthulp" in page
    assert f'value="{other.pk}"' in page


def test_a_resident_logs_time_given_to_a_neighbour_by_member_number(hood, activity):
    carol = hood.membership("carol")

    response = _client(hood, "alice").post(
        URL,
        _form(activity, beneficiary="member", beneficiary_member=str(carol.member_number)),
        follow=True,
    )

    contribution = Contribution.objects.get()
    assert contribution.beneficiary_member == carol
    assert "Carol will confirm it." in response.content.decode()


def test_a_resident_logs_time_given_to_a_partner_organisation(hood, activity, partner):
    _client(hood, "alice").post(
        URL, _form(activity, beneficiary="partner", beneficiary_partner=partner.pk)
    )

    assert Contribution.objects.get().beneficiary_partner == partner


def test_a_coordinator_logs_on_behalf_of_a_resident(hood, activity):
    alice = hood.membership("alice")

    response = _client(hood, "bob").post(
        URL, _form(activity, contributor=str(alice.member_number)), follow=True
    )

    contribution = Contribution.objects.get()
    assert contribution.contributor == alice
    assert contribution.logged_by == hood.bob
    assert contribution.on_behalf
    page = response.content.decode()
    assert f"Saved on behalf of Alice Test (member {alice.member_number})" in page
    assert 'name="contributor"' in page and 'type="hidden" name="contributor"' not in page


def _refused(hood, activity, name, form, message, status=400):
    events = AuditEvent.objects.count()

    response = _client(hood, name).post(URL, form)

    assert response.status_code == status
    assert message in response.content.decode()
    assert not Contribution.objects.exists()
    assert AuditEvent.objects.count() == events
    return response


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0", "Fill in more than 0 hours."),
        ("-1", "Fill in more than 0 hours."),
        ("0.3", "Fill in the hours in quarter hours"),
        ("25", "A day has 24 hours: fill in at most 24."),
        ("two", "Fill in the hours as a number"),
    ],
)
def test_it_refuses_hours_that_are_not_quarter_hours_in_a_day(hood, activity, hours, message):
    _refused(hood, activity, "alice", _form(activity, hours=hours), message)


def test_it_refuses_more_than_24_hours_on_one_day(hood, activity):
    for _ in range(2):
        services.log_contribution(hood.cooperative, actor=hood.alice, activity=activity, hours="12")
    logged = Contribution.objects.count()
    events = AuditEvent.objects.count()

    response = _client(hood, "alice").post(URL, _form(activity, hours="1"))

    assert response.status_code == 400
    assert "a day has 24" in response.content.decode()
    assert Contribution.objects.count() == logged
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("days", "message"),
    [(-1, "This date has not come yet"), (400, "more than a year ago")],
)
def test_it_refuses_a_date_in_the_future_or_more_than_a_year_back(hood, activity, days, message):
    day = timezone.localdate() - datetime.timedelta(days=days)

    _refused(hood, activity, "alice", _form(activity, date=day.isoformat()), message)


def test_a_resident_may_not_log_for_someone_else(hood, activity):
    carol = hood.membership("carol")

    _refused(
        hood,
        activity,
        "alice",
        _form(activity, contributor=str(carol.member_number)),
        "Only a coordinator may log a contribution for someone else.",
    )


def test_it_says_so_when_no_member_has_the_number(hood, activity):
    _refused(
        hood,
        activity,
        "bob",
        _form(activity, contributor="9999"),
        "There is no member with this number.",
    )


def test_it_refuses_time_given_to_yourself(hood, activity):
    alice = hood.membership("alice")

    response = _refused(
        hood,
        activity,
        "alice",
        _form(activity, beneficiary="member", beneficiary_member=str(alice.member_number)),
        "You cannot log a contribution to yourself",
    )

    assert "<details open" in response.content.decode()


def test_it_asks_for_an_activity(hood, activity):
    _refused(hood, activity, "alice", _form(activity) | {"activity": ""}, "Choose what you did.")


def test_it_speaks_dutch_by_default(hood, activity):
    page = hood.client_for("alice").get(URL).content.decode()

    assert "Noteer je tijd" in page
    assert "Wat heb je gedaan?" in page


def test_without_activities_it_says_a_coordinator_adds_them(hood):
    page = _client(hood, "alice").get(URL).content.decode()

    assert "A coordinator adds them." in page


def test_a_member_number_left_behind_does_not_count_for_the_neighbourhood(hood, activity):
    _client(hood, "alice").post(URL, _form(activity, beneficiary_member="9999"))

    contribution = Contribution.objects.get()
    assert contribution.beneficiary == "neighbourhood"
    assert contribution.beneficiary_member is None


def test_it_asks_which_member_when_it_was_for_a_member(hood, activity):
    _refused(
        hood,
        activity,
        "alice",
        _form(activity, beneficiary="member"),
        "Choose the member you did this for.",
    )


def test_it_says_so_when_the_neighbour_has_no_such_number(hood, activity):
    _refused(
        hood,
        activity,
        "alice",
        _form(activity, beneficiary="member", beneficiary_member="9999"),
        "There is no member with this number.",
    )
