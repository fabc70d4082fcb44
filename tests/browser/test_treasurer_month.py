"""A month of the treasurer's work in the browser, on a phone and on a desktop screen: a resident
claims money back with a photo of the receipt; the treasurer and a board member approve it; the
treasurer finds it on the desk, pays it in a batch and downloads the file for the bank; imports
the bank's statement (last month's bank costs, and this month's line of the payment with its
end-to-end id), matches the lines and books the costs; closes last month; and reads a report and
the reconciliation. Every page on the way passes the accessibility gate."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from budgets.models import BankLine, BankLineStatus, Expense, ExpenseStatus
from budgets.statements.model import Entry, Statement
from budgets.statements.writer import camt053_file
from budgets.tests.expense_helpers import COOPERATIVE_IBAN, bank, image_bytes
from tests.browser.helpers import assert_accessible, project_budget
from wijkbv.ledger.models import Account, PeriodClose

pytestmark = pytest.mark.browser

SCREENS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}
ALICE_IBAN = "NL02ABNA0123456789"


def _log_in(page, hood, live_server, name):
    session = hood.client_for(name).cookies["sessionid"].value
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": session, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )


def _go(page, url):
    page.goto(url)
    assert_accessible(page)


def _submit(page, form="main form"):
    with page.expect_navigation():
        page.locator(form).first.locator("button[type=submit]").click()
    assert_accessible(page)


def _follow(page, name):
    with page.expect_navigation():
        page.get_by_role("link", name=name).first.click()
    assert_accessible(page)


def _statement_file(expense, today) -> bytes:
    """What the bank sends: last month with its costs, and this month so far with the payment
    of the batch, carrying the expense's end-to-end id."""
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - datetime.timedelta(days=1)
    costs = Entry(
        booking_date=last_month_end,
        value_date=last_month_end,
        amount=Decimal("-9.50"),
        currency="EUR",
        counterparty_name="Triodos Bank",
        remittance="Kosten betaalrekening",
    )
    payment = Entry(
        booking_date=today,
        value_date=today,
        amount=-expense.amount,
        currency="EUR",
        counterparty_name="Alice",
        counterparty_iban=ALICE_IBAN,
        remittance=f"Declaratie {expense.number}",
        end_to_end_id=expense.end_to_end_id,
    )
    month = Statement(
        account_iban=COOPERATIVE_IBAN,
        currency="EUR",
        statement_id="month",
        opening_balance=Decimal("0.00"),
        opening_date=last_month_end.replace(day=1),
        closing_balance=costs.amount,
        closing_date=last_month_end,
        entries=(costs,),
    )
    so_far = Statement(
        account_iban=COOPERATIVE_IBAN,
        currency="EUR",
        statement_id="so-far",
        opening_balance=costs.amount,
        opening_date=first_of_month,
        closing_balance=costs.amount + payment.amount,
        closing_date=today,
        entries=(payment,),
    )
    return camt053_file([month, so_far], message_id="BANK-1")


@pytest.mark.parametrize("screen", SCREENS)
def test_the_treasurer_does_a_months_work_in_the_browser(page, hood, live_server, tmp_path, screen):
    page.set_viewport_size(SCREENS[screen])
    budget = project_budget(hood)
    account = bank(hood)
    photo = tmp_path / "bon.png"
    photo.write_bytes(image_bytes("PNG"))
    slug = hood.cooperative.slug
    money = f"/c/{slug}/decide/money"
    today = timezone.localdate()

    # A resident claims back what she spent, with a photo of the receipt.
    _log_in(page, hood, live_server, "alice")
    _go(page, f"{money}/expenses/claim/")
    page.select_option("select[name=budget]", str(budget.pk))
    page.fill("input[name=amount]", "12,50")
    page.fill("input[name=description]", "Koffie voor de buurtmaaltijd")
    page.fill("input[name=spent_on]", today.isoformat())
    page.fill("input[name=payee_iban]", "NL02 ABNA 0123 4567 89")
    page.set_input_files("input[name=receipt]", str(photo))
    _submit(page)
    assert page.url.endswith("/expenses/1/")

    # Two people approve it: the treasurer, who finds it on the desk, and a board member.
    _log_in(page, hood, live_server, "dave")
    _go(page, f"/c/{slug}/decide/money/")
    assert page.get_by_text("1 expense waits for approval").count()
    _follow(page, "1 expense waits for approval")
    _go(page, f"{money}/expenses/1/")
    _submit(page, "form[action$='/expenses/1/approve/']")
    _log_in(page, hood, live_server, "carol")
    _go(page, f"/c/{slug}/decide/board/")
    _go(page, f"{money}/expenses/1/")
    _submit(page, "form[action$='/expenses/1/approve/']")
    assert page.get_by_text("Your approval has been recorded").count()

    # The treasurer pays it in a batch and downloads the file for the bank.
    _log_in(page, hood, live_server, "dave")
    _go(page, f"/c/{slug}/decide/")
    _follow(page, "1 approved payment to make")
    expense = Expense.objects.get(cooperative=hood.cooperative, number=1)
    page.check(f"input[name=expenses][value='{expense.pk}']")
    _submit(page)
    assert page.url.endswith("/payments/1/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the file for the bank").click()
    expense.refresh_from_db()
    sepa_file = tmp_path / "pain001.xml"
    download.value.save_as(sepa_file)
    assert expense.end_to_end_id.encode() in sepa_file.read_bytes()

    # The bank's statement, imported and matched: the payment is found by its end-to-end id.
    statement_file = tmp_path / "afschrift.xml"
    statement_file.write_bytes(_statement_file(expense, today))
    _go(page, f"/c/{slug}/decide/money/")
    _follow(page, "Import a bank statement")
    page.set_input_files("input[type=file]", str(statement_file))
    _submit(page)
    assert page.url.endswith(f"/bank/{account.pk}/")
    _submit(page, f"form[action$='/bank/{account.pk}/match/']")
    payment = BankLine.objects.get(end_to_end_id=expense.end_to_end_id)
    assert payment.status == BankLineStatus.BOOKED
    expense.refresh_from_db()
    assert (expense.status, expense.reconciled_line) == (ExpenseStatus.RECONCILED, payment)

    # The bank costs match nothing: the treasurer books them to the costs account.
    costs = BankLine.objects.get(bank_account=account, status=BankLineStatus.UNMATCHED)
    _go(page, f"{money}/bank/{account.pk}/lines/{costs.pk}/book/")
    costs_account = Account.objects.get(cooperative=hood.cooperative, code="4100")
    page.select_option("select[name=account]", str(costs_account.pk))
    _submit(page)
    costs.refresh_from_db()
    assert costs.status == BankLineStatus.BOOKED

    # Last month is closed: nothing is open in it any more.
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    _go(page, f"/c/{slug}/decide/money/")
    _follow(page, "Close a month and reconcile the bank")
    page.select_option("#check_kind", "month")
    page.fill("#check_year", str(last_month.year))
    page.select_option("#check_month", str(last_month.month))
    with page.expect_navigation():
        page.get_by_role("button", name="Show what is still open").click()
    assert page.get_by_text("Nothing is open in this period.").count()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Close the period").click()
    assert_accessible(page)
    assert PeriodClose.objects.get(cooperative=hood.cooperative).until == last_month

    # A report, and the reconciliation of the bank account today.
    _go(page, f"/c/{slug}/decide/money/")
    _follow(page, "Reports")
    _follow(page, "Balance sheet")
    _go(page, f"{money}/closing/bank/{account.pk}/")
    assert page.get_by_text("The open items below explain the whole difference.").count()
