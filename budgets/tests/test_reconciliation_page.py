"""The reconciliation page of a bank account and its CSV download."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets import services
from budgets.tests.closing_books import books, post
from budgets.tests.page_helpers import BASE, client, page
from budgets.tests.statement_files import DAY, camt, line, statement
from wijkbv.ledger.services import close_period

pytestmark = pytest.mark.django_db


def _url(account, csv_file=False):
    url = f"{BASE}/money/closing/bank/{account.pk}/"
    return url + "reconciliation.csv" if csv_file else url


@pytest.mark.parametrize("name", ["dave", "carol", "erin"])
def test_the_books_the_bank_and_the_open_items(hood, name):
    bank = books(hood)

    text = page(client(hood, name).get(_url(bank), {"on": "2026-03-02"}))

    assert "€157.50" in text and "€135.00" in text and "€22.50" in text
    assert "The open items below explain the whole difference." in text
    assert "In the bank, not booked yet" in text and "Verhuurder" in text
    assert "Booked, not in the bank yet" in text and "Betaalopdracht drukwerk" in text


def test_the_end_of_a_closed_period_can_be_chosen(hood):
    bank = books(hood)
    period = close_period(hood.cooperative, actor=hood.dave, until=datetime.date(2026, 3, 1))

    text = page(client(hood, "dave").get(_url(bank), {"period": period.pk}))

    assert "€100.00" in text and "no statement yet" in text


@pytest.mark.parametrize(
    "query, message",
    [
        ({"on": "gisteren"}, "Fill in a date as 2026-01-31."),
        ({"on": "2026-02-30"}, "Fill in a date as 2026-01-31."),
        ({"period": "999"}, "Choose a closed period from the list."),
    ],
)
@pytest.mark.parametrize("csv_file", [False, True])
def test_a_bad_date_is_400_with_the_message(hood, query, message, csv_file):
    bank = books(hood)

    response = client(hood, "dave").get(_url(bank, csv_file), query)

    assert response.status_code == 400
    assert message in page(response)


def test_an_unknown_or_other_cooperatives_bank_account_is_not_found(hood):
    bank = books(hood)

    assert client(hood, "dave").get(f"{BASE}/money/closing/bank/9999/").status_code == 404
    other = f"/c/elders/decide/money/closing/bank/{bank.pk}/"
    assert client(hood, "olivia").get(other).status_code == 404


def test_the_csv_has_the_totals_and_one_row_per_open_item(hood):
    bank = books(hood)

    response = client(hood, "erin").get(_url(bank, csv_file=True), {"on": "2026-03-02"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    totals = dict(row for row in rows[:6])
    assert totals["difference"] == "22.50" and totals["unexplained"] == "0.00"
    items = rows[8:]
    assert len(items) == 4
    assert sum(float(row[5]) for row in items) == pytest.approx(22.50)


def test_a_description_is_never_a_formula_in_the_csv(hood):
    bank = books(hood)
    post(hood, DAY, "1.00", "4200", "1000", "=HYPERLINK(1)")

    response = client(hood, "dave").get(_url(bank, csv_file=True), {"on": "2026-03-02"})

    assert "'=HYPERLINK(1)" in response.content.decode()


def test_the_page_takes_as_many_queries_for_many_lines_as_for_a_few(
    hood, django_assert_num_queries
):
    bank = books(hood)
    browser = client(hood, "dave")
    browser.get(_url(bank))
    with CaptureQueriesContext(connection) as few:
        browser.get(_url(bank))
    last = bank.statements.order_by("-closing_date").first()
    later = DAY + datetime.timedelta(days=2)
    lines = [line(f"{n + 1}.00", name=f"Gever {n}", on=later) for n in range(40)]
    services.import_statement(
        hood.cooperative,
        actor=hood.dave,
        data=camt(statement(2, str(last.closing_balance), lines, opens=DAY, closes=later)),
        file_name="veel.xml",
    )
    for n in range(20):
        post(hood, later, "1.00", "4200", "1000", f"Onderweg {n}")
    with django_assert_num_queries(len(few)):
        text = page(browser.get(_url(bank)))
    assert "Gever 39" in text and "Onderweg 19" in text


def test_many_open_items_are_shown_a_page_at_a_time_with_the_totals_on_each(hood, monkeypatch):
    monkeypatch.setattr("budgets.closing.views.ITEMS_PER_PAGE", 3)
    bank = books(hood)
    for n in range(4):
        post(hood, DAY, "1.00", "4200", "1000", f"Onderweg {n}")
    browser = client(hood, "dave")

    first = page(browser.get(_url(bank), {"on": "2026-03-02"}))
    second = page(browser.get(_url(bank), {"on": "2026-03-02", "page": "2"}))
    beyond = page(browser.get(_url(bank), {"on": "2026-03-02", "page": "9"}))

    assert "Items 1 to 3 of 8" in first and "Items 4 to 6 of 8" in second
    assert "Items 7 to 8 of 8" in beyond
    for text in (first, second, beyond):
        assert "The open items below explain the whole difference." in text
    shown = [
        sum(f"Onderweg {n}" in text for n in range(4)) + ("Verhuurder" in text)
        for text in (first, second, beyond)
    ]
    assert sum(shown) == 5
    assert '?on=2026-03-02&amp;page=2">Later items' in first
    assert '?on=2026-03-02&amp;page=1">Earlier items' in second
    assert 'reconciliation.csv?on=2026-03-02"' in second


def test_the_csv_has_every_open_item_whatever_the_page(hood, monkeypatch):
    monkeypatch.setattr("budgets.closing.views.ITEMS_PER_PAGE", 1)
    bank = books(hood)

    response = client(hood, "dave").get(
        _url(bank, csv_file=True), {"on": "2026-03-02", "page": "2"}
    )

    assert len(list(csv.reader(io.StringIO(response.content.decode())))[8:]) == 4
