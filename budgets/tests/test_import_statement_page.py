"""Importing a statement file: stored whole, or refused with the reason and nothing written."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from budgets.models import BankLine, StatementImport
from budgets.statements import model as statement_model
from budgets.tests.bank_page_helpers import add_account, bank_written
from budgets.tests.page_helpers import BASE, client, page
from budgets.tests.statement_files import DATA, DAY, camt, line, statement

pytestmark = pytest.mark.django_db

URL = f"{BASE}/money/bank/import/"
FIRST = statement(1, "100.00", [line("25.50", reference="A-1"), line("-10.00", reference="A-2")])
NEXT_DAY = DAY + datetime.timedelta(days=1)


def _upload(data, name="afschrift.xml"):
    return {"file": SimpleUploadedFile(name, data, content_type="application/xml")}


def test_the_form_uploads_a_file_of_the_formats_we_read(hood):
    text = page(client(hood, "dave").get(URL))

    assert 'enctype="multipart/form-data"' in text
    assert 'accept=".xml,.sta,.940,.txt,.csv"' in text


def test_the_treasurer_imports_a_statement_and_sees_the_counts(hood):
    account = add_account(hood)

    response = client(hood, "dave").post(URL, _upload(camt(FIRST)), follow=True)

    record = StatementImport.objects.get()
    assert (record.file_name, record.line_count) == ("afschrift.xml", 2)
    assert BankLine.objects.filter(bank_account=account).count() == 2
    text = page(response)
    assert "afschrift.xml has been imported: 1 statements, 2 new lines." in text
    assert response.redirect_chain[-1][0] == f"{BASE}/money/bank/{account.pk}/"


@pytest.mark.parametrize(
    "data, message",
    [
        (camt(statement(1, "0", [line("1")], iban="NL20INGB0001234567")), "another IBAN"),
        (camt(statement(3, "140.00", [line("1.00", on=NEXT_DAY)])), "Statement S-3 opens with"),
        ((DATA / "camt053_bad_balance.xml").read_bytes(), "do not add up"),
        (b"<Document><broken", "not readable XML"),
        (b"%PDF-1.7 bankafschrift\n", "not a bank statement we can read"),
        (b"", "The file is empty."),
    ],
)
def test_a_refused_file_is_explained_and_nothing_is_written(hood, data, message):
    add_account(hood)
    browser = client(hood, "dave")
    browser.post(URL, _upload(camt(FIRST)))
    before = bank_written(hood.cooperative)

    response = browser.post(URL, _upload(data))

    assert response.status_code == 400
    assert message in page(response)
    assert bank_written(hood.cooperative) == before


def test_the_same_file_twice_is_refused(hood):
    add_account(hood)
    browser = client(hood, "dave")
    browser.post(URL, _upload(camt(FIRST)))
    before = bank_written(hood.cooperative)

    response = browser.post(URL, _upload(camt(FIRST), name="nog-eens.xml"))

    assert response.status_code == 400
    assert "This file has already been imported." in page(response)
    assert bank_written(hood.cooperative) == before


def test_no_file_is_refused(hood):
    add_account(hood)
    before = bank_written(hood.cooperative)

    response = client(hood, "dave").post(URL, {})

    assert response.status_code == 400
    assert "Choose a file to import." in page(response)
    assert bank_written(hood.cooperative) == before


def test_a_file_over_the_limit_is_refused_by_its_size(hood, monkeypatch):
    add_account(hood)
    monkeypatch.setattr(statement_model, "MAX_BYTES", 100)
    before = bank_written(hood.cooperative)

    response = client(hood, "dave").post(URL, _upload(b" " * 101))

    assert response.status_code == 400
    assert "The file is larger than 100 B" in page(response)
    assert bank_written(hood.cooperative) == before
