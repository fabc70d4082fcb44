"""The expenses, advances and payment batches API: the same services and messages as the pages;
receipts sent as multipart; every refusal answers 400 or 403 with its reason and writes nothing."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from budgets.expenses import receipts
from budgets.models import AdvanceStatus, Expense, ExpenseStatus, PaymentBatch
from budgets.tests.api_helpers import API, api
from budgets.tests.expense_helpers import (
    ALICE_IBAN,
    approved,
    bank,
    claim,
    expense_written,
    pay,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db


def _claim(hood, project_budget, name="alice", **changes):
    data = {
        "budget": project_budget.code,
        "amount": "45.50",
        "description": "Boodschappen",
        "spent_on": timezone.localdate().isoformat(),
        "payee_iban": ALICE_IBAN,
        "receipt": SimpleUploadedFile("bon.pdf", pdf_bytes(), "application/pdf"),
    } | changes
    return api(hood, name).post(f"{API}expenses/", data, format="multipart")


def test_a_member_claims_with_a_receipt(hood, project_budget):
    response = _claim(hood, project_budget)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["number"], body["status"], body["amount"], body["payee_iban"]) == (
        1,
        "submitted",
        "45.50",
        ALICE_IBAN,
    )
    assert body["project"] == "Buurtmaaltijd"
    assert body["receipts"][0]["content_type"] == "application/pdf"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"receipt": SimpleUploadedFile("bon.pdf", b"no pdf at all")},
            "receipt",
            "not a PDF, JPEG or PNG",
        ),
        (
            {"receipt": SimpleUploadedFile("bon.png", b"\x89PNG" + b"0" * receipts.MAX_BYTES)},
            "receipt",
            "larger than 10 MB",
        ),
        ({"payee_iban": "NL02ABNA0123456780"}, "payee_iban", "not a valid IBAN"),
        ({"budget": "1000"}, "budget", "project budgets"),
    ],
)
def test_bad_input_is_refused_with_its_reason(hood, project_budget, changes, field, message):
    before = expense_written(hood.cooperative)
    response = _claim(hood, project_budget, **changes)
    assert response.status_code == 400
    assert (response.json()["field"], message in response.json()["detail"]) == (field, True)
    assert expense_written(hood.cooperative) == before


def test_approving_own_claim_and_twice_is_refused(hood, project_budget):
    own = claim(hood, project_budget, by="dave")
    before = expense_written(hood.cooperative)
    response = api(hood, "dave").post(f"{API}expenses/{own.number}/approve/")
    assert (response.status_code, response.json()["code"]) == (400, "own_claim")
    assert expense_written(hood.cooperative) == before
    other = claim(hood, project_budget)
    assert api(hood, "dave").post(f"{API}expenses/{other.number}/approve/").status_code == 200
    before = expense_written(hood.cooperative)
    response = api(hood, "dave").post(f"{API}expenses/{other.number}/approve/")
    assert (response.status_code, response.json()["code"]) == (400, "approving_twice")
    assert expense_written(hood.cooperative) == before
    response = api(hood, "carol").post(f"{API}expenses/{other.number}/approve/")
    assert response.json()["status"] == ExpenseStatus.APPROVED


def test_above_what_the_budget_has_left_is_refused(hood, project_budget):
    expense = claim(hood, project_budget, amount="3000.01")
    before = expense_written(hood.cooperative)
    response = api(hood, "dave").post(f"{API}expenses/{expense.number}/approve/")
    assert (response.status_code, response.json()["code"]) == (400, "not_enough_money")
    assert expense_written(hood.cooperative) == before


def test_a_rejection_needs_a_reason(hood, project_budget):
    expense = claim(hood, project_budget)
    url = f"{API}expenses/{expense.number}/reject/"
    response = api(hood, "carol").post(url, {"reason": " "}, format="json")
    assert (response.status_code, response.json()["field"]) == (400, "reason")
    response = api(hood, "carol").post(url, {"reason": "Dubbel"}, format="json")
    assert (response.json()["status"], response.json()["rejection_reason"]) == (
        "rejected",
        "Dubbel",
    )


def test_the_iban_is_shown_to_its_owner_and_the_treasurer_only(hood, project_budget):
    expense = claim(hood, project_budget)
    url = f"{API}expenses/{expense.number}/"
    assert api(hood, "alice").get(url).json()["payee_iban"] == ALICE_IBAN
    assert api(hood, "dave").get(url).json()["payee_iban"] == ALICE_IBAN
    assert api(hood, "carol").get(url).json()["payee_iban"] is None
    assert api(hood, "erin").get(url).json()["payee_iban"] is None


def test_residents_list_their_own_and_not_others(hood, project_budget):
    claim(hood, project_budget, by="erin")
    claim(hood, project_budget, by="alice")
    mine = api(hood, "alice").get(f"{API}expenses/").json()["results"]
    assert [e["claimant"] for e in mine] == [hood.membership("alice").member_number]
    assert api(hood, "alice").get(f"{API}expenses/1/").status_code == 404
    assert len(api(hood, "dave").get(f"{API}expenses/").json()["results"]) == 2
    assert api(hood, "dave").get(f"{API}expenses/?status=nonsense").status_code == 400


def test_the_receipt_is_downloaded_by_who_may_see_it(hood, project_budget):
    data = pdf_bytes()
    expense = claim(hood, project_budget, receipt=data)
    url = f"{API}expenses/receipts/{expense.receipts.get().pk}/"
    response = api(hood, "erin").get(url)
    assert b"".join(response.streaming_content) == data
    assert response["X-Content-Type-Options"] == "nosniff"
    other = claim(hood, project_budget, by="erin")
    assert (
        api(hood, "alice").get(f"{API}expenses/receipts/{other.receipts.get().pk}/").status_code
        == 404
    )


def test_an_advance_is_asked_approved_paid_and_settled(hood, project_budget):
    response = api(hood, "alice").post(
        f"{API}advances/",
        {
            "budget": project_budget.code,
            "amount": "100",
            "purpose": "Boodschappen",
            "payee_iban": ALICE_IBAN,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    number = response.json()["number"]
    for name in ("dave", "carol"):
        assert api(hood, name).post(f"{API}advances/{number}/approve/").status_code == 200
    account = bank(hood)
    response = api(hood, "dave").post(
        f"{API}payment-batches/",
        {"bank_account": account.pk, "advances": [number]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    (item,) = response.json()["advances"]
    assert item["end_to_end_id"] == f"WBV{hood.cooperative.pk}-A{number}"
    opened = api(hood, "dave").get(f"{API}advances/open/").json()
    assert [(a["number"], a["age_in_days"]) for a in opened] == [(number, 0)]
    settle = f"{API}advances/{number}/settle/"
    files = [SimpleUploadedFile("a.pdf", pdf_bytes()), SimpleUploadedFile("b.pdf", pdf_bytes())]
    response = api(hood, "alice").post(
        settle, {"spent": "70", "receipts": files}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["to_return"]) == (
        AdvanceStatus.OWED,
        "30.00",
    )
    assert len(response.json()["receipts"]) == 2
    before = expense_written(hood.cooperative)
    again = api(hood, "alice").post(
        settle,
        {"spent": "70", "receipts": [SimpleUploadedFile("a.pdf", pdf_bytes())]},
        format="multipart",
    )
    assert (again.status_code, again.json()["code"]) == (400, "already_settled")
    assert expense_written(hood.cooperative) == before
    response = api(hood, "dave").post(f"{API}advances/{number}/return/", {}, format="json")
    assert response.json()["status"] == AdvanceStatus.SETTLED


def test_paying_an_unapproved_or_paid_expense_is_refused(hood, project_budget):
    account = bank(hood)
    waiting = claim(hood, project_budget)
    paid = approved(hood, claim(hood, project_budget))
    pay(hood, expenses=[paid], bank_account=account)
    for expense, code in ((waiting, "not_approved"), (paid, "already_paid")):
        before = expense_written(hood.cooperative)
        response = api(hood, "dave").post(
            f"{API}payment-batches/",
            {"bank_account": account.pk, "expenses": [expense.number]},
            format="json",
        )
        assert (response.status_code, response.json()["code"]) == (400, code)
        assert expense_written(hood.cooperative) == before


def test_the_batch_file_is_for_the_treasurer(hood, project_budget):
    batch = pay(hood, expenses=[approved(hood, claim(hood, project_budget))])
    response = api(hood, "dave").get(f"{API}payment-batches/{batch.number}/file/")
    assert hashlib.sha256(response.content).hexdigest() == batch.file_sha256
    assert api(hood, "carol").get(f"{API}payment-batches/{batch.number}/file/").status_code == 403
    assert (
        api(hood, "carol").get(f"{API}payment-batches/{batch.number}/").json()["total"] == "45.50"
    )


def test_only_the_treasurer_makes_a_batch(hood, project_budget):
    expense = approved(hood, claim(hood, project_budget))
    account = bank(hood)
    response = api(hood, "carol").post(
        f"{API}payment-batches/",
        {"bank_account": account.pk, "expenses": [expense.number]},
        format="json",
    )
    assert response.status_code == 403
    assert Expense.objects.get().status == ExpenseStatus.APPROVED
    assert not PaymentBatch.objects.exists()


def test_a_batch_asked_with_too_many_fields_is_refused_and_nothing_written(hood, project_budget):
    account = bank(hood)
    expense = approved(hood, claim(hood, project_budget))
    before = expense_written(hood.cooperative)
    response = api(hood, "dave").post(
        f"{API}payment-batches/",
        {"bank_account": account.pk, "expenses": [expense.number] * 1200},
        format="multipart",
    )
    assert (response.status_code, response.json()["code"]) == (400, "too_many")
    assert response.json()["detail"] == "The request holds too many fields or files."
    assert expense_written(hood.cooperative) == before
    assert not PaymentBatch.objects.exists()
