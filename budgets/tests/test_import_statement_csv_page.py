"""Importing a bank's CSV file on the page: the file is kept while the treasurer chooses its bank
account and fills in the balance after its last line; the first time for an account the page
asks which column holds what, from the file's header row or, for a file without one, by
number. Columns are saved only with a file that imports; every refusal is shown and writes
nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from budgets import services, views
from budgets.models import BankAccount, BankLine, BankStatement, StatementImport
from budgets.tests.bank_page_helpers import add_account, bank_written
from budgets.tests.page_helpers import BASE, client, page
from wijkbv.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = f"{BASE}/money/bank/import/"
HEADER = "Datum;Naam;Tegenrekening;Af Bij;Bedrag;Mededelingen\n"
MARCH = (
    HEADER
    + "02-03-2026;J. de Vries;NL20INGB0001234567;Bij;20,00;Aandelen\n"
    + "05-03-2026;Bakker;NL20INGB0001234567;Af;12,50;Koffie\n"
).encode()
COLUMNS = {
    "booking_date": "Datum",
    "amount": "Bedrag",
    "direction": "Af Bij",
    "counterparty_name": "Naam",
    "counterparty_iban": "Tegenrekening",
    "remittance": ["Mededelingen"],
}
# What the mapping form posts for COLUMNS.
MAPPING_POST = {
    "csv_step": "mapping",
    "booking_date": "Datum",
    "date_format": "%d-%m-%Y",
    "amount": "Bedrag",
    "direction": "Af Bij",
    "debit_marks": "Af, D",
    "debit": "",
    "credit": "",
    "decimal_comma": "on",
    "value_date": "",
    "counterparty_name": "Naam",
    "counterparty_iban": "Tegenrekening",
    "remittance": ["Mededelingen"],
    "end_to_end_id": "",
    "balance_after": "",
}


def _upload(browser, data=MARCH, name="maart.csv"):
    return browser.post(URL, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def _account(hood, columns=COLUMNS):
    account = add_account(hood)
    if columns:
        services.save_csv_mapping(account, actor=hood.dave, mapping=columns)
    return account


def _step(browser, account, closing="107,50", **extra):
    return browser.post(
        URL,
        {"csv_step": "account", "bank_account": account.pk, "closing_balance": closing} | extra,
    )


def test_a_csv_file_asks_for_its_bank_account_and_writes_nothing(hood):
    account = _account(hood)
    before = bank_written(hood.cooperative)

    response = _upload(client(hood, "dave"))

    text = page(response)
    assert response.status_code == 200
    assert "maart.csv is a CSV file." in text
    assert f'<option value="{account.pk}">Betaalrekening (NL91ABNA0417164300)' in text
    assert 'name="closing_balance"' in text
    assert bank_written(hood.cooperative) == before


def test_the_kept_file_is_imported_with_the_saved_columns(hood):
    account = _account(hood)
    browser = client(hood, "dave")
    _upload(browser)

    response = _step(browser, account)

    assert response.status_code == 302
    assert response.url == f"{BASE}/money/bank/{account.pk}/"
    record = StatementImport.objects.get()
    assert (record.file_name, record.format, record.line_count) == ("maart.csv", "csv", 2)
    statement = BankStatement.objects.get()
    assert (statement.opening_balance, statement.closing_balance) == (100, 107.5)
    assert views.CSV_SESSION_KEY not in browser.session


def test_an_account_without_saved_columns_gets_the_columns_form_with_a_guess(hood):
    add_account(hood)
    account = BankAccount.objects.get()
    browser = client(hood, "dave")
    _upload(browser)
    before = bank_written(hood.cooperative)

    response = _step(browser, account)

    text = page(response)
    assert response.status_code == 200
    assert "Which column holds what" in text
    assert '<option value="Datum" selected>Datum</option>' in text
    assert '<option value="Af Bij" selected>Af Bij</option>' in text
    assert 'value="Mededelingen" id="id_remittance_5" checked' in text
    assert bank_written(hood.cooperative) == before


def test_the_columns_are_saved_and_the_file_imported_in_one_step(hood):
    account = _account(hood, columns=None)
    browser = client(hood, "dave")
    _upload(browser)

    response = browser.post(
        URL, {"bank_account": account.pk, "closing_balance": "107,50"} | MAPPING_POST
    )

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.csv_mapping["debit_marks"] == ["Af", "D"]
    assert BankLine.objects.count() == 2
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["bank.csv_mapping_saved", "bank.statement_imported"]


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"closing_balance": ""}, "fill in the balance your bank shows after the last line"),
        ({"closing_balance": "veel"}, "Fill in the balance in euros and cents"),
        ({"date_format": "%Y-%m-%d"}, "line 2: The date 02-03-2026 is not a date in the form"),
        ({"debit": "Bedrag", "credit": "Naam"}, "either an amount column or a debit and a credit"),
        ({"booking_date": "Saldo"}, "Choose a column from the list."),
        ({"debit_marks": " , "}, "Give the words that mark money going out."),
    ],
)
def test_a_refusal_in_the_columns_step_is_shown_and_nothing_is_saved(hood, post, message):
    account = _account(hood, columns=None)
    browser = client(hood, "dave")
    _upload(browser)
    before = bank_written(hood.cooperative)

    response = browser.post(
        URL, {"bank_account": account.pk, "closing_balance": "107,50"} | MAPPING_POST | post
    )

    assert response.status_code == 400
    assert message in page(response)
    assert "Which column holds what" in page(response)
    account.refresh_from_db()
    assert account.csv_mapping == {}
    assert bank_written(hood.cooperative) == before


def test_a_line_that_does_not_read_is_named_and_nothing_is_written(hood):
    account = _account(hood)
    browser = client(hood, "dave")
    _upload(browser, (HEADER + "02-03-2026;X;;Bij;twintig;Aandelen\n").encode())
    before = bank_written(hood.cooperative)

    response = _step(browser, account)

    assert response.status_code == 400
    assert "line 2: The amount twintig is not a number." in page(response)
    assert bank_written(hood.cooperative) == before


def test_saved_columns_missing_from_the_file_are_offered_to_correct(hood):
    account = _account(hood, COLUMNS | {"end_to_end_id": "Kenmerk"})
    browser = client(hood, "dave")
    _upload(browser)
    before = bank_written(hood.cooperative)

    response = _step(browser, account)

    text = page(response)
    assert response.status_code == 400
    assert "The file has no column Kenmerk." in text
    assert "Which column holds what" in text
    assert bank_written(hood.cooperative) == before


def test_a_closing_balance_that_leaves_a_gap_is_refused(hood):
    account = _account(hood)
    browser = client(hood, "dave")
    _upload(browser)
    _step(browser, account)
    april = (HEADER + "01-04-2026;Gemeente;;Bij;50,00;Subsidie\n").encode()
    _upload(browser, april, name="april.csv")
    before = bank_written(hood.cooperative)

    response = _step(browser, account, closing="200,00")

    assert response.status_code == 400
    assert "A statement is missing in between" in page(response)
    assert bank_written(hood.cooperative) == before


def test_a_step_without_a_kept_file_asks_for_the_file_again(hood):
    account = _account(hood)
    before = bank_written(hood.cooperative)

    response = _step(client(hood, "dave"), account)

    assert response.status_code == 400
    assert "The file is no longer here. Choose it again." in page(response)
    assert bank_written(hood.cooperative) == before


def test_a_file_too_big_to_keep_is_asked_for_again_with_the_account(hood, monkeypatch):
    monkeypatch.setattr(views, "CSV_KEPT_BYTES", 10)
    account = _account(hood)
    browser = client(hood, "dave")
    text = page(_upload(browser))
    assert "The same file again" in text
    before = bank_written(hood.cooperative)

    refused = _step(browser, account)
    assert refused.status_code == 400
    assert "Choose a file to import." in page(refused)
    assert bank_written(hood.cooperative) == before

    response = _step(
        browser, account, file=SimpleUploadedFile("maart.csv", MARCH, content_type="text/csv")
    )
    assert response.status_code == 302
    assert BankLine.objects.count() == 2


def test_a_bank_account_of_another_cooperative_cannot_be_chosen(hood):
    _account(hood)
    other = services.add_bank_account(
        hood.other, actor=None, iban="NL20INGB0001234567", name="Elders"
    )
    browser = client(hood, "dave")
    _upload(browser)
    before = bank_written(hood.cooperative)

    response = _step(browser, other)

    assert response.status_code == 400
    assert "Choose a bank account from the list." in page(response)
    assert bank_written(hood.cooperative) == before


def test_without_a_bank_account_the_page_says_to_add_one_first(hood):
    response = _upload(client(hood, "dave"))

    assert "Add the bank account first." in page(response)


# ASN Bank and Triodos write their CSV export without a header row. These lines follow ASN's
# columns: booking date, own account, other account, name, address, postcode, town, currency,
# balance before, currency, amount (signed, decimal point), journal date, value date, two
# transaction codes, sequence number, payment reference, description, statement number.
ASN_MARCH = (
    b"02-03-2026,NL91ABNA0417164300,NL20INGB0001234567,J. de Vries,,,,EUR,100.00,EUR,20.00,"
    b"02-03-2026,02-03-2026,8810,OVB,1,,Aandelen,3\n"
    b"05-03-2026,NL91ABNA0417164300,NL20INGB0001234567,Bakker,,,,EUR,120.00,EUR,-12.50,"
    b"05-03-2026,05-03-2026,8820,OVB,2,,Koffie,3\n"
)
ASN_POST = {
    "csv_step": "mapping",
    "booking_date": "0",
    "date_format": "%d-%m-%Y",
    "amount": "10",
    "direction": "",
    "debit_marks": "Af, D",
    "debit": "",
    "credit": "",
    "value_date": "12",
    "counterparty_name": "3",
    "counterparty_iban": "2",
    "remittance": ["17"],
    "end_to_end_id": "",
    "balance_after": "",
}


def test_a_file_without_a_header_row_offers_its_columns_by_number(hood):
    account = _account(hood, columns=None)
    browser = client(hood, "dave")
    _upload(browser, ASN_MARCH, name="asn.csv")
    before = bank_written(hood.cooperative)

    response = _step(browser, account)

    text = page(response)
    assert response.status_code == 200
    assert "The first line of this file holds values, not the names of the columns." in text
    assert '<option value="0" selected>Column 1: 02-03-2026</option>' in text
    assert '<option value="10">Column 11: 20.00</option>' in text
    assert '<input type="checkbox" name="decimal_comma" id="id_decimal_comma">' in text
    assert bank_written(hood.cooperative) == before


def test_a_file_without_a_header_row_is_imported_from_its_first_line(hood):
    account = _account(hood, columns=None)
    browser = client(hood, "dave")
    _upload(browser, ASN_MARCH, name="asn.csv")

    response = browser.post(
        URL, {"bank_account": account.pk, "closing_balance": "107.50"} | ASN_POST
    )

    assert response.status_code == 302
    lines = list(BankLine.objects.order_by("booking_date"))
    assert [(str(line.amount), line.counterparty_name) for line in lines] == [
        ("20.00", "J. de Vries"),
        ("-12.50", "Bakker"),
    ]
    assert lines[0].remittance == "Aandelen"
    account.refresh_from_db()
    assert account.csv_mapping["header"] is False
    assert (account.csv_mapping["booking_date"], account.csv_mapping["remittance"]) == (0, [17])

    april = (
        b"01-04-2026,NL91ABNA0417164300,,Gemeente,,,,EUR,107.50,EUR,50.00,"
        b"01-04-2026,01-04-2026,8810,OVB,3,,Subsidie,4\n"
    )
    _upload(browser, april, name="asn-april.csv")
    assert _step(browser, account, closing="157.50").status_code == 302
    assert BankLine.objects.count() == 3


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"booking_date": "19"}, "Choose a column from the list."),
        ({"booking_date": "Datum"}, "Choose a column from the list."),
        ({"amount": "3"}, "line 1: The amount J. de Vries is not a number."),
    ],
)
def test_a_wrong_column_of_a_file_without_a_header_row_is_refused(hood, post, message):
    account = _account(hood, columns=None)
    browser = client(hood, "dave")
    _upload(browser, ASN_MARCH, name="asn.csv")
    before = bank_written(hood.cooperative)

    response = browser.post(
        URL, {"bank_account": account.pk, "closing_balance": "107.50"} | ASN_POST | post
    )

    assert response.status_code == 400
    assert message in page(response)
    account.refresh_from_db()
    assert account.csv_mapping == {}
    assert bank_written(hood.cooperative) == before
