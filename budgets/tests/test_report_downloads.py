"""The reports as CSV and as an Excel workbook: the same rows as the page, amounts as 1500.00 in
the CSV and as numbers with a currency format in the workbook, headings in the reader's
language, and a name that looks like a formula stays text."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from budgets import services
from budgets.tests.page_helpers import BASE, client
from budgets.tests.report_helpers import a_year_of_books

pytestmark = pytest.mark.django_db

REPORTS = f"{BASE}/money/reports/"


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def _workbook(response):
    return load_workbook(io.BytesIO(response.content)).active


def test_the_balance_sheet_as_csv(hood, stream):
    a_year_of_books(hood, stream)

    response = client(hood, "dave").get(f"{REPORTS}balance-sheet/?format=csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="balance-sheet-')
    rows = _csv(response)
    assert rows[0] == ["Part", "Code", "Account", "Amount"]
    assert ["Assets", "1000", "Bankrekening", "9750.00"] in rows
    assert ["", "", "Total liabilities and equity", "9750.00"] in rows
    assert rows[-1] == ["", "", "Difference", "0.00"]


def test_income_and_expenditure_as_csv(hood, stream):
    a_year_of_books(hood, stream)

    rows = _csv(client(hood, "dave").get(f"{REPORTS}income-and-expenditure/?format=csv"))

    assert rows[-1] == ["", "", "Result", "50.00"]


def test_the_stream_report_as_a_workbook_has_numbers_with_a_currency_format(hood, stream):
    a_year_of_books(hood, stream)

    response = client(hood, "dave").get(f"{REPORTS}funding-streams/?format=xlsx")

    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = _workbook(response)
    assert sheet.title == "Funding streams"
    headings = [cell.value for cell in sheet[4]]
    assert headings[:3] == ["Funding stream", "Funder", "Received"]
    row = list(sheet[5])
    assert row[0].value == "Wijkbudget" and row[1].value == "Gemeente Teststad"
    assert row[2].value == 10000 and row[2].data_type == "n"
    assert "€" in row[2].number_format and "0.00" in row[2].number_format
    total = [cell.value for cell in sheet[sheet.max_row]]
    assert total[0] == "Total" and total[2] == 10000 and sheet[sheet.max_row][0].font.b


def test_the_workbook_is_in_dutch_by_default(hood, stream):
    a_year_of_books(hood, stream)

    response = hood.client_for("dave").get(f"{REPORTS}income-and-expenditure/?format=xlsx")

    sheet = _workbook(response)
    # "Income" is a word the site already has in Dutch.
    assert sheet["A5"].value == "Inkomsten" and sheet["B5"].value == "8100"
    assert Decimal(str(sheet["D5"].value)) == Decimal("50")


def test_a_name_that_looks_like_a_formula_stays_text(hood, funder):
    stream = services.add_funding_stream(
        hood.cooperative,
        actor=hood.carol,
        funder=funder,
        name="=HYPERLINK(1)",
        committed="100",
        starts_on="2026-01-01",
        ends_on="2026-12-31",
    )
    services.record_stream_receipt(stream, actor=hood.dave, amount="10")
    browser = client(hood, "dave")

    sheet = _workbook(browser.get(f"{REPORTS}funding-streams/?format=xlsx"))
    rows = _csv(browser.get(f"{REPORTS}funding-streams/?format=csv"))

    assert sheet["A5"].value == "=HYPERLINK(1)" and sheet["A5"].data_type == "s"
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_a_download_of_a_period_that_cannot_be_read_is_the_page_with_the_reason(hood):
    response = client(hood, "dave").get(f"{REPORTS}balance-sheet/?to=gisteren&format=xlsx")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "This is not a date." in response.content.decode()
