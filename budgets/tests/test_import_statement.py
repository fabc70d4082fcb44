import datetime
from decimal import Decimal

import pytest

from budgets import services
from budgets.models import BankLine, BankStatement, StatementImport
from budgets.statements.model import MAX_BYTES, Entry
from budgets.tests.statement_files import DATA, DAY, IBAN, camt, line, many_lines, statement
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.models import Posting

pytestmark = pytest.mark.django_db

NEXT_DAY = DAY + datetime.timedelta(days=1)


@pytest.fixture
def account(hood):
    return services.add_bank_account(hood.cooperative, actor=hood.dave, iban=IBAN, name="Betaal")


def _import(hood, data, *, actor="dave", file_name="afschrift.xml"):
    return services.import_statement(
        hood.cooperative, actor=hood.people[actor], data=data, file_name=file_name
    )


def _written(hood):
    return {
        "events": AuditEvent.objects.filter(cooperative=hood.cooperative).count(),
        "imports": StatementImport.objects.filter(cooperative=hood.cooperative).count(),
        "statements": BankStatement.objects.filter(
            bank_account__cooperative=hood.cooperative
        ).count(),
        "lines": BankLine.objects.filter(bank_account__cooperative=hood.cooperative).count(),
        "postings": Posting.objects.filter(account__cooperative=hood.cooperative).count(),
    }


def _refused(hood, data, message, **options):
    before = _written(hood)
    with pytest.raises(DomainError, match=message) as refusal:
        _import(hood, data, **options)
    assert _written(hood) == before
    return refusal.value


FIRST = statement(1, "100.00", [line("25.50", reference="A-1"), line("-10.00", reference="A-2")])


def test_the_treasurer_imports_a_camt_file_and_nothing_is_booked_yet(hood, account):
    postings = _written(hood)["postings"]
    data = camt(FIRST)
    with captures_events(hood.cooperative) as events:
        record = _import(hood, data)
    assert (record.format, record.line_count, record.file_name) == ("camt053", 2, "afschrift.xml")
    assert record.imported_by == hood.membership("dave")
    lines = list(BankLine.objects.order_by("amount"))
    assert [(x.amount, x.bank_reference, x.status) for x in lines] == [
        (Decimal("-10.00"), "A-2", "unmatched"),
        (Decimal("25.50"), "A-1", "unmatched"),
    ]
    stored = BankStatement.objects.get()
    assert (stored.opening_balance, stored.closing_balance) == (
        Decimal("100.00"),
        Decimal("115.50"),
    )
    assert _written(hood)["postings"] == postings
    import hashlib

    assert_audit_event(
        events,
        action="bank.statement_imported",
        actor=hood.dave,
        subject=record,
        payload={
            "account_iban": IBAN,
            "file_sha256": hashlib.sha256(data).hexdigest(),
            "format": "camt053",
            "statements": 1,
            "statements_already_imported": 0,
            "lines_new": 2,
            "lines_already_imported": 0,
        },
    )


def test_a_bank_file_from_the_fixtures_is_read_to_the_cent(hood, account):
    record = _import(hood, (DATA / "camt053_v02_minimal.xml").read_bytes())
    assert record.line_count == 2
    line = BankLine.objects.get(bank_reference="ABN-0001")
    assert (line.counterparty_name, line.counterparty_iban) == ("J. de Vries", "NL20INGB0001234567")
    assert line.end_to_end_id == "BIJDRAGE-2026-03"


def test_an_mt940_file_with_two_statements_that_follow_on_is_imported(hood, account):
    data = (DATA / "import_mt940_two_statements.sta").read_bytes()
    record = _import(hood, data, file_name="abn.sta")
    assert record.format == "mt940"
    assert record.statements.count() == 2
    assert record.line_count == 3


def test_a_file_of_several_statements_is_checked_statement_by_statement(hood, account):
    second = statement(2, "115.50", [line("4.50", reference="B-1", on=NEXT_DAY)])
    record = _import(hood, camt(FIRST, second))
    assert record.statements.count() == 2
    assert record.line_count == 3


def test_the_next_file_follows_on_from_the_last_statement(hood, account):
    _import(hood, camt(FIRST))
    record = _import(hood, camt(statement(2, "115.50", [line("1.00", on=NEXT_DAY)])))
    assert record.line_count == 1


def test_a_gap_between_statements_is_refused_with_both_balances_and_dates(hood, account):
    _import(hood, camt(FIRST))
    data = camt(statement(3, "140.00", [line("1.00", on=NEXT_DAY)]))
    error = _refused(hood, data, "Statement S-3 opens with")
    assert "€140.00" in error.message or "140,00" in error.message
    assert "S-1" in error.message and "115" in error.message
    assert error.code == "gap"


def test_a_gap_inside_one_file_is_refused_whole(hood, account):
    second = statement(2, "999.00", [line("4.50", on=NEXT_DAY)])
    _refused(hood, camt(FIRST, second), "Statement S-2 opens with")


def test_an_overlapping_statement_stores_only_its_new_lines(hood, account):
    _import(hood, camt(FIRST))
    overlap = statement(
        2,
        "100.00",
        [line("25.50", reference="A-1"), line("-10.00", reference="A-2"), line("3", on=NEXT_DAY)],
        opens=DAY - datetime.timedelta(days=1),
    )
    with captures_events(hood.cooperative) as events:
        record = _import(hood, camt(overlap))
    assert record.line_count == 1
    assert BankLine.objects.count() == 3
    assert events[0].payload["lines_already_imported"] == 2


def test_a_statement_already_imported_in_another_file_is_skipped(hood, account):
    _import(hood, camt(FIRST))
    second = statement(2, "115.50", [line("4.50", on=NEXT_DAY)])
    with captures_events(hood.cooperative) as events:
        record = _import(hood, camt(FIRST, second))
    assert record.line_count == 1
    assert BankStatement.objects.count() == 2
    assert events[0].payload["statements_already_imported"] == 1


def test_two_equal_payments_on_one_day_are_two_lines(hood, account):
    same = statement(1, "0", [line("5.00"), line("5.00")])
    assert _import(hood, camt(same)).line_count == 2


def test_a_line_keeps_the_fingerprint_earlier_imports_gave_it():
    # Stored lines are told apart from new ones by fingerprint: a line read again must get
    # the fingerprint it was stored with, whichever version of the import stored it.
    paid = Entry(
        booking_date=DAY,
        value_date=DAY,
        amount=Decimal("25.5"),
        currency="EUR",
        counterparty_name="J. de Vries",
        counterparty_iban="NL20INGB0001234567",
        remittance="Bijdrage maart",
        end_to_end_id="E2E-1",
        bank_reference="A-1",
    )
    returned = Entry(
        booking_date=DAY, value_date=None, amount=Decimal("-10.00"), currency="EUR", reversal=True
    )

    assert services._fingerprints([paid, returned, paid]) == [
        "25d88eb601782095297e81f4e857aec010386e21a321be7b485180c4c3f6db91",
        "76228c633754ce59594d6e8c78c8de96ebba352801c01dc538ff7fe3306fa38a",
        "c0ecdfa8bc2cdec7f93a9ba910e8faadf9e5e8586837d72e8469d8164abcb168",
    ]


def test_the_same_file_twice_is_refused(hood, account):
    data = camt(FIRST)
    _import(hood, data)
    error = _refused(hood, data, "already been imported")
    assert error.code == "already_imported"


def test_a_file_for_another_iban_is_refused_naming_it(hood, account):
    data = camt(statement(1, "0", [line("1")], iban="NL20INGB0001234567"))
    _refused(hood, data, "file for another IBAN: NL20INGB0001234567")


def test_a_file_of_two_accounts_is_refused(hood, account):
    _refused(hood, (DATA / "camt053_multi.xml").read_bytes(), "more than one account")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("camt053_entity_bomb.xml", "DTD or entities"),
        ("camt053_external_entity.xml", "DTD or entities"),
        ("camt053_bad_balance.xml", "do not add up"),
        ("camt052_report.xml", "not a bank statement"),
        ("pain001_payment.xml", "not an ISO 20022 bank statement|not a bank statement"),
    ],
)
def test_hostile_and_unreadable_files_are_refused(hood, account, name, message):
    _refused(hood, (DATA / name).read_bytes(), message)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"  \r\n", "The file is empty"),
        (b"%PDF-1.7 bankafschrift\n", "not a bank statement we can read"),
        (b"Datum;Bedrag\n2026-03-01;12,00\n", "This is a CSV file. Choose the bank account"),
        (b"<Document><broken", "not readable XML"),
    ],
)
def test_empty_and_unknown_files_are_refused(hood, account, data, message):
    _refused(hood, data, message)


def test_a_file_over_the_size_limit_is_refused(hood, account):
    _refused(hood, b" " * (MAX_BYTES + 1), "larger than 50 MB")


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "frank", "olivia"])
def test_only_the_treasurer_imports(hood, account, name):
    before = _written(hood)
    with pytest.raises(NotAllowed):
        _import(hood, camt(FIRST), actor=name)
    assert _written(hood) == before


def test_a_large_file_is_stored_whole_to_the_cent(hood, account):
    record = _import(hood, many_lines(3000))
    stored = record.statements.get()
    lines = BankLine.objects.filter(statement=stored)
    assert lines.count() == record.line_count == 3000
    total = sum((x.amount for x in lines), Decimal(0))
    assert stored.opening_balance + total == stored.closing_balance


def test_a_statement_without_lines_is_stored_once(hood, account):
    quiet = statement(1, "100.00", [])
    _import(hood, camt(quiet))
    record = _import(hood, camt(quiet, statement(2, "100.00", [line("1", on=DAY)])))
    assert BankStatement.objects.count() == 2
    assert record.line_count == 1
