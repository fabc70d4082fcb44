"""The treasurer pays approved expenses and advances in one batch: one ledger transaction, a
SEPA file with an end-to-end id per item kept on the item, every item paid once."""

import hashlib
import xml.etree.ElementTree as ET

import pytest

from budgets import services
from budgets.models import AdvanceStatus, ExpenseStatus, PaymentBatch
from budgets.sources import credit_balance
from budgets.tests.expense_helpers import (
    ALICE_IBAN,
    COOPERATIVE_IBAN,
    SUPPLIER_IBAN,
    approved,
    ask_advance,
    bank,
    claim,
    expense_written,
    invoice,
    pay,
)
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.models import Posting

pytestmark = pytest.mark.django_db

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def test_one_batch_pays_expenses_and_an_advance(hood, project_budget):
    ours = approved(hood, claim(hood, project_budget, amount="45.50"))
    theirs = approved(
        hood, invoice(hood, project_budget, amount="120.00"), first="carol", second="bob"
    )
    advance = approved(hood, ask_advance(hood, project_budget, amount="100.00"))
    account = bank(hood)
    with captures_events(hood.cooperative) as events:
        batch = pay(hood, expenses=[theirs, ours], advances=[advance], bank_account=account)
    assert (batch.number, batch.item_count, batch.total) == (1, 3, 265.50)
    for item in (ours, theirs, advance):
        item.refresh_from_db()
        assert item.batch == batch
    assert (ours.status, theirs.status, advance.status) == (
        ExpenseStatus.PAID,
        ExpenseStatus.PAID,
        AdvanceStatus.PAID,
    )
    assert ours.end_to_end_id == f"WBV{hood.cooperative.pk}-E1"
    assert theirs.end_to_end_id == f"WBV{hood.cooperative.pk}-E2"
    assert advance.end_to_end_id == f"WBV{hood.cooperative.pk}-A1"
    assert credit_balance(project_budget) == 3000 - 165.50
    postings = {
        p.account.code: p.amount
        for p in Posting.objects.filter(transaction=batch.transaction).select_related("account")
    }
    assert postings == {project_budget.code: 165.50, "1300": 100, "1000": -265.50}
    data = bytes(batch.file)
    assert batch.file_sha256 == hashlib.sha256(data).hexdigest()
    document = ET.fromstring(data)
    paid = {
        tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS): (
            tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS),
            tx.findtext("p:Amt/p:InstdAmt", namespaces=NS),
        )
        for tx in document.iterfind(".//p:CdtTrfTxInf", NS)
    }
    assert paid == {
        ours.end_to_end_id: (ALICE_IBAN, "45.50"),
        theirs.end_to_end_id: (SUPPLIER_IBAN, "120.00"),
        advance.end_to_end_id: (ALICE_IBAN, "100.00"),
    }
    assert document.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == COOPERATIVE_IBAN
    event = assert_audit_event(
        events, action="payment.batch_made", actor=hood.dave, subject=batch.transaction
    )
    assert event.payload["file_sha256"] == batch.file_sha256
    assert [item["end_to_end_id"] for item in event.payload["items"]] == [
        ours.end_to_end_id,
        theirs.end_to_end_id,
        advance.end_to_end_id,
    ]
    assert ALICE_IBAN not in str(event.payload)


def _refused(hood, message, error=DomainError, **options):
    account = options.pop("bank_account", None) or bank(hood)
    before = expense_written(hood.cooperative)
    with pytest.raises(error, match=message):
        pay(hood, bank_account=account, **options)
    assert expense_written(hood.cooperative) == before


def test_paying_an_unapproved_expense_is_refused(hood, project_budget):
    approved_one = approved(hood, claim(hood, project_budget))
    waiting = claim(hood, project_budget)
    services.approve_expense(waiting, actor=hood.dave)
    _refused(
        hood,
        "Expense 2 cannot be paid: it has not been approved by two people",
        expenses=[approved_one, waiting],
    )


def test_paying_twice_is_refused(hood, project_budget):
    expense = approved(hood, claim(hood, project_budget))
    account = bank(hood)
    pay(hood, expenses=[expense], bank_account=account)
    _refused(hood, "Expense 1 has already been paid", expenses=[expense], bank_account=account)


def test_a_rejected_advance_is_not_paid(hood, project_budget):
    advance = ask_advance(hood, project_budget)
    services.reject_advance(advance, actor=hood.carol, reason="Nee")
    _refused(hood, "cannot be paid", advances=[advance])


def test_nothing_to_pay_is_refused(hood, project_budget):
    _refused(hood, "at least one expense or advance")


def test_an_item_chosen_twice_is_refused(hood, project_budget):
    expense = approved(hood, claim(hood, project_budget))
    _refused(hood, "chosen once", expenses=[expense, expense])


def test_a_bank_account_of_another_cooperative_is_refused(hood, project_budget):
    expense = approved(hood, claim(hood, project_budget))
    theirs = services.add_bank_account(
        hood.other, actor=hood.olivia, iban="NL91ABNA0417164300", name="Elders"
    )
    _refused(hood, "bank accounts", expenses=[expense], bank_account=theirs)


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "erin"])
def test_only_the_treasurer_makes_a_batch(hood, project_budget, name):
    expense = approved(hood, claim(hood, project_budget))
    _refused(hood, None, error=NotAllowed, expenses=[expense], actor=name)
    assert not PaymentBatch.objects.exists()
