"""A funder who has never used the site finds where their money went: from the start page to
the open page, to their funding stream, to a project, to a supplier's invoice, to the event in
the audit chain that recorded its approval. On a phone, without JavaScript and without logging
in; every page passes the accessibility gate."""

import pytest

from budgets.tests.conftest import funder, stream  # noqa: F401 (fixtures)
from budgets.tests.expense_helpers import (  # noqa: F401 (receipts_in_tmp is a fixture)
    adopt,
    approved,
    invoice,
    pay,
    receipts_in_tmp,
)
from tests.browser.helpers import assert_accessible

pytestmark = pytest.mark.browser


def _follow(page, name) -> str:
    with page.expect_navigation():
        page.get_by_role("link", name=name).first.click()
    return page.url


def test_a_funder_follows_a_euro_to_its_receipt(browser, live_server, hood, stream):  # noqa: F811
    project = adopt(hood, stream)
    paid = approved(
        hood, invoice(hood, project.budget_account, amount="120.00"), first="carol", second="bob"
    )
    pay(hood, expenses=[paid])
    # Without JavaScript, as on a phone that blocks it: links and forms only.
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        java_script_enabled=False,
        viewport={"width": 360, "height": 740},
    )
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    visited = []
    try:
        page.goto("/")
        visited.append(_follow(page, hood.cooperative.name))
        assert page.get_by_role("heading", level=1).inner_text().endswith("where the money goes")
        assert page.locator("figure svg").count() >= 1
        visited.append(_follow(page, stream.funder.name))
        visited.append(_follow(page, "Wijkbudget"))
        assert page.get_by_role("heading", level=1).inner_text() == "Wijkbudget"
        visited.append(_follow(page, project.title))

        row = page.locator(f"#expense-{paid.number}")
        assert "Groenteboer De Wit" in row.inner_text()
        assert "120.00" in row.inner_text()
        assert paid.receipts.get().sha256[:12] in row.inner_text()
        with page.expect_navigation():
            row.locator("a").first.click()
        assert "/open/chain/" in page.url
        assert page.locator("code").first.inner_text()
        visited.append(page.url)
    finally:
        context.close()

    # The same pages pass the accessibility gate (axe needs JavaScript to run).
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        for url in visited:
            page.goto(url)
            assert_accessible(page)
    finally:
        context.close()
