import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from members import services as member_services
from members.models import MembershipStatus
from reciprocity import services
from reciprocity.models import Contribution
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def _log(hood, activity, name="alice", **fields):
    fields.setdefault("hours", "1.5")
    return services.log_contribution(
        hood.cooperative, actor=hood.people[name], activity=activity, **fields
    )


def test_a_resident_logs_time_for_the_neighbourhood(hood, activity, place):
    with captures_events(hood.cooperative) as events:
        contribution = _log(hood, activity, hours="1.5", place=place, note="Soep gekookt")
    assert contribution.status == "logged"
    assert contribution.contributor == hood.membership("alice")
    assert contribution.logged_by == hood.alice
    assert contribution.hours == Decimal("1.50")
    assert contribution.date == timezone.localdate()
    assert not contribution.on_behalf
    assert_audit_event(
        events,
        action="contribution.logged",
        actor=hood.alice,
        subject=contribution,
        payload={
            "contribution": contribution.pk,
            "member_number": hood.membership("alice").member_number,
            "kind": "time",
            "hours": "1.50",
            "date": timezone.localdate().isoformat(),
            "activity": "Gedeelde maaltijd",
            "place": "Buurtkamer",
            "beneficiary": "neighbourhood",
            "beneficiary_member_number": None,
            "beneficiary_partner": None,
            "amount": None,
        },
    )


def test_the_note_stays_out_of_the_audit_chain(hood, activity):
    with captures_events(hood.cooperative) as events:
        _log(hood, activity, note="Boodschappen voor mevrouw Jansen")
    assert "Jansen" not in str(events[0].payload)


def test_a_coordinator_logs_on_behalf_of_a_resident(hood, activity):
    with captures_events(hood.cooperative) as events:
        contribution = _log(hood, activity, name="bob", contributor=hood.membership("alice"))
    assert contribution.contributor == hood.membership("alice")
    assert contribution.logged_by == hood.bob
    assert contribution.on_behalf
    assert contribution.status == "logged"
    assert_audit_event(
        events, action="contribution.logged", actor=hood.bob, on_behalf_of=hood.alice
    )


def test_a_resident_may_not_log_for_someone_else(hood, activity):
    with pytest.raises(NotAllowed, match="Only a coordinator may log"):
        _log(hood, activity, contributor=hood.membership("carol"))
    assert not Contribution.objects.exists()


def test_an_outsider_may_not_log(hood, activity):
    with pytest.raises(NotAllowed, match="not a member"):
        _log(hood, activity, name="olivia")
    assert not Contribution.objects.exists()


def test_a_gift_to_a_member_names_the_member(hood, activity):
    contribution = _log(
        hood, activity, beneficiary="member", beneficiary_member=hood.membership("carol")
    )
    assert contribution.beneficiary_member == hood.membership("carol")
    assert contribution.status == "logged"


def test_a_gift_to_a_partner_organisation(hood, activity, partner):
    contribution = _log(hood, activity, beneficiary="partner", beneficiary_partner=partner)
    assert contribution.beneficiary_partner == partner


def test_money_given_has_an_amount(hood, activity):
    contribution = _log(hood, activity, kind="money", hours="0", amount="12,50")
    assert contribution.amount == Decimal("12.50")
    assert contribution.hours == 0


def test_a_gift_in_kind_may_take_no_time(hood, activity):
    assert _log(hood, activity, kind="in_kind", hours=0).hours == 0


@pytest.mark.parametrize("hours", [Decimal("2.25"), "2.25", "2,25", 2.25])
def test_it_takes_hours_in_several_forms(hood, activity, hours):
    assert _log(hood, activity, hours=hours).hours == Decimal("2.25")


def test_it_takes_whole_hours(hood, activity):
    assert _log(hood, activity, hours=3).hours == Decimal("3.00")


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0", "more than 0 hours"),
        (0, "more than 0 hours"),
        ("-1", "more than 0 hours"),
        ("1.1", "quarter hours"),
        ("0.1", "quarter hours"),
        (0.1 + 0.2, "quarter hours"),
        ("25", "at most 24"),
        ("abc", "as a number"),
        ("", "as a number"),
        (None, "as a number"),
        (True, "as a number"),
        ("NaN", "as a number"),
        ("Infinity", "as a number"),
        ([1], "as a number"),
    ],
)
def test_it_refuses_bad_hours(hood, activity, hours, message):
    with pytest.raises(DomainError, match=message) as refused:
        _log(hood, activity, hours=hours)
    assert refused.value.field == "hours"
    assert not Contribution.objects.exists()


def test_it_refuses_more_than_24_hours_on_one_day(hood, activity):
    _log(hood, activity, hours="20")
    with pytest.raises(DomainError, match="a day has 24") as refused:
        _log(hood, activity, hours="4.25")
    assert refused.value.field == "hours"
    assert Contribution.objects.count() == 1


def test_the_day_fills_up_to_exactly_24_hours(hood, activity):
    _log(hood, activity, hours="20")
    _log(hood, activity, hours="4")
    assert Contribution.objects.count() == 2


def test_declined_hours_do_not_fill_the_day(hood, activity):
    declined = _log(hood, activity, hours="20")
    services.decline_contribution(declined, actor=hood.bob, reason="Niet geweest")
    _log(hood, activity, hours="10")
    assert Contribution.objects.count() == 2


def test_the_day_counts_what_a_coordinator_logged_for_the_person(hood, activity):
    _log(hood, activity, name="bob", hours="20", contributor=hood.membership("alice"))
    with pytest.raises(DomainError, match="a day has 24"):
        _log(hood, activity, hours="5")


def test_other_days_do_not_count(hood, activity):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    _log(hood, activity, hours="20", date=yesterday)
    _log(hood, activity, hours="20")
    assert Contribution.objects.count() == 2


def test_it_refuses_a_date_in_the_future(hood, activity):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(DomainError, match="has not come yet") as refused:
        _log(hood, activity, date=tomorrow)
    assert refused.value.field == "date"
    assert not Contribution.objects.exists()


def test_it_refuses_a_date_more_than_a_year_back(hood, activity):
    long_ago = timezone.localdate() - datetime.timedelta(days=367)
    with pytest.raises(DomainError, match="more than a year ago"):
        _log(hood, activity, date=long_ago)
    assert not Contribution.objects.exists()


def test_it_takes_a_date_a_year_back(hood, activity):
    a_year_ago = timezone.localdate() - datetime.timedelta(days=365)
    assert _log(hood, activity, date=a_year_ago).date == a_year_ago


def test_it_refuses_a_date_that_is_not_a_date(hood, activity):
    with pytest.raises(DomainError, match="Fill in a date"):
        _log(hood, activity, date="gisteren")


def test_a_member_cannot_be_their_own_beneficiary(hood, activity):
    with pytest.raises(DomainError, match="to yourself") as refused:
        _log(hood, activity, beneficiary="member", beneficiary_member=hood.membership("alice"))
    assert refused.value.field == "beneficiary_member"
    assert not Contribution.objects.exists()


def test_a_gift_to_a_member_needs_the_member(hood, activity):
    with pytest.raises(DomainError, match="Choose the member"):
        _log(hood, activity, beneficiary="member")


def test_it_refuses_a_member_of_another_cooperative(hood, activity):
    olivia = hood.other.memberships.get()
    with pytest.raises(DomainError, match="active member of this cooperative"):
        _log(hood, activity, beneficiary="member", beneficiary_member=olivia)


def test_it_refuses_a_member_who_left(hood, activity):
    carol = hood.membership("carol")
    carol.status = MembershipStatus.ENDED
    carol.save()
    with pytest.raises(DomainError, match="active member of this cooperative"):
        _log(hood, activity, beneficiary="member", beneficiary_member=carol)


def test_it_refuses_a_partner_of_another_cooperative(hood, activity):
    elsewhere = member_services.add_partner_organisation(
        hood.other, actor=None, name="Gemeente Elders", sector="government"
    )
    with pytest.raises(DomainError, match="partner organisation of this cooperative"):
        _log(hood, activity, beneficiary="partner", beneficiary_partner=elsewhere)


def test_a_gift_to_the_neighbourhood_names_nobody(hood, activity):
    with pytest.raises(DomainError, match="no member or organisation"):
        _log(hood, activity, beneficiary_member=hood.membership("carol"))


def test_it_refuses_an_unknown_beneficiary(hood, activity):
    with pytest.raises(DomainError, match="Choose for whom"):
        _log(hood, activity, beneficiary="everyone")


def test_it_refuses_an_activity_of_another_cooperative(hood):
    elsewhere = services.add_activity(hood.other, actor=None, name="Tuin")
    with pytest.raises(DomainError, match="this cooperative's activities") as refused:
        _log(hood, elsewhere)
    assert refused.value.field == "activity"


def test_it_refuses_an_activity_no_longer_in_use(hood, activity):
    services.update_activity(activity, actor=hood.bob, is_active=False)
    activity.refresh_from_db()
    with pytest.raises(DomainError, match="no longer in use"):
        _log(hood, activity)


def test_it_refuses_a_place_of_another_cooperative(hood, activity):
    elsewhere = member_services.add_place(hood.other, actor=None, name="Hof", kind="garden")
    with pytest.raises(DomainError, match="this cooperative's places"):
        _log(hood, activity, place=elsewhere)


@pytest.mark.parametrize(
    ("kind", "amount", "message"),
    [
        ("money", None, "euros and cents"),
        ("money", "0", "euros and cents"),
        ("money", "-5", "euros and cents"),
        ("money", "1.005", "euros and cents"),
        ("money", 1.5, "euros and cents"),
        ("money", "veel", "euros and cents"),
        ("time", "5", "Only a gift of money"),
        ("in_kind", "5", "Only a gift of money"),
    ],
)
def test_it_refuses_a_bad_amount(hood, activity, kind, amount, message):
    with pytest.raises(DomainError, match=message) as refused:
        _log(hood, activity, kind=kind, amount=amount)
    assert refused.value.field == "amount"
    assert not Contribution.objects.exists()


def test_it_refuses_an_unknown_kind(hood, activity):
    with pytest.raises(DomainError, match="time, in kind or money"):
        _log(hood, activity, kind="favour")


def test_it_refuses_a_long_note(hood, activity):
    with pytest.raises(DomainError, match="at most 200 characters"):
        _log(hood, activity, note="x" * 201)
