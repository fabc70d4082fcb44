"""A month of the treasurer's work on expenses, from claim to statement: alice claims money
back and asks for an advance, two people approve each, dave pays them in one batch, the bank's
CAMT.053 statement shows both payments with their end-to-end ids, and after the import the
matching finds them: both reconciled, the statement lines booked as the batch."""

import pytest

from budgets import services
from budgets.models import AdvanceStatus, BankLine, BankLineStatus, ExpenseStatus
from budgets.tests.expense_helpers import COOPERATIVE_IBAN, ask_advance, bank, claim
from budgets.tests.statement_files import camt, line, statement
from wijkbv.audit.models import AuditEvent
from wijkbv.ledger.models import Posting
from wijkbv.testing import today

pytestmark = pytest.mark.django_db


def test_claims_paid_in_a_batch_are_reconciled_from_the_banks_statement(hood, project_budget):
    expense = claim(hood, project_budget, amount="45.50")
    advance = ask_advance(hood, project_budget, amount="80.00")
    for item, approve in ((expense, services.approve_expense), (advance, services.approve_advance)):
        approve(item, actor=hood.dave)
        approve(item, actor=hood.carol)
    batch = services.make_payment_batch(
        hood.cooperative,
        actor=hood.dave,
        bank_account=bank(hood),
        expenses=[expense],
        advances=[advance],
    )
    expense.refresh_from_db()
    advance.refresh_from_db()
    bank_postings = Posting.objects.filter(account=batch.bank_account.ledger_account).count()

    data = camt(
        statement(
            1,
            "500.00",
            [
                line(
                    "-45.50",
                    name="A. Jansen",
                    iban=expense.payee_iban,
                    remittance="Expense 1 Boodschappen buurtmaaltijd",
                    end_to_end=expense.end_to_end_id,
                    on=today(),
                ),
                line(
                    "-80.00",
                    name="A. Jansen",
                    iban=advance.payee_iban,
                    remittance="Advance 1",
                    end_to_end=advance.end_to_end_id,
                    on=today(),
                ),
                line("250.00", name="Gemeente", remittance="Subsidie", on=today()),
            ],
            iban=COOPERATIVE_IBAN,
        )
    )
    services.import_statement(hood.cooperative, actor=hood.dave, data=data, file_name="camt053.xml")
    result = services.match_bank_lines(hood.cooperative, actor=hood.dave)

    assert result == {"lines": 3, "booked": 2, "suggested": 0}
    expense.refresh_from_db()
    advance.refresh_from_db()
    out_expense, out_advance, subsidy = BankLine.objects.order_by("pk")
    assert (expense.status, expense.reconciled_line) == (ExpenseStatus.RECONCILED, out_expense)
    assert (advance.status, advance.reconciled_line) == (AdvanceStatus.PAID, out_advance)
    for paid in (out_expense, out_advance):
        assert (paid.status, paid.booked_transaction) == (BankLineStatus.BOOKED, batch.transaction)
    assert subsidy.status == BankLineStatus.UNMATCHED
    # The batch booked the money out once; finding it on the statement books nothing more.
    assert Posting.objects.filter(account=batch.bank_account.ledger_account).count() == (
        bank_postings
    )
    assert AuditEvent.objects.filter(action="payment.reconciled").count() == 2
