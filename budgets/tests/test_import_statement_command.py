"""`manage.py import_statement`: the same import from the shell, and a dry run that prints JSON."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from budgets import services
from budgets.models import BankLine, StatementImport
from budgets.tests.statement_files import DATA, IBAN, camt, line, statement
from wijkbv.audit.testing import assert_audit_event, captures_events

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_statement", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def account(hood):
    return services.add_bank_account(hood.cooperative, actor=hood.dave, iban=IBAN, name="Betaal")


def test_a_dry_run_prints_the_statements_as_json_and_writes_nothing(tmp_path):
    out, _err = _run("--dry-run", DATA / "camt053_v02_minimal.xml")
    (read,) = json.loads(out)
    assert (read["account_iban"], read["opening_balance"], read["closing_balance"]) == (
        "NL91ABNA0417164300",
        "100.00",
        "115.50",
    )
    assert read["entries"][0]["amount"] == "25.50"
    assert read["entries"][0]["counterparty_iban"] == "NL20INGB0001234567"
    assert not StatementImport.objects.exists()


def test_it_imports_a_file_as_the_system(hood, account, tmp_path):
    path = tmp_path / "maart.xml"
    path.write_bytes(camt(statement(1, "10", [line("1"), line("2", reference="X")])))
    with captures_events(hood.cooperative) as events:
        _out, err = _run("--cooperative", "teststad", path)
    assert "Stored 2 new line(s) from 1 statement(s)" in err
    record = StatementImport.objects.get()
    assert (record.file_name, record.imported_by) == ("maart.xml", None)
    assert_audit_event(events, action="bank.statement_imported", actor=None, subject=record)


def test_a_refusal_is_an_error_with_the_plain_message_and_nothing_written(hood, account, tmp_path):
    path = tmp_path / "leeg.xml"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="^The file is empty.$"):
        _run("--cooperative", "teststad", path)
    assert not BankLine.objects.exists()


def test_a_hostile_file_is_refused_in_a_dry_run_too():
    with pytest.raises(CommandError, match="DTD or entities"):
        _run("--dry-run", DATA / "camt053_entity_bomb.xml")


def test_an_unknown_cooperative_is_an_error(hood, tmp_path):
    with pytest.raises(CommandError, match="no cooperative with the short name 'nergens'"):
        _run("--cooperative", "nergens", DATA / "camt053_v02_minimal.xml")


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        _run("--dry-run", tmp_path / "er-niet.xml")


# CSV files

CSV = (
    "Datum;Naam;Af Bij;Bedrag;Mededelingen\n"
    "02-03-2026;J. de Vries;Bij;20,00;Aandelen\n"
    "05-03-2026;Bakker;Af;12,50;Koffie\n"
)
COLUMNS = {
    "booking_date": "Datum",
    "amount": "Bedrag",
    "direction": "Af Bij",
    "counterparty_name": "Naam",
    "remittance": ["Mededelingen"],
}


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "maart.csv"
    path.write_text(CSV)
    return path


@pytest.fixture
def columns_file(tmp_path):
    path = tmp_path / "kolommen.json"
    path.write_text(json.dumps(COLUMNS))
    return path


def test_a_csv_file_is_imported_for_its_bank_account_with_the_saved_columns(
    hood, account, csv_file
):
    services.save_csv_mapping(account, actor=hood.dave, mapping=COLUMNS)
    with captures_events(hood.cooperative) as events:
        _out, err = _run(
            "--cooperative", "teststad", "--bank-account", IBAN, "--closing-balance", "107.50",
            csv_file,
        )  # fmt: skip
    assert "Stored 2 new line(s) from 1 statement(s)" in err
    record = StatementImport.objects.get()
    assert record.format == "csv"
    assert_audit_event(events, action="bank.statement_imported", actor=None, subject=record)


def test_columns_given_with_the_import_are_saved_with_it(hood, account, csv_file, columns_file):
    _run(
        "--cooperative", "teststad", "--bank-account", IBAN, "--closing-balance", "107.50",
        "--mapping", columns_file, csv_file,
    )  # fmt: skip
    account.refresh_from_db()
    assert account.csv_mapping["direction"] == "Af Bij"
    assert BankLine.objects.count() == 2


def test_a_dry_run_reads_a_csv_file_with_a_columns_file_and_writes_nothing(csv_file, columns_file):
    out, _err = _run(
        "--dry-run", "--bank-account", IBAN, "--mapping", columns_file,
        "--closing-balance", "107.50", csv_file,
    )  # fmt: skip
    (read,) = json.loads(out)
    assert (read["opening_balance"], read["closing_balance"]) == ("100.00", "107.50")
    assert [entry["amount"] for entry in read["entries"]] == ["20.00", "-12.50"]
    assert not StatementImport.objects.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ((), "This is a CSV file: name its bank account with --bank-account IBAN."),
        (("--bank-account", IBAN), "No CSV columns are saved for this bank account yet"),
        (("--bank-account", "NL20INGB0001234567"), "is not one of the bank accounts of"),
        (
            ("--bank-account", IBAN, "--mapping", "kolommen.json"),
            "fill in the balance your bank shows after the last line",
        ),
    ],
)
def test_a_refused_csv_import_says_why_and_writes_nothing(
    hood, account, csv_file, columns_file, options, message
):
    options = [columns_file if option == "kolommen.json" else option for option in options]
    before = (StatementImport.objects.count(), BankLine.objects.count())
    with pytest.raises(CommandError, match=message):
        _run("--cooperative", "teststad", *options, csv_file)
    account.refresh_from_db()
    assert account.csv_mapping == {}
    assert (StatementImport.objects.count(), BankLine.objects.count()) == before


def test_a_row_that_does_not_read_is_named_and_nothing_is_written(hood, account, tmp_path):
    services.save_csv_mapping(account, actor=hood.dave, mapping=COLUMNS)
    path = tmp_path / "kapot.csv"
    path.write_text(CSV + "07-03-2026;X;Bij;veel;Y\n")
    with pytest.raises(CommandError, match="line 4: The amount veel is not a number."):
        _run("--cooperative", "teststad", "--bank-account", IBAN, "--closing-balance", "1", path)
    assert not BankLine.objects.exists()


def test_a_dry_run_of_a_csv_file_without_columns_is_an_error(csv_file):
    with pytest.raises(CommandError, match="Say which column holds what"):
        _run("--dry-run", "--bank-account", IBAN, csv_file)


def test_a_columns_file_that_is_not_json_is_an_error(csv_file, tmp_path):
    path = tmp_path / "kolommen.json"
    path.write_text("booking_date=Datum")
    with pytest.raises(CommandError, match="kolommen.json is not a JSON file"):
        _run("--dry-run", "--bank-account", IBAN, "--mapping", path, csv_file)


def test_the_import_shows_its_progress_as_a_bar(hood, account, tmp_path, monkeypatch):
    # A small step, so that a file of twelve lines draws the bar more than once.
    monkeypatch.setattr(services, "_PROGRESS_EVERY", 5)
    path = tmp_path / "april.xml"
    path.write_bytes(camt(statement(1, "10", [line(str(n)) for n in range(1, 13)])))
    _out, err = _run("--cooperative", "teststad", path)
    assert "Read 12 line(s)." in err
    steps = [row for row in err.splitlines() if row.startswith("Storing [")]
    assert steps == [
        "Storing [############------------------]  42% 5 of 12 new line(s)",
        "Storing [#########################-----]  83% 10 of 12 new line(s)",
        "Storing [##############################] 100% 12 of 12 new line(s)",
    ]
    assert BankLine.objects.count() == 12


def test_an_import_without_new_lines_still_ends_its_bar(hood, account, tmp_path):
    path = tmp_path / "mei.xml"
    path.write_bytes(camt(statement(1, "10", [line("1")])))
    _run("--cooperative", "teststad", path)
    copy = tmp_path / "mei-again.xml"
    copy.write_bytes(camt(statement(1, "10", [line("1")])) + b"\n")
    _out, err = _run("--cooperative", "teststad", copy)
    assert "Storing [##############################] 100% 0 of 0 new line(s)" in err
