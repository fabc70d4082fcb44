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
