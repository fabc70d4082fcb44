"""Importing a bank's CSV export: read with the columns saved on the bank account, one statement
from its first to its last line, its opening balance taken from the closing balance the
treasurer fills in (or from the file's balance column), following on from the statement
before it. Every refusal says why and writes nothing."""

import pytest

from budgets import services
from budgets.models import BankLine, BankStatement, StatementImport
from budgets.tests.bank_lines import bank_account
from budgets.tests.statement_files import IBAN, camt, line, statement
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError

pytestmark = pytest.mark.django_db

MAPPING = {
    "booking_date": "Datum",
    "amount": "Bedrag",
    "direction": "Af Bij",
    "counterparty_name": "Naam",
    "counterparty_iban": "Tegenrekening",
    "remittance": ["Mededelingen"],
}
HEADER = "Datum;Naam;Tegenrekening;Af Bij;Bedrag;Mededelingen\n"
MARCH = (
    HEADER
    + "02-03-2026;J. de Vries;NL20INGB0001234567;Bij;20,00;Aandelen\n"
    + "05-03-2026;Bakker;NL20INGB0001234567;Af;12,50;Koffie\n"
).encode()


def _ready(hood, mapping=MAPPING):
    account = bank_account(hood)
    if mapping:
        services.save_csv_mapping(account, actor=hood.dave, mapping=mapping)
    return account


def _import(hood, account, data=MARCH, closing="107.50", name="maart.csv"):
    return services.import_statement(
        hood.cooperative,
        actor=hood.dave,
        data=data,
        file_name=name,
        bank_account=account,
        closing_balance=closing,
    )


def written():
    return (
        StatementImport.objects.count(),
        BankStatement.objects.count(),
        BankLine.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_csv_file_is_imported_with_the_saved_columns_and_the_closing_balance(hood):
    account = _ready(hood)
    with captures_events(hood.cooperative) as events:
        record = _import(hood, account)
    statement = BankStatement.objects.get()
    assert (statement.opening_balance, statement.closing_balance) == (100, 107.5)
    assert (str(statement.opening_date), str(statement.closing_date)) == (
        "2026-03-02",
        "2026-03-05",
    )
    lines = list(BankLine.objects.order_by("booking_date").values_list("amount", "remittance"))
    assert [(str(amount), text) for amount, text in lines] == [
        ("20.00", "Aandelen"),
        ("-12.50", "Koffie"),
    ]
    assert_audit_event(
        events,
        action="bank.statement_imported",
        actor=hood.dave,
        subject=record,
        payload={
            "account_iban": IBAN,
            "file_sha256": record.file_sha256,
            "format": "csv",
            "statements": 1,
            "statements_already_imported": 0,
            "lines_new": 2,
            "lines_already_imported": 0,
        },
    )


def test_the_next_csv_file_must_follow_on_from_the_last(hood):
    account = _ready(hood)
    _import(hood, account)
    april = (HEADER + "01-04-2026;Gemeente;NL20INGB0001234567;Bij;50,00;Subsidie\n").encode()
    before = written()
    with pytest.raises(DomainError, match="A statement is missing in between"):
        _import(hood, account, april, closing="200.00", name="april.csv")
    assert written() == before
    _import(hood, account, april, closing="157.50", name="april.csv")
    assert BankLine.objects.count() == 3


def test_a_balance_column_gives_the_balances(hood):
    account = _ready(hood, MAPPING | {"balance_after": "Saldo"})
    data = (
        b"Datum;Naam;Tegenrekening;Af Bij;Bedrag;Mededelingen;Saldo\n"
        b"02-03-2026;J. de Vries;;Bij;20,00;Aandelen;120,00\n"
    )
    _import(hood, account, data, closing="")
    statement = BankStatement.objects.get()
    assert (statement.opening_balance, statement.closing_balance) == (100, 120)


@pytest.mark.parametrize(
    ("data", "closing", "message"),
    [
        (MARCH, "", "fill in the balance your bank shows after the last line"),
        (MARCH, "12,345", "Fill in the balance in euros and cents"),
        (
            (HEADER + "02-03-2026;X;;Bij;twintig;Aandelen\n").encode(),
            "1.00",
            "line 2: The amount twintig is not a number.",
        ),
        (
            (HEADER + "2026-03-02;X;;Bij;20,00;Aandelen\n").encode(),
            "1.00",
            "line 2: The date 2026-03-02 is not a date",
        ),
        (b"Datum;Bedrag\n02-03-2026;20,00\n", "1.00", "The file has no column Af Bij."),
        (HEADER.encode(), "1.00", "The file holds no bank lines."),
    ],
)
def test_bad_csv_input_is_refused_with_the_reason_and_nothing_is_written(
    hood, data, closing, message
):
    account = _ready(hood)
    before = written()
    with pytest.raises(DomainError, match=message):
        _import(hood, account, data, closing=closing)
    assert written() == before


def test_a_csv_file_for_an_account_without_saved_columns_is_refused(hood):
    account = _ready(hood, mapping=None)
    before = written()
    with pytest.raises(DomainError, match="No CSV columns are saved for this bank account"):
        _import(hood, account)
    assert written() == before


def test_a_balance_column_that_disagrees_with_the_filled_in_balance_is_refused(hood):
    account = _ready(hood, MAPPING | {"balance_after": "Saldo"})
    data = (
        b"Datum;Naam;Tegenrekening;Af Bij;Bedrag;Mededelingen;Saldo\n"
        b"02-03-2026;J. de Vries;;Bij;20,00;Aandelen;120,00\n"
    )
    before = written()
    with pytest.raises(DomainError, match="ends with a balance of"):
        _import(hood, account, data, closing="121.00")
    assert written() == before


def test_a_closing_balance_beyond_what_can_be_stored_is_refused(hood):
    account = _ready(hood)
    before = written()
    with pytest.raises(DomainError, match="Fill in the balance in euros and cents"):
        _import(hood, account, closing="1e30")
    assert written() == before


def test_a_bank_account_of_another_cooperative_is_refused(hood):
    _ready(hood)
    other = services.add_bank_account(
        hood.other, actor=None, iban="NL20INGB0001234567", name="Elders"
    )
    before = written()
    with pytest.raises(DomainError, match="Choose one of this cooperative's bank accounts."):
        _import(hood, other)
    assert written() == before


def test_a_camt_file_for_another_account_than_the_chosen_one_is_refused(hood):
    _ready(hood)
    other = services.add_bank_account(
        hood.cooperative, actor=hood.dave, iban="NL20INGB0001234567", name="Spaar"
    )
    before = written()
    with pytest.raises(DomainError, match="This file is for account NL91ABNA0417164300, not for"):
        _import(hood, other, camt(statement(1, "100.00", [line("1.00")])), name="s.xml")
    assert written() == before


def test_a_camt_file_with_its_own_account_chosen_is_imported_as_camt(hood):
    account = _ready(hood)
    record = _import(hood, account, camt(statement(1, "100.00", [line("1.00")])), closing="")
    assert (record.format, record.bank_account) == ("camt053", account)
