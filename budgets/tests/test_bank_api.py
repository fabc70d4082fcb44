"""The bank API: bank accounts, importing a statement file, and the statements and lines."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from budgets import services
from budgets.models import BankLine, BankLineStatus
from budgets.tests.api_helpers import API, api
from budgets.tests.bank_page_helpers import add_account, bank_written
from budgets.tests.statement_files import camt, line, many_lines, statement

pytestmark = pytest.mark.django_db

ACCOUNTS = f"{API}bank/accounts/"
STATEMENTS = f"{API}bank/statements/"
FIRST = statement(1, "100.00", [line("25.50", reference="A-1"), line("-10.00", reference="A-2")])


def _upload(data, name="afschrift.xml"):
    return {"file": SimpleUploadedFile(name, data, content_type="application/xml")}


def test_the_treasurer_adds_and_lists_bank_accounts(hood):
    client = api(hood, "dave")

    response = client.post(ACCOUNTS, {"iban": "NL91 ABNA 0417 1643 00", "name": "Betaal"})

    assert response.status_code == 201
    assert response.json()["iban"] == "NL91ABNA0417164300"
    assert [a["name"] for a in api(hood, "erin").get(ACCOUNTS).json()] == ["Betaal"]


def test_a_bad_iban_is_refused_and_nothing_is_written(hood):
    before = bank_written(hood.cooperative)

    response = api(hood, "dave").post(ACCOUNTS, {"iban": "NL00ABNA0000000000", "name": "Betaal"})

    assert response.status_code == 400
    assert "This is not a valid IBAN." in response.json()["detail"]
    assert bank_written(hood.cooperative) == before


def test_the_treasurer_imports_a_file_and_gets_the_counts(hood):
    account = add_account(hood)

    response = api(hood, "dave").post(STATEMENTS, _upload(camt(FIRST)), format="multipart")

    assert response.status_code == 201
    body = response.json()
    assert (body["bank_account"], body["statements"], body["new_lines"]) == (account.pk, 1, 2)
    listed = api(hood, "carol").get(STATEMENTS).json()
    assert [r["file_name"] for r in listed["results"]] == ["afschrift.xml"]


@pytest.mark.parametrize(
    "data, message",
    [
        (camt(FIRST), "This file has already been imported."),
        (camt(statement(1, "0", [line("1")], iban="NL20INGB0001234567")), "another IBAN"),
        (b"<Document><broken", "not readable XML"),
        (b"", "The file is empty."),
    ],
)
def test_a_refused_file_is_400_and_nothing_is_written(hood, data, message):
    add_account(hood)
    client = api(hood, "dave")
    client.post(STATEMENTS, _upload(camt(FIRST)), format="multipart")
    before = bank_written(hood.cooperative)

    response = client.post(STATEMENTS, _upload(data), format="multipart")

    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert bank_written(hood.cooperative) == before


def test_no_file_is_refused(hood):
    add_account(hood)
    before = bank_written(hood.cooperative)

    response = api(hood, "dave").post(STATEMENTS, {}, format="multipart")

    assert response.status_code == 400
    assert response.json()["detail"] == "Choose a file to import."
    assert bank_written(hood.cooperative) == before


def test_the_audit_committee_may_not_import(hood):
    add_account(hood)
    before = bank_written(hood.cooperative)

    response = api(hood, "erin").post(STATEMENTS, _upload(camt(FIRST)), format="multipart")

    assert response.status_code == 403
    assert bank_written(hood.cooperative) == before


def test_statements_and_lines_are_listed_newest_first_and_paginated(hood):
    account = add_account(hood)
    services.import_statement(
        hood.cooperative, actor=hood.dave, data=many_lines(60), file_name="maart.xml"
    )
    BankLine.objects.filter(bank_account=account).order_by("pk").filter(
        pk__in=BankLine.objects.order_by("pk").values("pk")[:5]
    ).update(status=BankLineStatus.MATCHED)
    client = api(hood, "erin")

    statements = client.get(f"{ACCOUNTS}{account.pk}/statements/").json()
    lines = client.get(f"{ACCOUNTS}{account.pk}/lines/").json()
    unmatched = client.get(f"{ACCOUNTS}{account.pk}/lines/?status=unmatched").json()

    assert statements["count"] == 1 and statements["results"][0]["opening_balance"] == "1000.00"
    assert lines["count"] == 60 and len(lines["results"]) == 50
    dates = [item["booking_date"] for item in lines["results"]]
    assert dates == sorted(dates, reverse=True)
    assert unmatched["count"] == 55


def test_an_unknown_status_is_refused(hood):
    account = add_account(hood)

    response = api(hood, "dave").get(f"{ACCOUNTS}{account.pk}/lines/?status=lost")

    assert response.status_code == 400
    assert response.json()["detail"] == "Choose a status from the list."
