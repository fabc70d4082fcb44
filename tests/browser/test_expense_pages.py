"""Expenses in the browser: a resident claims money back with a photo of the receipt (first a
file that is not a receipt, refused next to its field), two people approve it on its page, and
the treasurer pays it in a batch; the advances page with an open advance. Each page passes the
accessibility gate, the forms with their refusals shown included."""

import datetime

import pytest

from budgets.models import Expense
from budgets.tests.expense_helpers import (
    approved,
    ask_advance,
    bank,
    image_bytes,
    pay,
    receipts_in_tmp,  # noqa: F401
)
from tests.browser.helpers import assert_accessible, project_budget

pytestmark = pytest.mark.browser


def _log_in(page, hood, live_server, name):
    session = hood.client_for(name).cookies["sessionid"].value
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": session, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )


def _submit(page, form="main form"):
    with page.expect_navigation():
        page.locator(form).first.locator("button[type=submit]").click()


def test_a_claim_is_made_approved_and_paid_in_the_browser(page, hood, live_server, tmp_path):
    budget = project_budget(hood)
    bank(hood)
    photo = tmp_path / "bon.jpg"
    photo.write_bytes(image_bytes("JPEG"))
    not_a_receipt = tmp_path / "bon.pdf"
    not_a_receipt.write_bytes(b"just some text")
    money = f"/c/{hood.cooperative.slug}/decide/money"

    _log_in(page, hood, live_server, "alice")
    page.goto(f"{money}/expenses/claim/")
    assert_accessible(page)
    page.select_option("select[name=budget]", str(budget.pk))
    page.fill("input[name=amount]", "12,50")
    page.fill("input[name=description]", "Koffie voor de buurtmaaltijd")
    page.fill("input[name=spent_on]", datetime.date.today().isoformat())
    page.fill("input[name=payee_iban]", "NL02 ABNA 0123 4567 89")
    page.set_input_files("input[name=receipt]", str(not_a_receipt))
    _submit(page)
    assert page.locator("#id_receipt_error").get_by_text("not a PDF, JPEG or PNG").count()
    assert page.input_value("input[name=description]") == "Koffie voor de buurtmaaltijd"
    assert_accessible(page)
    page.set_input_files("input[name=receipt]", str(photo))
    _submit(page)
    assert page.url.endswith("/expenses/1/")
    assert_accessible(page)

    for name in ("dave", "carol"):
        _log_in(page, hood, live_server, name)
        page.goto(f"{money}/expenses/1/")
        _submit(page, "form[action$='/expenses/1/approve/']")
        assert page.get_by_text("Your approval has been recorded").count()
    assert_accessible(page)

    _log_in(page, hood, live_server, "dave")
    page.goto(f"{money}/payments/")
    assert_accessible(page)
    # The choice carries the expense's row id, which on PostgreSQL is not 1 in a test run.
    expense = Expense.objects.get(cooperative=hood.cooperative, number=1)
    page.check(f"input[name=expenses][value='{expense.pk}']")
    _submit(page)
    assert page.url.endswith("/payments/1/")
    assert page.get_by_text(f"WBV{hood.cooperative.pk}-E1").count()
    assert_accessible(page)


def test_the_advances_page_with_an_open_advance(page, hood, live_server):
    budget = project_budget(hood)
    advance = approved(hood, ask_advance(hood, budget))
    pay(hood, advances=[advance])
    money = f"/c/{hood.cooperative.slug}/decide/money"
    _log_in(page, hood, live_server, "dave")
    page.goto(f"{money}/advances/")
    assert page.get_by_text("Open advances").count()
    assert_accessible(page)
    _log_in(page, hood, live_server, "alice")
    page.goto(f"{money}/advances/{advance.number}/")
    page.fill("input[name=spent]", "veel")
    _submit(page, "form[action$='/settle/']")
    assert page.get_by_text("Fill in an amount in euros and cents").count()
    assert_accessible(page)
