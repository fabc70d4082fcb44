"""A paid item is reconciled with the bank line that shows its payment: same bank account,
its end-to-end id and its amount out."""

import pytest

from budgets import services
from budgets.models import BankLine, ExpenseStatus
from budgets.tests.expense_helpers import (
    COOPERATIVE_IBAN,
    approved,
    ask_advance,
    claim,
    expense_written,
    pay,
)
from budgets.tests.statement_files import camt, line, statement
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def _line(hood, amount, end_to_end_id):
    services.import_statement(
        hood.cooperative,
        actor=hood.dave,
        data=camt(statement(1, "1000.00", [line(amount)], iban=COOPERATIVE_IBAN)),
        file_name="afschrift.xml",
    )
    found = BankLine.objects.get()
    # The test statements carry no end-to-end id; the bank's statement would.
    BankLine.objects.filter(pk=found.pk).update(end_to_end_id=end_to_end_id)
    found.refresh_from_db()
    return found


@pytest.fixture
def paid(hood, project_budget):
    expense = approved(hood, claim(hood, project_budget, amount="45.50"))
    pay(hood, expenses=[expense])
    expense.refresh_from_db()
    return expense


def test_a_paid_expense_is_reconciled_with_its_line(hood, paid):
    found = _line(hood, "-45.50", paid.end_to_end_id)
    with captures_events(hood.cooperative) as events:
        services.reconcile_payment(paid, actor=hood.dave, line=found)
    paid.refresh_from_db()
    assert (paid.status, paid.reconciled_line) == (ExpenseStatus.RECONCILED, found)
    assert_audit_event(
        events,
        action="payment.reconciled",
        actor=hood.dave,
        subject=paid,
        payload={"end_to_end_id": paid.end_to_end_id, "line": found.pk, "batch": 1},
    )


def test_a_paid_advance_is_reconciled_too(hood, project_budget):
    advance = approved(hood, ask_advance(hood, project_budget))
    pay(hood, advances=[advance])
    advance.refresh_from_db()
    found = _line(hood, "-100.00", advance.end_to_end_id)
    services.reconcile_payment(advance, actor=hood.dave, line=found)
    advance.refresh_from_db()
    assert advance.reconciled_line == found


def _refused(hood, item, found, message, error=DomainError, actor="dave"):
    before = expense_written(hood.cooperative)
    with pytest.raises(error, match=message):
        services.reconcile_payment(item, actor=hood.people[actor], line=found)
    assert expense_written(hood.cooperative) == before


def test_another_amount_is_refused(hood, paid):
    _refused(hood, paid, _line(hood, "-45.00", paid.end_to_end_id), "not the payment")


def test_another_id_is_refused(hood, paid):
    _refused(hood, paid, _line(hood, "-45.50", "WBV0-E9"), "not the payment")


def test_twice_is_refused(hood, paid):
    found = _line(hood, "-45.50", paid.end_to_end_id)
    services.reconcile_payment(paid, actor=hood.dave, line=found)
    _refused(hood, paid, found, "already been found")


def test_an_unpaid_expense_is_refused(hood, project_budget, paid):
    other = claim(hood, project_budget)
    _refused(hood, other, _line(hood, "-45.50", paid.end_to_end_id), "not been paid")


def test_only_the_treasurer_reconciles(hood, paid):
    _refused(hood, paid, _line(hood, "-45.50", paid.end_to_end_id), None, NotAllowed, "carol")
