"""A member claims money back, or an invoice of a supplier is entered: with a receipt whose
content is checked, stored outside the web root, and waiting for two approvals."""

import hashlib

import pytest

from budgets.expenses import receipts
from budgets.models import ExpenseStatus, ReceiptFile
from budgets.tests.expense_helpers import (
    ALICE_IBAN,
    claim,
    expense_written,
    image_bytes,
    invoice,
    pdf_bytes,
)
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_a_member_claims_money_back_with_a_pdf_receipt(hood, project_budget, settings):
    data = pdf_bytes()
    with captures_events(hood.cooperative) as events:
        expense = claim(hood, project_budget, receipt=data)
    assert expense.number == 1
    assert expense.status == ExpenseStatus.SUBMITTED
    assert expense.claimant == hood.membership("alice")
    assert expense.payee_iban == ALICE_IBAN
    (receipt,) = expense.receipts.all()
    assert receipt.content_type == "application/pdf"
    assert receipt.sha256 == hashlib.sha256(data).hexdigest()
    stored = settings.RECEIPTS_ROOT / receipt.stored_name
    assert stored.read_bytes() == data
    assert receipt.stored_name != "bon.pdf" and receipt.stored_name.endswith(".pdf")
    assert_audit_event(
        events,
        action="expense.submitted",
        actor=hood.alice,
        subject=expense,
        payload={
            "number": 1,
            "kind": "claim",
            "budget": project_budget.code,
            "amount": "45.50",
            "currency": "EUR",
            "spent_on": expense.spent_on.isoformat(),
            "claimant": hood.membership("alice").member_number,
            "receipt_sha256": receipt.sha256,
        },
    )


def test_the_treasurer_enters_a_suppliers_invoice_with_a_photo(hood, project_budget):
    expense = invoice(hood, project_budget)
    assert (expense.kind, expense.claimant, expense.supplier_name) == (
        "invoice",
        None,
        "Groenteboer De Wit",
    )
    assert expense.submitted_by == hood.membership("dave")
    assert expense.receipts.get().content_type == "image/jpeg"


def test_a_png_is_a_receipt_too(hood, project_budget):
    expense = claim(hood, project_budget, receipt=image_bytes("PNG"), receipt_name="bon.pdf")
    assert expense.receipts.get().content_type == "image/png"
    assert expense.receipts.get().stored_name.endswith(".png")


def test_numbers_count_up_per_cooperative(hood, project_budget):
    assert [claim(hood, project_budget).number for _ in range(3)] == [1, 2, 3]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"receipt": b"%PDF-1.4 not really a pdf"}, "not a PDF, JPEG or PNG"),
        ({"receipt": b"GIF89a" + b"\0" * 40}, "not a PDF, JPEG or PNG"),
        ({"receipt": b"<html><script>alert(1)</script>", "receipt_name": "bon.jpg"}, "not a PDF"),
        ({"receipt": b""}, "Add a photo or PDF"),
        ({"receipt": b"%PDF-" + b"0" * (receipts.MAX_BYTES + 1)}, "larger than 10 MB"),
        ({"amount": "0"}, "more than zero"),
        ({"amount": "12,345"}, "euros and cents"),
        ({"payee_iban": "NL91ABNA0417164301"}, "not a valid IBAN"),
        ({"payee_iban": ""}, "not a valid IBAN"),
        ({"payee_iban": "BR1500000000000010932840814P2"}, "outside SEPA"),
        ({"description": " "}, "what the money was spent on"),
        ({"spent_on": "2999-01-01"}, "has not come yet"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(hood, project_budget, changes, message):
    before = expense_written(hood.cooperative)
    with pytest.raises(DomainError, match=message):
        claim(hood, project_budget, **changes)
    assert expense_written(hood.cooperative) == before


@pytest.mark.parametrize("other", [None, "stream", "8000"])
def test_a_budget_that_is_not_a_project_budget_is_refused(hood, project_budget, stream, other):
    wrong = stream.account if other == "stream" else other
    before = expense_written(hood.cooperative)
    with pytest.raises(DomainError, match="project budgets"):
        claim(hood, wrong)
    assert expense_written(hood.cooperative) == before


def test_an_invoice_needs_the_suppliers_name(hood, project_budget):
    before = expense_written(hood.cooperative)
    with pytest.raises(DomainError, match="name of the supplier"):
        invoice(hood, project_budget, supplier_name="")
    assert expense_written(hood.cooperative) == before


@pytest.mark.parametrize("name", ["alice", "erin", "frank"])
def test_only_the_treasurer_board_and_coordinators_enter_invoices(hood, project_budget, name):
    before = expense_written(hood.cooperative)
    with pytest.raises(NotAllowed):
        invoice(hood, project_budget, by=name)
    assert expense_written(hood.cooperative) == before


@pytest.mark.parametrize("name", ["frank", "olivia"])
def test_funders_and_outsiders_do_not_claim(hood, project_budget, name):
    with pytest.raises(NotAllowed):
        claim(hood, project_budget, by=name)
    assert not ReceiptFile.objects.exists()
