"""The audit file (XAF 3.2) downloaded from the closing page."""

from xml.etree import ElementTree as ET

import pytest

from budgets.tests.closing_books import books
from budgets.tests.page_helpers import BASE, client, page
from wijkbv.ledger import xaf
from wijkbv.ledger.models import Transaction

pytestmark = pytest.mark.django_db

URL = f"{BASE}/money/closing/audit-file/"


@pytest.mark.parametrize("name", ["dave", "erin"])
def test_the_audit_file_of_a_year_is_downloaded(hood, name):
    books(hood)

    response = client(hood, name).get(URL, {"year": "2026"})

    assert response.status_code == 200
    assert 'filename="teststad-2026.xaf"' in response["Content-Disposition"]
    root = ET.fromstring(b"".join(response.streaming_content))
    transactions = root.findall(f".//{{{xaf.NAMESPACE}}}transaction")
    booked = Transaction.objects.filter(cooperative=hood.cooperative, booking_date__year=2026)
    assert len(transactions) == booked.count() == 4


@pytest.mark.parametrize(
    "year, message",
    [
        ("twee", "Fill in a year, for example 2026."),
        ("1950", "Choose a year of the books"),
    ],
)
def test_a_bad_year_shows_the_closing_page_with_the_message(hood, year, message):
    response = client(hood, "dave").get(URL, {"year": year})

    assert response.status_code == 400
    assert message in page(response)


def test_the_board_may_not_download_it(hood):
    assert client(hood, "carol").get(URL).status_code == 403


def test_without_a_year_it_is_the_page_to_choose_one(hood):
    response = client(hood, "erin").get(URL)

    assert response.status_code == 200
    assert "Download the audit file" in page(response)


def test_an_empty_year_is_refused(hood):
    response = client(hood, "dave").get(URL, {"year": ""})

    assert response.status_code == 400
    assert "Fill in a year, for example 2026." in page(response)
