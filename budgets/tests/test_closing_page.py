"""The closing page: the periods closed so far, what is still open in a period, and closing it."""

import datetime

import pytest

from budgets.tests.closing_books import books
from budgets.tests.page_helpers import BASE, client, page
from wijkbv.audit.models import AuditEvent
from wijkbv.ledger.models import ClosingBalance, PeriodClose
from wijkbv.ledger.services import close_period
from wijkbv.testing import today

pytestmark = pytest.mark.django_db

URL = f"{BASE}/money/closing/"
MARCH = {"kind": "month", "year": "2026", "month": "3"}


def this_year() -> str:
    return str(today().year)


def _written(hood):
    return {
        "events": AuditEvent.objects.filter(cooperative=hood.cooperative).count(),
        "periods": PeriodClose.objects.count(),
        "balances": ClosingBalance.objects.count(),
    }


@pytest.mark.parametrize("name", ["dave", "carol", "erin"])
def test_the_closed_periods_are_listed(hood, name):
    close_period(hood.cooperative, actor=hood.dave, until=datetime.date(2026, 1, 31))

    text = page(client(hood, name).get(URL))

    assert "Closed up to and including" in text and "2026" in text


def test_checking_a_period_shows_the_lines_not_booked_and_the_difference(hood):
    books(hood)

    text = page(client(hood, "dave").get(URL, MARCH))

    assert "Still open on" in text and "Something is still open in this period." in text
    assert "Betaal" in text and "<td>1</td>" in text
    assert "22.50" in text
    assert 'name="confirm"' in text


def test_the_board_checks_but_does_not_get_the_close_form(hood):
    books(hood)

    text = page(client(hood, "carol").get(URL, MARCH))

    assert "Still open on" in text and 'name="confirm"' not in text


def test_closing_with_open_items_asks_for_the_tick_and_writes_nothing(hood):
    books(hood)
    before = _written(hood)

    response = client(hood, "dave").post(URL, MARCH)

    assert response.status_code == 400
    assert "Tick the box if you want to close it anyway." in page(response)
    assert _written(hood) == before


def test_closing_with_the_tick_closes_the_month(hood):
    books(hood)

    response = client(hood, "dave").post(URL, MARCH | {"confirm": "on"}, follow=True)

    assert "The books are closed up to and including 2026-03-31." in page(response)
    assert PeriodClose.objects.get().until == datetime.date(2026, 3, 31)


def test_a_period_with_nothing_open_closes_without_the_tick(hood):
    books(hood)

    response = client(hood, "dave").post(URL, {"kind": "year", "year": "2025"})

    assert response.status_code == 302
    assert PeriodClose.objects.get().until == datetime.date(2025, 12, 31)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "year", "year": this_year}, "Only a period that has ended can be closed."),
        ({"kind": "month", "year": "2026", "month": "2"}, "already closed up to 2026-03-31"),
        ({"kind": "month", "year": "2026"}, "Choose the month to close."),
        ({"kind": "month", "year": "twee", "month": "1"}, "Fill in a year, for example 2026."),
        ({"kind": "week", "year": "2026"}, "Select a valid choice."),
        ({"kind": "month", "year": "2026", "month": "13"}, "Choose a month from the list."),
    ],
)
def test_a_period_that_cannot_be_closed_is_refused_and_nothing_is_written(hood, data, message):
    books(hood)
    close_period(hood.cooperative, actor=hood.dave, until=datetime.date(2026, 3, 31))
    before = _written(hood)
    data = {key: value() if callable(value) else value for key, value in data.items()}

    response = client(hood, "dave").post(URL, data | {"confirm": "on"})

    assert response.status_code == 400
    assert message in page(response)
    assert _written(hood) == before


def test_a_future_period_is_refused_without_asking_for_the_tick(hood):
    books(hood)
    next_year = str(int(this_year()) + 1)

    response = client(hood, "dave").post(URL, {"kind": "year", "year": next_year})

    assert "Only a period that has ended can be closed." in page(response)
    assert "Tick the box" not in page(response)


@pytest.mark.parametrize("name", ["carol", "erin"])
def test_only_the_treasurer_closes(hood, name):
    before = _written(hood)

    response = client(hood, name).post(URL, {"kind": "year", "year": "2025", "confirm": "on"})

    assert response.status_code == 403
    assert _written(hood) == before


def test_a_bad_period_to_check_is_400_with_the_message(hood):
    response = client(hood, "carol").get(URL, {"kind": "month", "year": "soon"})

    assert response.status_code == 400
    assert "Fill in a year, for example 2026." in page(response)


def test_the_audit_file_form_is_for_the_treasurer_and_the_audit_committee(hood):
    assert "Download the audit file" in page(client(hood, "erin").get(URL))
    assert "Download the audit file" not in page(client(hood, "carol").get(URL))
