"""What the tests of expenses, advances and payment batches share: a project with a budget of
€ 3.000 (proposed by bob, so he is its lead), receipt files made on the spot, a bank account to
pay from, and the counts a refused decision must leave as they were."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from budgets import services
from budgets.models import Advance, Expense, PaymentBatch, ReceiptFile
from wijkbv.audit.models import AuditEvent
from wijkbv.ledger.models import Posting

IBAN = "NL91ABNA0417164300"
ALICE_IBAN = "NL02ABNA0123456789"
SUPPLIER_IBAN = "NL44RABO0123456789"
COOPERATIVE_IBAN = "NL69INGB0123456789"


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(kind="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(out, format=kind)
    return out.getvalue()


@pytest.fixture(autouse=True)
def receipts_in_tmp(settings, tmp_path):
    settings.RECEIPTS_ROOT = tmp_path / "receipts"


def adopt(hood, stream, title="Buurtmaaltijd", amount="3000", by="bob"):
    """An adopted proposal with its budget account, proposed by `by` (the project's lead)."""
    # Imported here: budgets/tests/conftest.py imports this module's fixtures.
    from budgets.tests.conftest import eligible, end, open_yes_no

    proposal = eligible(hood, stream, title, amount, by=by)
    vote = open_yes_no(hood, proposal, stream)
    services.cast_ballot(vote, actor=hood.alice, choice="yes")
    services.close_vote(end(vote), actor=hood.carol)
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def project(hood, stream):
    return adopt(hood, stream)


@pytest.fixture
def project_budget(project):
    return project.budget_account


def claim(hood, budget, *, by="alice", amount="45.50", receipt=None, **changes):
    fields = {
        "budget": budget,
        "amount": amount,
        "description": "Boodschappen buurtmaaltijd",
        "spent_on": timezone.localdate() - datetime.timedelta(days=1),
        "receipt": pdf_bytes() if receipt is None else receipt,
        "receipt_name": "bon.pdf",
        "payee_iban": ALICE_IBAN,
    } | changes
    return services.submit_expense(hood.cooperative, actor=hood.people[by], **fields)


def invoice(hood, budget, *, by="dave", amount="120.00", **changes):
    fields = {
        "kind": "invoice",
        "supplier_name": "Groenteboer De Wit",
        "budget": budget,
        "amount": amount,
        "description": "Groente",
        "spent_on": timezone.localdate(),
        "receipt": image_bytes("JPEG"),
        "receipt_name": "factuur.jpg",
        "payee_iban": SUPPLIER_IBAN,
    } | changes
    return services.submit_expense(hood.cooperative, actor=hood.people[by], **fields)


def approved(hood, item, first="dave", second="carol"):
    approve = services.approve_expense if isinstance(item, Expense) else services.approve_advance
    approve(item, actor=hood.people[first])
    return approve(item, actor=hood.people[second])


def ask_advance(hood, project_budget=None, *, by="alice", amount="100.00", **changes):
    fields = {
        "budget": project_budget,
        "amount": amount,
        "purpose": "Boodschappen voor de buurtmaaltijd",
        "payee_iban": ALICE_IBAN,
    } | changes
    return services.request_advance(hood.cooperative, actor=hood.people[by], **fields)


def bank(hood):
    return services.add_bank_account(
        hood.cooperative, actor=hood.dave, iban=COOPERATIVE_IBAN, name="Betaalrekening"
    )


def pay(hood, *, expenses=(), advances=(), bank_account=None, actor="dave"):
    return services.make_payment_batch(
        hood.cooperative,
        actor=hood.people[actor],
        bank_account=bank_account or bank(hood),
        expenses=expenses,
        advances=advances,
    )


def expense_written(cooperative) -> dict:
    """Every row an expense decision may write or change, the files kept, and the events."""
    from django.conf import settings

    folder = settings.RECEIPTS_ROOT
    return {
        "events": AuditEvent.objects.filter(cooperative=cooperative).count(),
        "expenses": list(
            Expense.objects.filter(cooperative=cooperative)
            .order_by("number")
            .values_list(
                "number", "status", "first_approver", "second_approver", "batch", "end_to_end_id"
            )
        ),
        "advances": list(
            Advance.objects.filter(cooperative=cooperative)
            .order_by("number")
            .values_list("number", "status", "first_approver", "second_approver", "batch", "spent")
        ),
        "batches": PaymentBatch.objects.filter(cooperative=cooperative).count(),
        "receipts": ReceiptFile.objects.filter(cooperative=cooperative).count(),
        "files": sorted(p.name for p in folder.iterdir()) if folder.exists() else [],
        "postings": Posting.objects.filter(account__cooperative=cooperative).count(),
    }
