"""The bank pages in the browser: the treasurer uploads a statement file, lands on the account's
statements and lines, filters the lines not booked yet, matches them, accepts a suggestion and
books a line to an account, or links it to a booking made already. The lines page (which a
sample URL cannot reach), the import form with a refusal shown and the forms that book or link a
line pass the accessibility gate here."""

import pytest

from budgets import services
from budgets.tests.bank_lines import bank_account, from_funder, import_lines, other, paying_funder
from budgets.tests.expense_helpers import receipts_in_tmp  # noqa: F401
from budgets.tests.payment_lines import import_lines as import_payment_lines
from budgets.tests.payment_lines import recorded_return, returned
from budgets.tests.statement_files import IBAN, camt, line, statement
from tests.browser.helpers import assert_accessible, project_budget

pytestmark = pytest.mark.browser


def test_the_treasurer_imports_a_statement_and_reads_its_lines(page, hood, live_server, tmp_path):
    account = services.add_bank_account(
        hood.cooperative, actor=hood.dave, iban=IBAN, name="Betaalrekening"
    )
    good = tmp_path / "maart.xml"
    good.write_bytes(camt(statement(1, "100.00", [line("25.50", name="Buurtkas")])))
    broken = tmp_path / "kapot.xml"
    broken.write_bytes(b"<Document><broken")
    session = hood.client_for("dave").cookies["sessionid"].value
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": session, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    url = f"{live_server.url}/c/{hood.cooperative.slug}/decide/money/bank/"

    page.goto(url + "import/")
    page.set_input_files("input[type=file]", str(broken))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("main").get_by_text("not readable XML").count()
    assert_accessible(page)

    page.set_input_files("input[type=file]", str(good))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith(f"/bank/{account.pk}/")
    assert page.get_by_text("Buurtkas").count()
    assert_accessible(page)

    page.goto(f"{url}{account.pk}/?status=open")
    assert page.get_by_text("Buurtkas").count()
    assert_accessible(page)


CSV = (
    "Datum;Naam;Tegenrekening;Af Bij;Bedrag;Mededelingen\n"
    "02-03-2026;Buurtkas;NL20INGB0001234567;Bij;20,00;Aandelen\n"
    "05-03-2026;Bakker;NL20INGB0001234567;Af;12,50;Koffie\n"
)


def test_the_treasurer_imports_a_csv_file_saying_which_column_holds_what(
    page, hood, live_server, tmp_path
):
    account = services.add_bank_account(
        hood.cooperative, actor=hood.dave, iban=IBAN, name="Betaalrekening"
    )
    path = tmp_path / "maart.csv"
    path.write_text(CSV)
    session = hood.client_for("dave").cookies["sessionid"].value
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": session, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    page.goto(f"{live_server.url}/c/{hood.cooperative.slug}/decide/money/bank/import/")
    page.set_input_files("input[type=file]", str(path))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.get_by_text("maart.csv is a CSV file.").count()
    assert_accessible(page)

    page.get_by_label("Balance after the last line").fill("107,50")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.get_by_role("heading", name="Which column holds what").count()
    assert_accessible(page)

    page.get_by_label("Dates are written as").select_option("%Y-%m-%d")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the columns and import").click()
    assert page.locator("main").get_by_text("line 2: The date 02-03-2026").count()
    assert_accessible(page)

    page.get_by_label("Dates are written as").select_option("%d-%m-%Y")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the columns and import").click()
    assert page.url.endswith(f"/bank/{account.pk}/")
    assert page.get_by_text("Buurtkas").count()


PHONE = {"width": 360, "height": 740}


def test_the_treasurer_matches_accepts_and_books_lines_on_a_phone(page, hood, live_server):
    """A lines page with a suggestion, the booking form with its refusal, and the answers to
    each action pass the gate at a phone's width."""
    account = bank_account(hood)
    paying_funder(hood, committed="1000")
    import_lines(hood, from_funder("1500.00"), other("30.00"))
    session = hood.client_for("dave").cookies["sessionid"].value
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": session, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    page.set_viewport_size(PHONE)
    lines = f"{live_server.url}/c/{hood.cooperative.slug}/decide/money/bank/{account.pk}/"

    page.goto(lines)
    with page.expect_navigation():
        page.get_by_role("button", name="Match the lines").click()
    assert page.get_by_text("Waiting for you with a suggestion: 1. Not matched yet: 1.").count()
    assert page.get_by_text("Suggestion: Funding stream Buurtfonds").count()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Book to an account – March 2, 2026, 30.00 EUR").click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Book the line").click()
    assert page.locator("main").get_by_text("Choose an account.").count()
    assert_accessible(page)
    page.get_by_label("Account in the books").select_option(label="8100 Huur van plekken")
    with page.expect_navigation():
        page.get_by_role("button", name="Book the line").click()
    assert page.url == lines
    assert page.get_by_text("The line has been booked to 8100").count()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Accept").click()
    assert page.get_by_text("The suggestion has been accepted and the line booked.").count()
    assert not page.get_by_role("button", name="Accept").count()
    assert_accessible(page)


def test_the_treasurer_links_a_line_to_a_return_recorded_by_hand_on_a_phone(
    page, hood, live_server
):
    """The line's page with a booking made already to choose, its refusal, and the answer."""
    owed, booking = recorded_return(hood, project_budget(hood))
    (arrived,) = import_payment_lines(hood, returned(owed))
    session = hood.client_for("dave").cookies["sessionid"].value
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": session, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    page.set_viewport_size(PHONE)
    lines = (
        f"{live_server.url}/c/{hood.cooperative.slug}/decide/money/bank/{arrived.bank_account_id}/"
    )

    page.goto(f"{lines}lines/{arrived.pk}/book/")
    assert page.get_by_role("heading", name="Or: the line is a booking made already").count()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="This line belongs to that booking").click()
    assert page.locator("main").get_by_text("Choose the booking.").count()
    assert_accessible(page)

    page.get_by_label(booking.description).check()
    with page.expect_navigation():
        page.get_by_role("button", name="This line belongs to that booking").click()
    assert page.url == lines
    assert page.get_by_text("The line is now the bank line of the booking").count()
    assert_accessible(page)
    arrived.refresh_from_db()
    assert arrived.booked_transaction == booking
