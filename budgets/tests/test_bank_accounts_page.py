"""The bank accounts page: the treasurer adds an account; the board and audit committee read."""

import pytest

from budgets.models import BankAccount
from budgets.tests.bank_page_helpers import add_account, bank_written
from budgets.tests.page_helpers import BASE, client, page

pytestmark = pytest.mark.django_db

URL = f"{BASE}/money/bank/"


def test_the_treasurer_adds_a_bank_account(hood):
    response = client(hood, "dave").post(
        URL, {"iban": "NL91 ABNA 0417 1643 00", "name": "Betaalrekening"}, follow=True
    )

    account = BankAccount.objects.get()
    assert (account.iban, account.name) == ("NL91ABNA0417164300", "Betaalrekening")
    assert "The bank account Betaalrekening has been added." in page(response)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"iban": "NL00 ABNA 0000 0000 00"}, "This is not a valid IBAN."),
        ({"iban": ""}, "This field is required."),
        ({"name": ""}, "This field is required."),
        ({"iban": "NL91ABNA0417164300"}, "This bank account has already been added."),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_written(hood, fields, message):
    add_account(hood)
    before = bank_written(hood.cooperative)

    response = client(hood, "dave").post(
        URL, {"iban": "NL20INGB0001234567", "name": "Spaarrekening"} | fields
    )

    assert response.status_code == 400
    assert message in page(response)
    assert bank_written(hood.cooperative) == before


@pytest.mark.parametrize("name", ["carol", "erin"])
def test_the_board_and_audit_committee_read_but_do_not_add(hood, name):
    add_account(hood)
    browser = client(hood, name)

    text = page(browser.get(URL))
    assert "Betaalrekening" in text and "Add a bank account" not in text
    before = bank_written(hood.cooperative)
    response = browser.post(URL, {"iban": "NL20INGB0001234567", "name": "Spaar"})
    assert response.status_code == 403
    assert bank_written(hood.cooperative) == before


def test_the_money_page_links_to_the_bank_accounts(hood):
    assert URL in page(client(hood, "dave").get(f"{BASE}/money/"))
    assert URL not in page(client(hood, "alice").get(f"{BASE}/money/"))
