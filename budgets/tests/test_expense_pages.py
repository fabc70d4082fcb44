"""The expense pages: a member claims money back with a receipt, approvers decide on the
expense's page, the receipt is shown only to those who may see it. Every refusal is shown next
to its field, keeps what was typed, and writes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from budgets import services
from budgets.expenses import receipts
from budgets.models import Expense, ExpenseStatus
from budgets.tests.expense_helpers import (
    ALICE_IBAN,
    approved,
    claim,
    expense_written,
    image_bytes,
    invoice,
    pdf_bytes,
)
from budgets.tests.page_helpers import BASE, client, page

pytestmark = pytest.mark.django_db

MONEY = f"{BASE}/money"


def _form(project_budget, receipt=None, **changes):
    return {
        "budget": project_budget.pk,
        "amount": "45,50",
        "description": "Boodschappen buurtmaaltijd",
        "spent_on": timezone.localdate().isoformat(),
        "payee_iban": "NL02 ABNA 0123 4567 89",
        "receipt": receipt or SimpleUploadedFile("bon.pdf", pdf_bytes(), "application/pdf"),
    } | changes


def test_a_member_claims_money_back(hood, project_budget):
    response = client(hood, "alice").post(f"{MONEY}/expenses/claim/", _form(project_budget))
    expense = Expense.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{MONEY}/expenses/{expense.number}/"
    assert (expense.amount, expense.payee_iban, expense.claimant) == (
        45.50,
        ALICE_IBAN,
        hood.membership("alice"),
    )


def test_the_form_shows_the_projects_by_title(hood, project_budget):
    text = page(client(hood, "alice").get(f"{MONEY}/expenses/claim/"))
    assert "Buurtmaaltijd" in text
    assert 'enctype="multipart/form-data"' in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"receipt": SimpleUploadedFile("bon.pdf", b"just text", "application/pdf")},
            "This file is not a PDF, JPEG or PNG",
        ),
        (
            {"receipt": SimpleUploadedFile("bon.jpg", b"%PDF-" + b"0" * (receipts.MAX_BYTES + 1))},
            "larger than 10 MB",
        ),
        ({"payee_iban": "NL02ABNA0123456780"}, "This is not a valid IBAN"),
        ({"amount": "veel"}, "Fill in an amount in euros and cents"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_written(
    hood, project_budget, changes, message
):
    before = expense_written(hood.cooperative)
    response = client(hood, "alice").post(
        f"{MONEY}/expenses/claim/", _form(project_budget, **changes)
    )
    assert response.status_code == 400
    text = page(response)
    assert message in text
    assert 'class="field has-error"' in text
    assert "Boodschappen buurtmaaltijd" in text  # what was typed stays
    assert expense_written(hood.cooperative) == before


def test_a_resident_does_not_enter_invoices(hood, project_budget):
    assert client(hood, "alice").get(f"{MONEY}/expenses/invoice/").status_code == 403


def test_a_coordinator_enters_an_invoice(hood, project_budget):
    form = _form(
        project_budget,
        supplier_name="Groenteboer De Wit",
        receipt=SimpleUploadedFile("factuur.png", image_bytes(), "image/png"),
    )
    response = client(hood, "bob").post(f"{MONEY}/expenses/invoice/", form)
    assert response.status_code == 302
    assert Expense.objects.get().supplier_name == "Groenteboer De Wit"


def test_residents_see_their_own_expenses_and_the_treasurer_all(hood, project_budget):
    claim(hood, project_budget, by="erin", description="Koffie van erin")
    claim(hood, project_budget, by="alice", description="Thee van alice")
    mine = page(client(hood, "alice").get(f"{MONEY}/expenses/"))
    assert "Thee van alice" in mine and "Koffie van erin" not in mine
    everything = page(client(hood, "dave").get(f"{MONEY}/expenses/"))
    assert "Thee van alice" in everything and "Koffie van erin" in everything


def test_the_list_filters_by_status(hood, project_budget):
    claim(hood, project_budget, description="Nog niet beslist")
    rejected = claim(hood, project_budget, description="Afgewezen bon")
    services.reject_expense(rejected, actor=hood.carol, reason="Nee")
    text = page(client(hood, "dave").get(f"{MONEY}/expenses/?status=rejected"))
    assert "Afgewezen bon" in text and "Nog niet beslist" not in text


def test_another_residents_expense_is_not_found(hood, project_budget):
    expense = claim(hood, project_budget, by="erin")
    assert client(hood, "alice").get(f"{MONEY}/expenses/{expense.number}/").status_code == 404


def test_two_approvers_approve_on_the_page(hood, project_budget):
    expense = claim(hood, project_budget)
    url = f"{MONEY}/expenses/{expense.number}/"
    assert "Approve" in page(client(hood, "dave").get(url))
    assert client(hood, "dave").post(url + "approve/").status_code == 302
    assert client(hood, "bob").post(url + "approve/").status_code == 302
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.APPROVED


def test_approving_twice_is_shown_and_nothing_is_written(hood, project_budget):
    expense = claim(hood, project_budget)
    url = f"{MONEY}/expenses/{expense.number}/approve/"
    client(hood, "dave").post(url)
    before = expense_written(hood.cooperative)
    response = client(hood, "dave").post(url)
    assert response.status_code == 400
    assert "approving twice does not count" in page(response)
    assert expense_written(hood.cooperative) == before


def test_approving_your_own_claim_is_shown_and_nothing_is_written(hood, project_budget):
    expense = claim(hood, project_budget, by="dave")
    before = expense_written(hood.cooperative)
    response = client(hood, "dave").post(f"{MONEY}/expenses/{expense.number}/approve/")
    assert response.status_code == 400
    assert "Nobody approves their own claim" in page(response)
    assert expense_written(hood.cooperative) == before


def test_more_than_the_budget_has_left_is_shown(hood, project_budget):
    approved(hood, invoice(hood, project_budget, amount="2990"), first="carol", second="bob")
    expense = claim(hood, project_budget, amount="20")
    before = expense_written(hood.cooperative)
    response = client(hood, "dave").post(f"{MONEY}/expenses/{expense.number}/approve/")
    assert "not enough money left in the budget of Buurtmaaltijd" in page(response)
    assert expense_written(hood.cooperative) == before


def test_a_reject_needs_a_reason_and_the_claimant_reads_it(hood, project_budget):
    expense = claim(hood, project_budget)
    url = f"{MONEY}/expenses/{expense.number}/"
    before = expense_written(hood.cooperative)
    response = client(hood, "carol").post(url + "reject/", {"reason": ""})
    assert response.status_code == 400
    assert "Write down why" in page(response)
    assert expense_written(hood.cooperative) == before
    client(hood, "carol").post(url + "reject/", {"reason": "Geen bon van deze winkel"})
    assert "Geen bon van deze winkel" in page(client(hood, "alice").get(url))


def test_the_receipt_is_served_to_those_who_may_see_it(hood, project_budget):
    data = pdf_bytes()
    expense = claim(hood, project_budget, receipt=data)
    url = f"{MONEY}/receipts/{expense.receipts.get().pk}/"
    for name in ("alice", "bob", "carol", "dave", "erin"):
        response = client(hood, name).get(url)
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content) == data
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("inline; filename=")
    other = claim(hood, project_budget, by="erin")
    forbidden = f"{MONEY}/receipts/{other.receipts.get().pk}/"
    assert client(hood, "alice").get(forbidden).status_code == 404
    assert client(hood, "frank").get(forbidden).status_code == 404
    assert client(hood, "olivia").get(forbidden).status_code == 403
