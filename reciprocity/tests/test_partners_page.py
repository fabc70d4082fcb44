"""Hours the neighbourhood gave each partner organisation, for those who read the books."""

import pytest

from reciprocity.tests.conftest import confirmed

pytestmark = pytest.mark.django_db

URL = "/c/teststad/time/partners/"


def _client(hood, name):
    client = hood.client_for(name)
    client.cookies["django_language"] = "en"
    return client


def test_it_shows_the_confirmed_hours_given_to_each_organisation(hood, activity, partner):
    confirmed(
        hood, "alice", activity, hours="3", beneficiary="partner", beneficiary_partner=partner
    )
    confirmed(
        hood, "dave", activity, hours="1.5", beneficiary="partner", beneficiary_partner=partner
    )

    page = _client(hood, "erin").get(URL).content.decode()

    assert "Gemeente Teststad" in page
    assert "4.5 hours" in page


def test_it_shows_one_year_when_asked(hood, activity, partner):
    confirmed(
        hood, "alice", activity, hours="3", beneficiary="partner", beneficiary_partner=partner
    )

    page = _client(hood, "dave").get(URL, {"year": "2001"}).content.decode()

    assert "Hours given in 2001" in page
    assert "0 hours" in page


@pytest.mark.parametrize("name", ["alice", "frank"])
def test_residents_and_funders_may_not_read_it(hood, name):
    assert _client(hood, name).get(URL).status_code == 403
