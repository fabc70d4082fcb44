"""The report pages in the browser: the treasurer reads the balance sheet, moves to last year with
a preset, asks for a period that ends before it starts and reads why, and reads the report per
funding stream. Pages with numbers (which an empty sample cooperative does not have) and with a
refusal pass the accessibility gate here."""

import pytest

from budgets.tests.report_helpers import a_year_of_books
from tests.browser.helpers import assert_accessible, wijkbudget

pytestmark = pytest.mark.browser


def test_the_treasurer_reads_the_reports(page, hood, live_server):
    a_year_of_books(hood, wijkbudget(hood))
    session = hood.client_for("dave").cookies["sessionid"].value
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": session, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    reports = f"{live_server.url}/c/{hood.cooperative.slug}/decide/money/reports/"

    page.goto(reports + "balance-sheet/")
    assert page.get_by_text("The balance sheet balances").count()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Last year").click()
    assert "period=last_year" in page.url
    assert_accessible(page)

    page.fill("input[name=from]", "2026-03-01")
    page.fill("input[name=to]", "2026-02-01")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.get_by_text("The start date comes after the end date.").count()
    assert_accessible(page)

    page.goto(reports + "funding-streams/")
    assert page.get_by_role("rowheader", name="Wijkbudget").count()
    assert_accessible(page)

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(reports + "income-and-expenditure/")
    assert page.get_by_text("Result (income less expenses)").count()
    assert_accessible(page)
