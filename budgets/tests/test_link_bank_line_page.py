"""On the page of a line not booked yet, the treasurer says it is a booking made already (a
return of an advance recorded by hand), through the page and through the API; each refusal is
shown and writes nothing."""

import pytest

from budgets import services
from budgets.models import BankLineStatus
from budgets.tests.api_helpers import API, api
from budgets.tests.bank_action_helpers import line_elsewhere, lines_url
from budgets.tests.page_helpers import client, page
from budgets.tests.payment_lines import (
    import_lines,
    payments_written,
    recorded_return,
    returned,
)
from budgets.tests.statement_files import line as statement_line
from wijkbv.ledger.models import Transaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def arrived(hood, project_budget):
    """A return of € 40.00 recorded by hand, and the bank line that shows it: (line, booking)."""
    owed, booking = recorded_return(hood, project_budget)
    (line,) = import_lines(hood, returned(owed))
    return line, booking


def _url(line, action="book"):
    return f"{lines_url(line.bank_account)}lines/{line.pk}/{action}/"


def test_the_page_offers_the_booking_made_already(hood, arrived):
    line, booking = arrived

    text = page(client(hood, "dave").get(_url(line)))

    assert "Or: the line is a booking made already" in text
    assert f'value="{booking.pk}"' in text and booking.description in text
    assert _url(line, "link") in text


def test_a_line_with_no_booking_of_its_amount_offers_none(hood, arrived):
    _line, _booking = arrived
    (other,) = import_lines(hood, statement_line("12.34", remittance="Iets anders"))

    text = page(client(hood, "dave").get(_url(other)))

    assert "Book the line" in text
    assert "Or: the line is a booking made already" not in text


def test_the_line_is_linked_and_nothing_is_booked(hood, arrived):
    line, booking = arrived
    bookings = Transaction.objects.count()

    response = client(hood, "dave").post(
        _url(line, "link"), {"link-booking": booking.pk}, follow=True
    )

    assert response.redirect_chain == [(lines_url(line.bank_account), 302)]
    assert "The line is now the bank line of the booking" in page(response)
    line.refresh_from_db()
    assert (line.status, line.booked_transaction) == (BankLineStatus.BOOKED, booking)
    assert Transaction.objects.count() == bookings


def _refused(hood, line, data, message):
    before = payments_written(hood)
    response = client(hood, "dave").post(_url(line, "link"), data)
    assert response.status_code == 400
    assert message in page(response)
    assert payments_written(hood) == before


def test_no_booking_chosen_is_refused(hood, arrived):
    line, _booking = arrived
    _refused(hood, line, {}, "Choose the booking.")


def test_a_booking_not_offered_is_refused(hood, arrived):
    line, booking = arrived
    other = Transaction.objects.exclude(pk=booking.pk).first()
    _refused(hood, line, {"link-booking": other.pk}, "Choose a booking from the list.")
    _refused(hood, line, {"link-booking": "veertig"}, "Choose a booking from the list.")


def test_a_line_linked_meanwhile_says_so(hood, arrived):
    line, booking = arrived
    services.link_bank_line(line, actor=hood.dave, booking=booking)

    _refused(hood, line, {"link-booking": booking.pk}, "This bank line has already been booked.")


def test_a_line_of_another_cooperative_is_not_found(hood, arrived):
    _line, booking = arrived
    elsewhere = line_elsewhere(hood)
    before = payments_written(hood)

    response = client(hood, "dave").post(_url(elsewhere, "link"), {"link-booking": booking.pk})

    assert response.status_code == 404
    assert payments_written(hood) == before


@pytest.mark.parametrize("name", ["carol", "erin"])
def test_only_the_treasurer_links_on_the_page(hood, arrived, name):
    line, booking = arrived
    before = payments_written(hood)

    response = client(hood, name).post(_url(line, "link"), {"link-booking": booking.pk})

    assert response.status_code == 403
    assert payments_written(hood) == before


# The API


def _api_url(line):
    return f"{API}bank/lines/{line.pk}/link/"


def test_the_api_links_the_line_and_answers_it(hood, arrived):
    line, booking = arrived

    response = api(hood, "dave").post(_api_url(line), {"booking": booking.pk}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "booked"
    line.refresh_from_db()
    assert line.booked_transaction == booking


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "booking"),
        ({"booking": "veertig"}, "booking"),
        ({"booking": 0}, "booking"),
        ({"booking": 999999}, "Choose a booking of this cooperative."),
    ],
)
def test_the_api_refuses_a_bad_booking_and_writes_nothing(hood, arrived, data, message):
    line, _booking = arrived
    before = payments_written(hood)

    response = api(hood, "dave").post(_api_url(line), data, format="json")

    assert response.status_code == 400
    assert message in response.content.decode()
    assert payments_written(hood) == before


def test_the_api_refuses_a_booking_of_another_amount(hood, arrived):
    line, booking = arrived
    (other,) = import_lines(hood, statement_line("12.34", remittance="Iets anders"))
    before = payments_written(hood)

    response = api(hood, "dave").post(_api_url(other), {"booking": booking.pk}, format="json")

    assert response.status_code == 400
    assert "does not move €12.34 on this bank account" in response.json()["detail"]
    assert response.json()["field"] == "booking"
    assert payments_written(hood) == before
