"""What the tests of matching and booking bank lines on the pages and in the API share: a line
waiting with a suggestion, a line of another cooperative, and the lines page's address."""

from budgets import services
from budgets.models import BankLine, BankLineStatus
from budgets.tests.bank_lines import bank_account, from_funder, import_lines, paying_funder
from budgets.tests.page_helpers import BASE
from budgets.tests.statement_files import camt, line, statement

OTHER_IBAN = "NL20INGB0001234567"


def lines_url(account) -> str:
    return f"{BASE}/money/bank/{account.pk}/"


def waiting_for_stream(hood):
    """A funder's line for more than its stream still expects: matching leaves it waiting with
    the stream as its suggestion. Returns the bank account, the stream and the line."""
    account = bank_account(hood)
    stream = paying_funder(hood, committed="1000")
    (waiting,) = import_lines(hood, from_funder("1500.00"))
    services.match_bank_lines(hood.cooperative, actor=hood.dave)
    waiting.refresh_from_db()
    assert waiting.status == BankLineStatus.MATCHED
    return account, stream, waiting


def line_elsewhere(hood) -> BankLine:
    """A line of another cooperative's bank account, stored by the system."""
    account = services.add_bank_account(hood.other, actor=None, iban=OTHER_IBAN, name="Elders")
    services.import_statement(
        hood.other,
        actor=None,
        data=camt(statement(1, "0", [line("7.00", remittance="Elders")], iban=OTHER_IBAN)),
        file_name="elders.xml",
    )
    return account.lines.get()
