"""The treasurer closes a year that has ended."""

import pytest
from django.utils import timezone

from budgets.models import YearClose
from budgets.tests.conftest import written
from budgets.tests.page_helpers import BASE, client, page

pytestmark = pytest.mark.django_db

URL = f"{BASE}/money/close-year/"


def test_the_treasurer_closes_last_year(hood):
    last_year = timezone.localdate().year - 1

    response = client(hood, "dave").post(URL, {"year": str(last_year)}, follow=True)

    assert YearClose.objects.get().year == last_year
    assert f"The year {last_year} is closed." in page(response)


@pytest.mark.parametrize(
    "year, message",
    [
        ("this", "Fill in a year."),
        (str(timezone.localdate().year), "Only a year that has ended can be closed."),
    ],
)
def test_bad_input_is_shown_and_nothing_is_written(hood, year, message):
    before = written(hood.cooperative)

    response = client(hood, "dave").post(URL, {"year": year})

    assert response.status_code == 400
    assert message in page(response)
    assert written(hood.cooperative) == before
