"""The public page of time given: totals per activity, place, month and partner organisation
for everyone, without logging in; never a name; small groups shown as "fewer than 5 people";
a bounded number of queries whatever the number of contributions."""

import pytest

from members import services as member_services
from members.models import Role
from reciprocity import services
from reciprocity.tests.conftest import confirmed

pytestmark = pytest.mark.django_db

URL = "/c/teststad/open/time/"
GIVERS = ["alice", "carol", "dave", "erin", "frank"]


def _client(hood):
    client = hood.client_for(None)
    client.cookies["django_language"] = "en"
    return client


def _neighbours(hood, count):
    return [
        member_services.register_resident(
            hood.cooperative, actor=None, full_name=f"Buur {n}", roles=[Role.RESIDENT]
        )
        for n in range(count)
    ]


def test_anyone_sees_the_totals_of_a_group_of_five_people(hood, activity, place):
    for name in GIVERS:
        confirmed(hood, name, activity, hours="2", place=place)

    page = _client(hood).get(URL).content.decode()

    assert "<strong>10 hours</strong> given" in page
    assert "<caption>" in page and 'scope="row"' in page
    assert "Gedeelde maaltijd" in page and "Buurtkamer" in page
    for name in GIVERS:
        assert f"{name.capitalize()} Test" not in page


def test_a_group_of_fewer_than_five_people_shows_no_numbers(hood, activity, place):
    for name in GIVERS:
        confirmed(hood, name, activity, hours="2", place=place)
    small = services.add_activity(hood.cooperative, actor=hood.bob, name="Geldzorgenclub")
    confirmed(hood, "alice", small, hours="1")

    page = _client(hood).get(URL).content.decode()

    row = page[page.index("Geldzorgenclub") :].split("</tr>")[0]
    assert "fewer than 5 people" in row
    assert "1 hour" not in row
    assert "so that nobody can be recognised" in page


def test_hours_given_to_partner_organisations_are_shown_by_organisation(hood, activity, partner):
    for name in GIVERS:
        confirmed(hood, name, activity, beneficiary="partner", beneficiary_partner=partner)

    page = _client(hood).get(URL).content.decode()

    assert "For partner organisations" in page
    assert "Gemeente Teststad" in page


def test_the_social_value_is_labelled_an_estimate_not_money_paid(hood, activity):
    cooperative = hood.cooperative
    cooperative.social_value_hourly_rate = "20.00"
    cooperative.save(update_fields=["social_value_hourly_rate"])
    for name in GIVERS:
        confirmed(hood, name, activity, hours="1")

    page = _client(hood).get(URL).content.decode()

    assert "Estimated social value" in page
    assert "an estimate, not money paid" in page
    assert "€100.00" in page
    assert "€\xa0100,00" in hood.client_for(None).get(URL).content.decode()


def test_without_enough_people_it_shows_no_totals(hood, activity):
    confirmed(hood, "alice", activity, hours="2")

    page = _client(hood).get(URL).content.decode()

    assert "Too few people have given time yet to show totals." in page
    assert "Alice" not in page


def test_an_unknown_cooperative_is_not_found(hood):
    assert _client(hood).get("/c/nowhere/open/time/").status_code == 404


def test_it_speaks_dutch_by_default(hood):
    assert "Tijd gegeven in de wijk" in hood.client_for(None).get(URL).content.decode()


@pytest.mark.parametrize("neighbours", [0, 25])
def test_it_asks_the_database_a_bounded_number_of_times(
    hood, activity, place, partner, neighbours, django_assert_max_num_queries
):
    other = services.add_activity(hood.cooperative, actor=hood.bob, name="Buurthulp")
    for name in GIVERS:
        confirmed(hood, name, activity, hours="1", place=place)
    for membership in _neighbours(hood, neighbours):
        for chosen in (activity, other):
            contribution = services.log_contribution(
                hood.cooperative,
                actor=None,
                contributor=membership,
                activity=chosen,
                hours="1",
                beneficiary="partner",
                beneficiary_partner=partner,
            )
            services.confirm_contribution(contribution, actor=hood.bob)

    client = _client(hood)
    with django_assert_max_num_queries(10):
        response = client.get(URL)

    assert response.status_code == 200
    assert "Gedeelde maaltijd" in response.content.decode()
