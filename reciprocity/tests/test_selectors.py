import datetime
from decimal import Decimal

import pytest
from moneyed import Money

from members import services as member_services
from reciprocity import selectors, services, summary
from reciprocity.models import Contribution
from wijkbv.testing import today

pytestmark = pytest.mark.django_db


def _residents(hood, count):
    """`count` more residents of the personas' cooperative."""
    return [
        member_services.register_resident(
            hood.cooperative, actor=None, full_name=f"Buur {number}", email=None
        )
        for number in range(count)
    ]


def _contributions(hood, activity, people, *, per_person=1, status="confirmed", **fields):
    """Rows written directly, as many as a test needs (the services are tested elsewhere)."""
    rows = [
        Contribution(
            cooperative=hood.cooperative,
            contributor=person,
            activity=activity,
            hours=Decimal("2"),
            date=today() - datetime.timedelta(days=number % 200),
            status=status,
            **fields,
        )
        for person in people
        for number in range(per_person)
    ]
    Contribution.objects.bulk_create(rows)
    # Written in bulk, past the services: the summary the public aggregates read is made afresh.
    summary.rebuild(hood.cooperative)
    return rows


# contributions_for_member and waiting_for


def test_a_member_sees_what_they_gave_and_received_newest_first(hood, activity):
    alice, carol = hood.membership("alice"), hood.membership("carol")
    given = services.log_contribution(
        hood.cooperative,
        actor=hood.alice,
        activity=activity,
        hours="1",
        date=today() - datetime.timedelta(days=3),
    )
    received = services.log_contribution(
        hood.cooperative,
        actor=hood.carol,
        activity=activity,
        hours="1",
        beneficiary="member",
        beneficiary_member=alice,
    )
    services.log_contribution(hood.cooperative, actor=hood.carol, activity=activity, hours="1")
    assert list(selectors.contributions_for_member(alice)) == [received, given]
    assert len(selectors.contributions_for_member(carol)) == 2


@pytest.mark.parametrize("size", [3, 30])
def test_the_member_list_takes_one_query(hood, activity, size, django_assert_max_num_queries):
    alice = hood.membership("alice")
    _contributions(hood, activity, [alice], per_person=size)
    with django_assert_max_num_queries(1):
        rows = list(selectors.contributions_for_member(alice))
        assert {row.contributor.user.full_name for row in rows} == {"Alice Test"}
        assert {row.activity.name for row in rows} == {"Gedeelde maaltijd"}


def test_a_resident_waits_only_for_what_they_received(hood, activity):
    alice, carol = hood.membership("alice"), hood.membership("carol")
    to_carol = services.log_contribution(
        hood.cooperative,
        actor=hood.alice,
        activity=activity,
        hours="1",
        beneficiary="member",
        beneficiary_member=carol,
    )
    services.log_contribution(hood.cooperative, actor=hood.alice, activity=activity, hours="1")
    assert list(selectors.waiting_for(carol)) == [to_carol]
    assert list(selectors.waiting_for(alice)) == []


def test_a_coordinator_waits_for_the_neighbourhood_and_partners_but_not_their_own(
    hood, activity, partner
):
    bob = hood.membership("bob")
    for_hood = services.log_contribution(
        hood.cooperative, actor=hood.alice, activity=activity, hours="1"
    )
    for_partner = services.log_contribution(
        hood.cooperative,
        actor=hood.carol,
        activity=activity,
        hours="1",
        beneficiary="partner",
        beneficiary_partner=partner,
    )
    services.log_contribution(hood.cooperative, actor=hood.bob, activity=activity, hours="1")
    services.log_contribution(
        hood.cooperative,
        actor=hood.alice,
        activity=activity,
        hours="1",
        beneficiary="member",
        beneficiary_member=hood.membership("carol"),
    )
    confirmed = services.log_contribution(
        hood.cooperative, actor=hood.dave, activity=activity, hours="1"
    )
    services.confirm_contribution(confirmed, actor=hood.bob)
    assert set(selectors.waiting_for(bob)) == {for_hood, for_partner}


def test_a_coordinator_of_another_cooperative_waits_for_nothing_here(hood, activity):
    services.log_contribution(hood.cooperative, actor=hood.alice, activity=activity, hours="1")
    olivia = hood.other.memberships.get()
    olivia.is_coordinator = True
    assert list(selectors.waiting_for(olivia)) == []


@pytest.mark.parametrize("size", [3, 30])
def test_the_waiting_list_takes_one_query(hood, activity, size, django_assert_max_num_queries):
    _contributions(hood, activity, _residents(hood, size), status="logged")
    bob = hood.membership("bob")
    with django_assert_max_num_queries(1):
        assert len([row.contributor.user.full_name for row in selectors.waiting_for(bob)]) == size


# balance


def test_the_balance_counts_confirmed_hours_given_and_received(hood, activity):
    alice, carol = hood.membership("alice"), hood.membership("carol")
    last_month = (today().replace(day=1) - datetime.timedelta(days=1)).replace(day=5)
    for hours, on_date in [("2", today()), ("1.25", last_month)]:
        given = services.log_contribution(
            hood.cooperative, actor=hood.alice, activity=activity, hours=hours, date=on_date
        )
        services.confirm_contribution(given, actor=hood.bob)
    received = services.log_contribution(
        hood.cooperative,
        actor=hood.carol,
        activity=activity,
        hours="0.5",
        beneficiary="member",
        beneficiary_member=alice,
    )
    services.confirm_contribution(received, actor=hood.alice)
    services.log_contribution(hood.cooperative, actor=hood.alice, activity=activity, hours="4")
    declined = services.log_contribution(
        hood.cooperative, actor=hood.alice, activity=activity, hours="3"
    )
    services.decline_contribution(declined, actor=hood.bob, reason="Nee")

    balance = selectors.balance(alice, months=3)

    assert balance["given"] == Decimal("3.25")
    assert balance["received"] == Decimal("0.50")
    assert [month["month"] for month in balance["months"]][-2:] == [
        last_month.replace(day=1),
        today().replace(day=1),
    ]
    assert len(balance["months"]) == 3
    assert balance["months"][-1] == {
        "month": today().replace(day=1),
        "given": Decimal("2.00"),
        "received": Decimal("0.50"),
    }
    assert balance["months"][-2]["given"] == Decimal("1.25")
    assert balance["months"][0]["given"] == Decimal("0.00")
    assert selectors.balance(carol)["given"] == Decimal("0.50")


def test_the_balance_of_someone_without_contributions_is_zero(hood):
    balance = selectors.balance(hood.membership("alice"))
    assert balance["given"] == balance["received"] == Decimal("0.00")
    assert len(balance["months"]) == 12


@pytest.mark.parametrize("size", [2, 40])
def test_the_balance_takes_two_queries(hood, activity, size, django_assert_max_num_queries):
    alice = hood.membership("alice")
    _contributions(hood, activity, [alice], per_person=size)
    with django_assert_max_num_queries(2):
        assert selectors.balance(alice)["given"] == 2 * size


# partner organisations


def test_partner_hours_count_confirmed_hours_and_people(hood, activity, partner):
    people = _residents(hood, 3)
    _contributions(
        hood, activity, people, per_person=2, beneficiary="partner", beneficiary_partner=partner
    )
    _contributions(
        hood, activity, people, status="logged", beneficiary="partner", beneficiary_partner=partner
    )
    (row,) = selectors.partner_hours(hood.cooperative)
    assert row == {
        "partner": partner,
        "hours": Decimal("12.00"),
        "contributions": 6,
        "people": 3,
    }


def test_partner_hours_of_one_year(hood, activity, partner):
    _contributions(
        hood, activity, _residents(hood, 1), beneficiary="partner", beneficiary_partner=partner
    )
    (row,) = selectors.partner_hours(hood.cooperative, year=today().year - 5)
    assert row["hours"] == 0


def test_public_partner_hours_leave_out_organisations_helped_by_few_people(hood, activity, partner):
    _contributions(
        hood, activity, _residents(hood, 4), beneficiary="partner", beneficiary_partner=partner
    )
    assert selectors.public_partner_hours(hood.cooperative) == [
        {
            "partner": "Gemeente Teststad",
            "hours": None,
            "contributions": None,
            "people": None,
            "suppressed": True,
        }
    ]
    _contributions(
        hood, activity, _residents(hood, 1), beneficiary="partner", beneficiary_partner=partner
    )
    (row,) = selectors.public_partner_hours(hood.cooperative)
    assert row["people"] == 5
    assert row["hours"] == Decimal("10.00")


@pytest.mark.parametrize("size", [2, 20])
def test_partner_hours_take_two_queries(
    hood, activity, partner, size, django_assert_max_num_queries
):
    _contributions(
        hood, activity, _residents(hood, size), beneficiary="partner", beneficiary_partner=partner
    )
    with django_assert_max_num_queries(2):
        assert selectors.partner_hours(hood.cooperative)[0]["people"] == size


# public aggregates


@pytest.fixture
def garden(hood):
    return services.add_activity(hood.cooperative, actor=hood.bob, name="Moestuin")


def _by(groups, name, value):
    (group,) = [group for group in groups if group[name] == value]
    return group


def test_public_aggregates_count_hours_contributions_and_people(hood, activity, garden, place):
    many = _residents(hood, 6)
    _contributions(hood, activity, many, per_person=2, place=place)
    _contributions(hood, garden, many[:5])
    _contributions(hood, garden, many, status="logged")

    public = selectors.public_aggregates(hood.cooperative)

    assert public["total"] == {
        "hours": Decimal("34.00"),
        "contributions": 17,
        "people": 6,
        "suppressed": False,
    }
    assert _by(public["by_activity"], "activity", "Gedeelde maaltijd") == {
        "activity": "Gedeelde maaltijd",
        "hours": Decimal("24.00"),
        "contributions": 12,
        "people": 6,
        "suppressed": False,
    }
    assert _by(public["by_activity"], "activity", "Moestuin")["people"] == 5
    assert _by(public["by_place"], "place", "Buurtkamer")["hours"] == Decimal("24.00")
    assert _by(public["by_place"], "place", "No particular place")["hours"] == Decimal("10.00")
    assert len(public["by_month"]) == 12
    assert sum(month["contributions"] or 0 for month in public["by_month"]) <= 17
    assert public["min_group_size"] == 5


def test_a_group_of_fewer_than_five_people_is_suppressed(hood, activity, garden):
    _contributions(hood, activity, _residents(hood, 10))
    _contributions(hood, garden, _residents(hood, 4))
    _contributions(
        hood, services.add_activity(hood.cooperative, actor=None, name="Taal"), _residents(hood, 1)
    )

    public = selectors.public_aggregates(hood.cooperative)

    assert _by(public["by_activity"], "activity", "Moestuin") == {
        "activity": "Moestuin",
        "hours": None,
        "contributions": None,
        "people": None,
        "suppressed": True,
    }
    assert _by(public["by_activity"], "activity", "Taal")["suppressed"]
    assert _by(public["by_activity"], "activity", "Gedeelde maaltijd")["hours"] == 20


def test_one_small_group_cannot_be_found_by_subtracting_from_the_total(hood, activity, garden):
    _contributions(hood, activity, _residents(hood, 10))
    _contributions(hood, garden, _residents(hood, 6))
    taal = services.add_activity(hood.cooperative, actor=None, name="Taal")
    _contributions(hood, taal, _residents(hood, 2))

    by_activity = selectors.public_aggregates(hood.cooperative)["by_activity"]

    # Total minus the two large groups would give Taal's hours: the smaller one goes too.
    assert _by(by_activity, "activity", "Taal")["suppressed"]
    assert _by(by_activity, "activity", "Moestuin")["suppressed"]
    assert not _by(by_activity, "activity", "Gedeelde maaltijd")["suppressed"]


def test_small_groups_that_together_hold_five_people_suppress_nothing_more(hood, activity, garden):
    _contributions(hood, activity, _residents(hood, 10))
    _contributions(hood, garden, _residents(hood, 3))
    taal = services.add_activity(hood.cooperative, actor=None, name="Taal")
    _contributions(hood, taal, _residents(hood, 3))

    by_activity = selectors.public_aggregates(hood.cooperative)["by_activity"]

    assert not _by(by_activity, "activity", "Gedeelde maaltijd")["suppressed"]


def test_a_total_of_fewer_than_five_people_is_suppressed_and_has_no_social_value(hood, activity):
    _contributions(hood, activity, _residents(hood, 4))
    public = selectors.public_aggregates(hood.cooperative)
    assert public["total"]["suppressed"]
    assert public["total"]["hours"] is None
    assert public["social_value"] is None


def test_the_social_value_is_an_estimate_at_the_cooperatives_rate(hood, activity):
    hood.cooperative.social_value_hourly_rate = Money("15.00", "EUR")
    hood.cooperative.save()
    _contributions(hood, activity, _residents(hood, 5))
    social_value = selectors.public_aggregates(hood.cooperative)["social_value"]
    assert social_value["estimate"] == Money("150.00", "EUR")
    assert social_value["hours"] == Decimal("10.00")
    assert social_value["is_estimate"] is True
    assert "not money owed or paid" in social_value["label"]


def test_there_is_no_social_value_without_a_rate(hood, activity):
    _contributions(hood, activity, _residents(hood, 5))
    assert selectors.public_aggregates(hood.cooperative)["social_value"] is None


def test_public_aggregates_leave_out_older_months(hood, activity):
    people = _residents(hood, 5)
    Contribution.objects.bulk_create(
        Contribution(
            cooperative=hood.cooperative,
            contributor=person,
            activity=activity,
            hours=Decimal("1"),
            date=today() - datetime.timedelta(days=200),
            status="confirmed",
        )
        for person in people
    )
    summary.rebuild(hood.cooperative)
    assert selectors.public_aggregates(hood.cooperative, months=3)["total"]["suppressed"]
    assert selectors.public_aggregates(hood.cooperative, months=12)["total"]["people"] == 5


def test_public_aggregates_never_name_anyone(hood, activity, partner):
    people = _residents(hood, 6)
    _contributions(hood, activity, people, beneficiary="partner", beneficiary_partner=partner)
    text = str(selectors.public_aggregates(hood.cooperative))
    assert "Buur" not in text
    assert "Test" not in text.replace("Teststad", "")


def test_partner_groups_are_suppressed_too(hood, activity, partner):
    _contributions(hood, activity, _residents(hood, 6))
    _contributions(
        hood, activity, _residents(hood, 2), beneficiary="partner", beneficiary_partner=partner
    )
    (row,) = selectors.public_aggregates(hood.cooperative)["by_partner"]
    assert row["partner"] == "Gemeente Teststad"
    assert row["suppressed"]


@pytest.mark.parametrize("size", [6, 60])
def test_public_aggregates_take_a_constant_handful_of_queries(
    hood, activity, garden, place, partner, size, django_assert_max_num_queries
):
    people = _residents(hood, size)
    _contributions(hood, activity, people, per_person=3, place=place)
    _contributions(hood, garden, people[:2], beneficiary="partner", beneficiary_partner=partner)
    with django_assert_max_num_queries(7):
        public = selectors.public_aggregates(hood.cooperative)
    assert public["total"]["people"] == size


# thank-you wall


def test_the_wall_shows_only_active_members_who_chose_it(hood):
    services.join_thank_you_wall(hood.membership("alice"), actor=hood.alice, display_name="Alice")
    services.join_thank_you_wall(hood.membership("dave"), actor=hood.dave, display_name="Dave")
    member_services.set_membership_status(
        hood.membership("dave"), actor=hood.carol, status="ended", reason="Verhuisd"
    )
    assert selectors.thanks_wall(hood.cooperative) == ["Alice"]
    assert selectors.thanks_wall(hood.other) == []


def test_the_coordinators_work_list_has_everything_waiting_oldest_first(hood, activity):
    def log(name, days_ago):
        return services.log_contribution(
            hood.cooperative,
            actor=hood.people[name],
            activity=activity,
            hours="1",
            date=today() - datetime.timedelta(days=days_ago),
        )

    first, second, confirmed = log("alice", 2), log("erin", 0), log("dave", 1)
    services.confirm_contribution(confirmed, actor=hood.bob)

    assert list(selectors.waiting_in(hood.cooperative)) == [first, second]
