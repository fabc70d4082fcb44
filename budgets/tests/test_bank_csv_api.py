"""The bank API for CSV files: the columns saved on a bank account (GET and PUT), and a CSV file
imported with its bank account and the balance after its last line; every refusal is a 400
with the reason, and nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from budgets import services
from budgets.models import BankAccount, BankLine, BankStatement
from budgets.tests.api_helpers import API, api
from budgets.tests.bank_page_helpers import add_account, bank_written

pytestmark = pytest.mark.django_db

STATEMENTS = f"{API}bank/statements/"
COLUMNS = {
    "booking_date": "Datum",
    "amount": "Bedrag",
    "direction": "Af Bij",
    "counterparty_name": "Naam",
    "remittance": ["Mededelingen"],
}
HEADER = "Datum;Naam;Af Bij;Bedrag;Mededelingen\n"
MARCH = HEADER + "02-03-2026;J. de Vries;Bij;20,00;Aandelen\n05-03-2026;Bakker;Af;12,50;Koffie\n"


def _mapping_url(account):
    return f"{API}bank/accounts/{account.pk}/csv-mapping/"


def _upload(data=MARCH, **fields):
    file = SimpleUploadedFile("maart.csv", data.encode(), content_type="text/csv")
    return {"file": file, **fields}


def test_the_treasurer_saves_the_columns_and_the_board_reads_them(hood):
    account = add_account(hood)

    response = api(hood, "dave").put(_mapping_url(account), COLUMNS, format="json")

    assert response.status_code == 200
    assert response.json()["direction"] == "Af Bij"
    assert api(hood, "carol").get(_mapping_url(account)).json()["booking_date"] == "Datum"


def test_an_account_without_columns_answers_an_empty_object(hood):
    account = add_account(hood)

    assert api(hood, "erin").get(_mapping_url(account)).json() == {}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"amount": "Bedrag"}, "Choose the column with the booking date."),
        (COLUMNS | {"debit": "Af"}, "either an amount column or a debit and a credit column"),
        (COLUMNS | {"date_format": "%B"}, "Choose the date_format from the list."),
        (["Datum"], "The column mapping is not a list of fields."),
        (COLUMNS | {"colour": "red"}, "The column mapping has no field colour."),
    ],
)
def test_columns_that_cannot_work_are_refused_and_nothing_is_saved(hood, body, message):
    account = add_account(hood)
    before = bank_written(hood.cooperative)

    response = api(hood, "dave").put(_mapping_url(account), body, format="json")

    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert BankAccount.objects.get().csv_mapping == {}
    assert bank_written(hood.cooperative) == before


def test_only_the_treasurer_saves_columns(hood):
    account = add_account(hood)
    before = bank_written(hood.cooperative)

    response = api(hood, "carol").put(_mapping_url(account), COLUMNS, format="json")

    assert response.status_code == 403
    assert bank_written(hood.cooperative) == before


def test_a_csv_file_is_imported_with_its_bank_account_and_closing_balance(hood):
    account = add_account(hood)
    services.save_csv_mapping(account, actor=hood.dave, mapping=COLUMNS)

    response = api(hood, "dave").post(
        STATEMENTS,
        _upload(bank_account=account.pk, closing_balance="107.50"),
        format="multipart",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["format"], body["statements"], body["new_lines"]) == ("csv", 1, 2)
    statement = BankStatement.objects.get()
    assert (statement.opening_balance, statement.closing_balance) == (100, 107.5)


@pytest.mark.parametrize(
    ("columns", "fields", "data", "message"),
    [
        (COLUMNS, {}, MARCH, "This is a CSV file. Choose the bank account it comes from."),
        (None, {"closing_balance": "107.50"}, MARCH, "No CSV columns are saved"),
        (COLUMNS, {}, MARCH, "fill in the balance your bank shows after the last line"),
        (COLUMNS, {"closing_balance": "12,345"}, MARCH, "Fill in the balance in euros"),
        (
            COLUMNS | {"value_date": "Rentedatum"},
            {"closing_balance": "107.50"},
            MARCH,
            "The file has no column Rentedatum.",
        ),
        (
            COLUMNS,
            {"closing_balance": "107.50"},
            HEADER + "31-02-2026;X;Bij;1,00;Y\n",
            "line 2: The date 31-02-2026 is not a date",
        ),
    ],
)
def test_a_refused_csv_file_is_400_and_nothing_is_written(hood, columns, fields, data, message):
    account = add_account(hood)
    if columns:
        services.save_csv_mapping(account, actor=hood.dave, mapping=columns)
    if "This is a CSV file" not in message:
        fields = {"bank_account": account.pk} | fields
    before = bank_written(hood.cooperative)

    response = api(hood, "dave").post(STATEMENTS, _upload(data, **fields), format="multipart")

    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert bank_written(hood.cooperative) == before


def test_a_bank_account_of_another_cooperative_is_refused(hood):
    other = services.add_bank_account(
        hood.other, actor=None, iban="NL20INGB0001234567", name="Elders"
    )
    before = bank_written(hood.cooperative)

    response = api(hood, "dave").post(
        STATEMENTS, _upload(bank_account=other.pk, closing_balance="1.00"), format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["field"] == "bank_account"
    assert BankLine.objects.count() == 0
    assert bank_written(hood.cooperative) == before
