import pytest

from budgets import services
from budgets.models import BankLineStatus
from budgets.tests.bank_lines import bank_account, import_lines, other, written
from budgets.tests.statement_files import DAY
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.models import Account, AccountType, Posting
from wijkbv.ledger.services import close_period

pytestmark = pytest.mark.django_db


def _income(hood):
    return Account.objects.filter(cooperative=hood.cooperative, type=AccountType.INCOME).first()


def _expense(hood):
    return Account.objects.filter(cooperative=hood.cooperative, type=AccountType.EXPENSE).first()


def test_money_in_goes_from_the_account_to_the_bank_on_the_lines_date(hood):
    bank = bank_account(hood)
    (rent,) = import_lines(hood, other("30.00"))
    income = _income(hood)
    with captures_events(hood.cooperative) as events:
        booked = services.book_bank_line(rent, actor=hood.dave, account=income)
    assert booked.booking_date == DAY
    postings = {p.account_id: p.amount for p in Posting.objects.filter(transaction=booked)}
    assert postings == {bank.ledger_account_id: 30, income.pk: -30}
    rent.refresh_from_db()
    assert (rent.status, rent.booked_transaction) == (BankLineStatus.BOOKED, booked)
    event = assert_audit_event(events, action="bank.line_booked", actor=hood.dave, subject=booked)
    assert event.payload["cause"] == f"budgets.bankline:{rent.pk}"
    assert event.payload["account"] == income.code


def test_money_out_goes_from_the_bank_to_the_account(hood):
    bank = bank_account(hood)
    (paid,) = import_lines(hood, other("-12.50"))
    expense = _expense(hood)
    booked = services.book_bank_line(paid, actor=hood.dave, account=expense, description="Koffie")
    postings = {p.account_id: p.amount for p in Posting.objects.filter(transaction=booked)}
    assert postings == {bank.ledger_account_id: -12.50, expense.pk: 12.50}
    assert booked.description == "Koffie"


def _refused(hood, line, account, message):
    before = written(hood)
    with pytest.raises(DomainError, match=message):
        services.book_bank_line(line, actor=hood.dave, account=account)
    assert written(hood) == before


def test_a_line_booked_already_is_refused(hood):
    bank_account(hood)
    (rent,) = import_lines(hood, other("30.00"))
    services.book_bank_line(rent, actor=hood.dave, account=_income(hood))
    _refused(hood, rent, _income(hood), "already been booked")


def test_the_bank_account_itself_is_refused(hood):
    bank = bank_account(hood)
    (rent,) = import_lines(hood, other("30.00"))
    _refused(hood, rent, bank.ledger_account, "another account than the bank account")


def test_an_account_of_another_cooperative_is_refused(hood):
    bank_account(hood)
    (rent,) = import_lines(hood, other("30.00"))
    account = Account.objects.filter(cooperative=hood.other).order_by("code").first()
    assert account is not None
    _refused(hood, rent, account, "account of this cooperative")
    _refused(hood, rent, "8000", "account of this cooperative")


def test_a_line_in_a_closed_period_is_refused_with_the_ledgers_message(hood):
    bank_account(hood)
    (rent,) = import_lines(hood, other("30.00"))
    close_period(hood.cooperative, actor=hood.dave, until=DAY)
    _refused(hood, rent, _income(hood), "The books are closed up to 2026-03-02")


def test_a_description_too_long_is_refused(hood):
    bank_account(hood)
    (rent,) = import_lines(hood, other("30.00"))
    before = written(hood)
    with pytest.raises(DomainError):
        services.book_bank_line(rent, actor=hood.dave, account=_income(hood), description="x" * 301)
    assert written(hood) == before


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "erin", "frank", "olivia"])
def test_only_the_treasurer_books_a_line(hood, name):
    bank_account(hood)
    (rent,) = import_lines(hood, other("30.00"))
    before = written(hood)
    with pytest.raises(NotAllowed):
        services.book_bank_line(rent, actor=hood.people[name], account=_income(hood))
    assert written(hood) == before
