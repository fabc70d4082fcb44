"""The summary of time given says what the contributions say: after confirmations, declines,
waiting contributions, contributions written in bulk and a forgotten member, its rows equal
those recomputed from the contributions, and the public aggregates read from it equal those
counted straight from the contributions (reciprocity/tests/straight.py)."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from members import services as member_services
from reciprocity import selectors, services, summary
from reciprocity.models import Contribution, GroupMonthSummary, PersonMonthSummary
from reciprocity.tests import straight
from wijkbv.testing import today

pytestmark = pytest.mark.django_db

WINDOWS = (1, 3, 6, 12, 24)


def _residents(hood, count):
    return [
        member_services.register_resident(
            hood.cooperative, actor=None, full_name=f"Buur {number}", email=None
        )
        for number in range(count)
    ]


def _log(hood, person, number, activities, places, partner, receivers):
    """The coordinator logs for `person`: the day, activity, place and beneficiary vary with
    `number`, so that groups of every size and months near the edge of a period occur."""
    fields = {}
    if number % 5 == 0:
        fields = {"beneficiary": "partner", "beneficiary_partner": partner}
    elif number % 7 == 0:
        receiver = receivers[number % len(receivers)]
        if receiver.pk != person.pk:
            fields = {"beneficiary": "member", "beneficiary_member": receiver}
    return services.log_contribution(
        hood.cooperative,
        actor=hood.bob,
        contributor=person,
        activity=activities[number % len(activities)],
        place=places[number % len(places)],
        hours=Decimal("0.25") * (1 + number % 8),
        date=today() - datetime.timedelta(days=(number * 37) % 340),
        **fields,
    )


def _decide(hood, contribution, number):
    if number % 6 == 5:
        return
    if number % 4 == 3:
        services.decline_contribution(contribution, actor=hood.bob, reason="Niet zo gebeurd")
    else:
        services.confirm_contribution(contribution, actor=hood.bob)


def _assert_summary_is_true(cooperative):
    assert summary.differences(cooperative) == []
    for months in WINDOWS:
        assert selectors.public_aggregates(cooperative, months=months) == (
            straight.public_aggregates(cooperative, months=months)
        )
    assert selectors.partner_hours(cooperative) == straight.partner_hours(cooperative)


@pytest.fixture
def mix(hood, activity, place, partner):
    """Two activities, two places and none, a partner organisation; fourteen residents."""
    coop = hood.cooperative
    activities = [activity, services.add_activity(coop, actor=hood.bob, name="Burenhulp")]
    garden = member_services.add_place(coop, actor=hood.bob, name="Moestuin", kind="garden")
    people = _residents(hood, 14)
    return {
        "activities": activities,
        "places": [None, place, garden],
        "partner": partner,
        "people": people,
    }


def test_it_equals_the_straight_count_after_a_mix_of_changes(hood, mix):
    people, args = mix["people"], (mix["activities"], mix["places"], mix["partner"])
    for number in range(90):
        # Most people give a little; the first four give most, so some groups stay small.
        person = people[number % 4] if number % 3 else people[number % len(people)]
        contribution = _log(hood, person, number, *args, people)
        _decide(hood, contribution, number)
    _assert_summary_is_true(hood.cooperative)

    # Contributions written in bulk, past the services, and the summary made afresh.
    Contribution.objects.bulk_create(
        Contribution(
            cooperative=hood.cooperative,
            contributor=person,
            activity=mix["activities"][1],
            hours=Decimal("1.5"),
            date=today() - datetime.timedelta(days=number * 20),
            status="confirmed",
        )
        for number, person in enumerate(people[4:10])
    )
    summary.rebuild(hood.cooperative)
    _assert_summary_is_true(hood.cooperative)

    # More through the services afterwards, and a member forgotten.
    for number in range(90, 130):
        contribution = _log(hood, people[number % len(people)], number, *args, people)
        _decide(hood, contribution, number)
    member_services.forget_member(people[13].user, actor=None)
    _assert_summary_is_true(hood.cooperative)


def test_a_confirmation_counts_at_once(hood, mix):
    people = mix["people"][:5]
    waiting = [
        services.log_contribution(
            hood.cooperative,
            actor=hood.bob,
            contributor=person,
            activity=mix["activities"][0],
            hours="2",
        )
        for person in people
    ]
    assert selectors.public_aggregates(hood.cooperative)["total"]["suppressed"]
    for contribution in waiting:
        services.confirm_contribution(contribution, actor=hood.bob)
    total = selectors.public_aggregates(hood.cooperative)["total"]
    assert (total["hours"], total["contributions"], total["people"]) == (Decimal("10.00"), 5, 5)


def test_waiting_and_declined_contributions_are_not_in_it(hood, mix):
    person = mix["people"][0]
    first = services.log_contribution(
        hood.cooperative, actor=hood.bob, contributor=person, activity=mix["activities"][0], hours=1
    )
    services.log_contribution(
        hood.cooperative, actor=hood.bob, contributor=person, activity=mix["activities"][0], hours=1
    )
    services.decline_contribution(first, actor=hood.bob, reason="Dubbel")
    assert not PersonMonthSummary.objects.exists()
    assert not GroupMonthSummary.objects.exists()


def test_a_person_who_gave_again_later_is_counted_once_in_a_period(hood, mix):
    person = mix["people"][0]
    for days_back in (300, 200, 10):
        contribution = services.log_contribution(
            hood.cooperative,
            actor=hood.bob,
            contributor=person,
            activity=mix["activities"][0],
            hours=1,
            date=today() - datetime.timedelta(days=days_back),
        )
        services.confirm_contribution(contribution, actor=hood.bob)
    rows = GroupMonthSummary.objects.filter(cooperative=hood.cooperative, dimension="all")
    assert sorted(row.people for row in rows) == [1, 1, 1]
    assert sum(row.people_last for row in rows) == 1
    _assert_summary_is_true(hood.cooperative)


def test_the_check_names_a_row_that_differs_and_a_rebuild_puts_it_right(hood, mix):
    for number, person in enumerate(mix["people"][:5]):
        contribution = _log(hood, person, number, mix["activities"], [None], mix["partner"], [])
        services.confirm_contribution(contribution, actor=hood.bob)
    call_command("time_given", "check", stdout=StringIO())
    GroupMonthSummary.objects.filter(dimension="all").update(hours=Decimal("99"))
    errors = StringIO()

    with pytest.raises(CommandError, match="differs from the contributions"):
        call_command("time_given", "check", stdout=StringIO(), stderr=errors)
    assert "the summary holds" in errors.getvalue()

    call_command("time_given", "rebuild", "--cooperative", hood.cooperative.slug, stdout=StringIO())
    out = StringIO()
    call_command("time_given", "check", "--cooperative", hood.cooperative.slug, stdout=out)
    assert "in order" in out.getvalue()
    _assert_summary_is_true(hood.cooperative)


def test_the_check_refuses_a_cooperative_that_does_not_exist(hood):
    with pytest.raises(CommandError, match="there is no cooperative 'nergens'"):
        call_command("time_given", "check", "--cooperative", "nergens")
