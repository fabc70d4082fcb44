"""The closing pages in the browser: the treasurer checks a month, is asked for the tick because
a bank line is still open, closes the month with it, and reads the reconciliation of the bank
account, a page of open items at a time. Each step, the refusal included, passes the
accessibility gate."""

import pytest

from budgets.tests.closing_books import books
from tests.browser.helpers import assert_accessible
from wijkbv.ledger.models import PeriodClose

pytestmark = pytest.mark.browser


def test_the_treasurer_closes_a_month_and_reads_the_reconciliation(
    page, hood, live_server, monkeypatch
):
    monkeypatch.setattr("budgets.closing.views.ITEMS_PER_PAGE", 2)
    bank = books(hood)
    session = hood.client_for("dave").cookies["sessionid"].value
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": session, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    url = f"{live_server.url}/c/{hood.cooperative.slug}/decide/money/closing/"

    page.goto(url)
    assert_accessible(page)
    page.select_option("#check_kind", "month")
    page.fill("#check_year", "2026")
    page.select_option("#check_month", "3")
    with page.expect_navigation():
        page.get_by_role("button", name="Show what is still open").click()
    assert page.get_by_text("Something is still open in this period.").count()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Close the period").click()
    assert page.get_by_text("Tick the box if you want to close it anyway.").count()
    assert not PeriodClose.objects.exists()
    assert_accessible(page)

    page.check("#close_confirm")
    with page.expect_navigation():
        page.get_by_role("button", name="Close the period").click()
    assert page.get_by_text("The books are closed up to and including 2026-03-31.").count()
    assert_accessible(page)

    page.goto(f"{url}bank/{bank.pk}/?on=2026-03-02")
    assert page.get_by_text("The open items below explain the whole difference.").count()
    assert page.get_by_text("Items 1 to 2 of 4").count()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Later items").click()
    assert page.get_by_text("Items 3 to 4 of 4").count()
    assert "on=2026-03-02" in page.url
    assert_accessible(page)
