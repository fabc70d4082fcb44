"""Approvals and payment batches racing on the real PostgreSQL server: the last money of a
budget is approved once, and items picked by many batches at once are paid once."""

from collections import Counter

import pytest

from budgets import services
from budgets.expenses import selectors
from budgets.models import AdvanceStatus, Expense, ExpenseStatus, PaymentBatch
from budgets.sources import credit_balance
from budgets.tests.expense_helpers import approved, ask_advance, bank, claim, invoice
from wijkbv.audit.chain import verify_chain
from wijkbv.audit.models import AuditEvent
from wijkbv.ledger.models import Transaction
from wijkbv.racing import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BATCH_RACERS = 12


def test_two_approvers_of_the_last_money_never_overspend_the_budget(hood, project_budget):
    approved(hood, invoice(hood, project_budget, amount="2900"), first="carol", second="bob")
    first = claim(hood, project_budget, amount="60")
    second = claim(hood, project_budget, amount="60")
    services.approve_expense(first, actor=hood.dave)
    services.approve_expense(second, actor=hood.dave)
    approvers = [(first, hood.carol), (second, hood.bob)]

    def approve(number):
        expense, person = approvers[number]
        services.approve_expense(expense, actor=person)

    refused, failures = race(approve, 2)
    assert failures == []
    assert refused == Counter({"not_enough_money": 1})
    assert Expense.objects.filter(status=ExpenseStatus.APPROVED).count() == 2  # invoice + one
    assert selectors.committed(project_budget) <= credit_balance(project_budget)
    assert verify_chain(hood.cooperative).broken is None


def test_batches_of_the_same_items_made_at_once_pay_each_item_once(hood, project_budget):
    expenses = [approved(hood, claim(hood, project_budget, amount="10")) for _ in range(3)]
    advance = approved(hood, ask_advance(hood, project_budget, amount="50"))
    account = bank(hood)
    transactions = Transaction.objects.count()

    def make_batch(number):
        services.make_payment_batch(
            hood.cooperative,
            actor=hood.dave,
            bank_account=account,
            expenses=expenses,
            advances=[advance],
        )

    refused, failures = race(make_batch, BATCH_RACERS)
    assert failures == []
    assert refused == Counter({"already_paid": BATCH_RACERS - 1})
    (batch,) = PaymentBatch.objects.all()
    assert Transaction.objects.count() == transactions + 1
    assert set(Expense.objects.values_list("status", "batch")) == {(ExpenseStatus.PAID, batch.pk)}
    advance.refresh_from_db()
    assert (advance.status, advance.batch) == (AdvanceStatus.PAID, batch)
    assert credit_balance(project_budget) == 3000 - 30
    assert AuditEvent.objects.filter(action="payment.batch_made").count() == 1
    assert verify_chain(hood.cooperative).broken is None
