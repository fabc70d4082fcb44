"""The report pages: the balance sheet, income and expenditure, and per funding stream, for the
period asked; a period that cannot be read gives the reason, no numbers, and writes nothing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets.tests.conftest import written
from budgets.tests.page_helpers import BASE, client, page
from budgets.tests.report_helpers import a_year_of_books, adopt, book
from wijkbv.testing import last_year, today

pytestmark = pytest.mark.django_db

REPORTS = f"{BASE}/money/reports/"
BALANCE_SHEET = f"{REPORTS}balance-sheet/"
INCOME = f"{REPORTS}income-and-expenditure/"
STREAMS = f"{REPORTS}funding-streams/"


@pytest.mark.parametrize("name", ["dave", "carol", "erin"])
def test_the_index_leads_to_each_report(hood, name):
    text = page(client(hood, name).get(REPORTS))

    for url in (BALANCE_SHEET, INCOME, STREAMS):
        assert f'href="{url}"' in text


def test_the_balance_sheet_shows_each_part_and_that_it_balances(hood, stream):
    a_year_of_books(hood, stream)

    response = client(hood, "erin").get(BALANCE_SHEET)

    text = page(response)
    assert response.status_code == 200
    assert '<td class="num">€9,750.00</td>' in text
    assert "Fund: Wijkbudget" in text and "Budget: Buurtmaaltijd" in text
    assert "Result not yet added to the reserve" in text
    assert "The balance sheet balances" in text


def test_amounts_are_written_the_dutch_way_by_default(hood, stream):
    a_year_of_books(hood, stream)
    browser = hood.client_for("dave")

    text = page(browser.get(BALANCE_SHEET))

    assert '<td class="num">€\xa09.750,00</td>' in text


def test_the_balance_sheet_is_the_one_at_the_end_of_the_period(hood, stream):
    a_year_of_books(hood, stream)

    text = page(client(hood, "dave").get(BALANCE_SHEET + f"?to={last_year()}-06-30"))

    assert f"At the end of June 30, {last_year()}" in text
    assert '<td class="num">€900.00</td>' in text
    assert "Wijkbudget" not in text


def test_income_and_expenditure_shows_the_result(hood):
    book(hood, "1000", "8100", "1200", datetime.date(last_year(), 3, 1))
    book(hood, "4200", "1000", "300", datetime.date(last_year(), 6, 1))

    text = page(client(hood, "carol").get(INCOME + "?period=last_year"))

    assert "<td>8100</td>" in text and "<td>4200</td>" in text
    assert '<td class="num">€900.00</td>' in text
    assert f"From Jan. 1, {last_year()} to Dec. 31, {last_year()}" in text


def test_the_stream_report_shows_each_stream_and_the_totals(hood, stream):
    a_year_of_books(hood, stream)

    text = page(client(hood, "dave").get(STREAMS))

    assert "Wijkbudget" in text and "Gemeente Teststad" in text
    for amount in ("€10,000.00", "€2,700.00", "€1,200.00", "€7,300.00", "€1,500.00"):
        assert f'<td class="num">{amount}</td>' in text
    assert "Reinvestment reserve" in text


def test_the_stream_report_can_show_one_stream(hood, stream):
    a_year_of_books(hood, stream)

    text = page(client(hood, "dave").get(STREAMS + f"?stream={stream.pk}"))

    assert "Reinvestment reserve" not in text
    assert f"period=this_year&amp;stream={stream.pk}&amp;format=csv" in text


def test_the_form_shows_the_dates_of_a_preset(hood):
    text = page(client(hood, "dave").get(INCOME + "?period=last_year"))

    assert f'name="from" value="{last_year()}-01-01"' in text
    assert f'name="to" value="{last_year()}-12-31"' in text
    assert 'aria-current="true">Last year</a>' in text


@pytest.mark.parametrize(
    "url, query, message",
    [
        (INCOME, "?from=2026-03-01&to=2026-02-01", "The start date comes after the end date."),
        (BALANCE_SHEET, "?to=31-02-2026", "This is not a date."),
        (INCOME, "?from=2010-01-01&to=2026-01-01", "A report covers at most 10 years"),
        (STREAMS, "?period=next_year", "Choose a period from the list."),
        (STREAMS, "?period=last_year&from=2026-01-01", "Choose a period or fill in dates"),
        (STREAMS, "?stream=999", "There is no such funding stream."),
        (STREAMS, "?stream=elf", "There is no such funding stream."),
    ],
)
def test_a_period_that_cannot_be_read_is_refused_and_nothing_is_written(
    hood, stream, url, query, message
):
    before = written(hood.cooperative)

    response = client(hood, "dave").get(url + query)

    assert response.status_code == 400
    assert message in page(response)
    assert 'class="num"' not in page(response)
    assert written(hood.cooperative) == before


def test_a_stream_of_another_cooperative_is_no_such_stream(hood, stream):
    response = client(hood, "olivia").get(
        f"/c/{hood.other.slug}/decide/money/reports/funding-streams/?stream={stream.pk}"
    )

    assert response.status_code == 400
    assert "There is no such funding stream." in page(response)


def _more_books(hood, stream, times):
    for number in range(times):
        proposal = adopt(hood, stream, title=f"Project {number}", amount="10")
        book(hood, proposal.budget_account.code, "1000", "4")
        book(hood, "1000", "8100", "3")


@pytest.mark.parametrize("url", [BALANCE_SHEET, INCOME, STREAMS])
def test_a_page_takes_as_many_queries_for_many_bookings_as_for_few(
    hood, stream, url, django_assert_num_queries
):
    browser = client(hood, "dave")
    _more_books(hood, stream, 1)
    browser.get(url)
    with CaptureQueriesContext(connection) as few:
        assert browser.get(url).status_code == 200
    _more_books(hood, stream, 6)
    with django_assert_num_queries(len(few)):
        browser.get(url)


def test_today_is_in_this_year(hood):
    book(hood, "1000", "8200", "25", today())

    text = page(client(hood, "dave").get(INCOME))

    assert '<td class="num">€25.00</td>' in text
