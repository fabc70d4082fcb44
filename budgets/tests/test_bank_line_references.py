"""PostgreSQL checks a bank line's statement and bank account once per statement (migration 0009,
ADR 0067): a line naming a statement that does not exist, or a statement of another bank account,
is refused with the INSERT that wrote it; a line stays on its statement; and a statement with
lines is never deleted or moved to another bank account."""

import pytest
from django.db import IntegrityError, connection, transaction

from budgets import services
from budgets.models import BankLine, BankStatement
from budgets.tests.bank_lines import bank_account, import_lines, other

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lines(hood):
    bank_account(hood)
    return import_lines(hood, other("12.50"), other("-3.00"), other("7.25"))


def _copies(lines, **changes):
    """Unsaved copies of `lines` that differ in their fingerprint, with `changes` made to the
    second copy."""
    copies = []
    for number, line in enumerate(lines):
        copy = BankLine(
            **{
                field.attname: getattr(line, field.attname)
                for field in BankLine._meta.concrete_fields
                if not field.primary_key
            }
        )
        copy.fingerprint = f"copy-{number}"
        copies.append(copy)
    for name, value in changes.items():
        setattr(copies[1], name, value)
    return copies


def _stored():
    return list(BankLine.objects.order_by("pk").values_list("pk", "statement", "bank_account"))


def _refused(message, write):
    before = _stored()
    with pytest.raises(IntegrityError, match=message):
        with transaction.atomic():
            write()
    assert _stored() == before


def test_lines_on_their_own_statement_are_stored(lines):
    BankLine.objects.bulk_create(_copies(lines))
    assert BankLine.objects.count() == 6


def test_it_refuses_whole_an_insert_with_a_line_on_a_statement_that_does_not_exist(lines):
    missing = lines[0].statement_id + 1000
    _refused(
        f"refused: bank statement {missing} does not exist",
        lambda: BankLine.objects.bulk_create(_copies(lines, statement_id=missing)),
    )


def test_it_refuses_whole_an_insert_with_a_line_on_another_accounts_statement(hood, lines):
    savings = services.add_bank_account(
        hood.cooperative, actor=hood.dave, iban="NL39RABO0300065264", name="Spaar"
    )
    _refused(
        f"bank statement {lines[0].statement_id} is of another bank account",
        lambda: BankLine.objects.bulk_create(_copies(lines, bank_account_id=savings.pk)),
    )


def test_a_line_stays_on_its_statement_and_bank_account(hood, lines):
    savings = services.add_bank_account(
        hood.cooperative, actor=hood.dave, iban="NL39RABO0300065264", name="Spaar"
    )
    for change in ({"statement_id": lines[0].statement_id + 1000}, {"bank_account": savings}):
        _refused(
            "stays on its statement and bank account",
            lambda change=change: BankLine.objects.filter(pk=lines[1].pk).update(**change),
        )
    # Saving a line whole writes the same statement and account again: that is no move.
    line = BankLine.objects.get(pk=lines[1].pk)
    line.suggested_reason = "checked"
    line.save()
    assert BankLine.objects.get(pk=line.pk).suggested_reason == "checked"


def test_a_statement_with_lines_is_neither_deleted_nor_moved(hood, lines):
    savings = services.add_bank_account(
        hood.cooperative, actor=hood.dave, iban="NL39RABO0300065264", name="Spaar"
    )
    statement = lines[0].statement_id

    def delete():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM budgets_bankstatement WHERE id = %s", [statement])

    _refused(f"bank statement {statement} has lines", delete)
    _refused(
        f"bank statement {statement} has lines",
        lambda: BankStatement.objects.filter(pk=statement).update(bank_account=savings),
    )
    assert BankStatement.objects.filter(pk=statement, bank_account=lines[0].bank_account).exists()
    # Its other columns are not this rule's business.
    BankStatement.objects.filter(pk=statement).update(statement_id="2026-01 (bank)")
    assert BankStatement.objects.get(pk=statement).statement_id == "2026-01 (bank)"


def test_it_refuses_whole_an_update_that_books_a_line_as_a_transaction_that_does_not_exist(
    lines,
):
    from wijkbv.ledger.models import Transaction

    missing = (Transaction.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    before = list(BankLine.objects.order_by("pk").values_list("status", "booked_transaction"))
    with pytest.raises(IntegrityError, match=f"ledger transaction {missing} does not exist"):
        with transaction.atomic():
            BankLine.objects.filter(pk__in=[line.pk for line in lines]).update(
                status="booked", booked_transaction_id=missing
            )
    assert (
        list(BankLine.objects.order_by("pk").values_list("status", "booked_transaction")) == before
    )
