"""The payments page: the treasurer picks approved items and a bank account, makes a batch,
and downloads its SEPA file; the board and the audit committee read the batches."""

import hashlib

import pytest
from django.utils import timezone

from budgets import services
from budgets.models import ExpenseStatus, PaymentBatch
from budgets.tests.expense_helpers import (
    approved,
    ask_advance,
    bank,
    claim,
    expense_written,
)
from budgets.tests.page_helpers import BASE, client, page

pytestmark = pytest.mark.django_db

MONEY = f"{BASE}/money"


def _post(hood, account, expenses=(), advances=(), name="dave"):
    return client(hood, name).post(
        f"{MONEY}/payments/",
        {
            "bank_account": account.pk,
            "expenses": [e.pk for e in expenses],
            "advances": [a.pk for a in advances],
            "execution_date": timezone.localdate().isoformat(),
        },
    )


def test_the_treasurer_pays_a_batch_and_downloads_the_file(hood, project_budget):
    expense = approved(hood, claim(hood, project_budget))
    advance = approved(hood, ask_advance(hood, project_budget))
    account = bank(hood)
    text = page(client(hood, "dave").get(f"{MONEY}/payments/"))
    assert "Expense 1" in text and "Advance 1" in text
    response = _post(hood, account, [expense], [advance])
    batch = PaymentBatch.objects.get()
    assert response["Location"] == f"{MONEY}/payments/{batch.number}/"
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.PAID
    detail = page(client(hood, "carol").get(response["Location"]))
    assert expense.end_to_end_id in detail and batch.file_sha256 in detail
    download = client(hood, "dave").get(f"{MONEY}/payments/{batch.number}/pain001.xml")
    assert download["Content-Disposition"] == f'attachment; filename="{batch.message_id}.xml"'
    assert hashlib.sha256(download.content).hexdigest() == batch.file_sha256


def test_only_the_treasurer_downloads_the_file(hood, project_budget):
    expense = approved(hood, claim(hood, project_budget))
    services.make_payment_batch(
        hood.cooperative, actor=hood.dave, bank_account=bank(hood), expenses=[expense]
    )
    for name in ("carol", "erin"):
        assert client(hood, name).get(f"{MONEY}/payments/1/pain001.xml").status_code == 403


def test_paying_an_unapproved_expense_is_shown_and_nothing_is_written(hood, project_budget):
    expense = claim(hood, project_budget)
    services.approve_expense(expense, actor=hood.dave)
    account = bank(hood)
    before = expense_written(hood.cooperative)
    response = _post(hood, account, [expense])
    assert response.status_code == 400
    assert "Expense 1 cannot be paid: it has not been approved by two people" in page(response)
    assert expense_written(hood.cooperative) == before


def test_paying_twice_is_shown_and_nothing_is_written(hood, project_budget):
    expense = approved(hood, claim(hood, project_budget))
    account = bank(hood)
    _post(hood, account, [expense])
    before = expense_written(hood.cooperative)
    response = _post(hood, account, [expense])
    assert response.status_code == 400
    assert "Expense 1 has already been paid" in page(response)
    assert expense_written(hood.cooperative) == before


def test_nothing_chosen_is_shown(hood, project_budget):
    approved(hood, claim(hood, project_budget))
    account = bank(hood)
    before = expense_written(hood.cooperative)
    response = _post(hood, account)
    assert response.status_code == 400
    assert "Choose at least one expense or advance to pay" in page(response)
    assert expense_written(hood.cooperative) == before


def test_the_board_reads_but_does_not_pay(hood, project_budget):
    expense = approved(hood, claim(hood, project_budget))
    account = bank(hood)
    assert "Make a batch" not in page(client(hood, "carol").get(f"{MONEY}/payments/"))
    assert _post(hood, account, [expense], name="carol").status_code == 403
    assert not PaymentBatch.objects.exists()
