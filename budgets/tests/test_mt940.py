"""MT940 files: our own fixtures read to the value, the Dutch banks' samples, and bad files refused."""

import datetime
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from budgets.statements import mt940
from budgets.statements.model import StatementError

DATA = Path(__file__).parent / "data" / "statements"
SAMPLES = (
    Path(
        os.environ.get("WIJKBV_SAMPLES", Path(__file__).resolve().parents[3] / "shared" / "samples")
    )
    / "mt940"
)
needs_samples = pytest.mark.skipif(not SAMPLES.exists(), reason="no MT940 sample files here")

GOOD = b""":20:REF1
:25:NL20INGB0001234567
:28C:1
:60F:C270101EUR100,00
:61:2701020102D25,50NTRFNONREF
:86:Koffie
:62F:C270102EUR74,50
"""


def _refusal(data, **options):
    with pytest.raises(StatementError) as caught:
        mt940.parse(data, **options)
    return caught.value


def test_it_imports_without_django():
    code = "import sys, budgets.statements.mt940; print('django' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_it_reads_the_ing_sepa_dialect():
    (statement,) = mt940.parse((DATA / "mt940_ing_sepa.sta").read_bytes())
    assert statement.account_iban == "NL20INGB0001234567"
    assert statement.currency == "EUR"
    assert statement.statement_id == "P261231000000001/00000"
    assert statement.opening_balance == Decimal("1250.00")
    assert statement.opening_date == datetime.date(2026, 12, 31)
    assert statement.closing_balance == Decimal("1316.50")
    assert statement.closing_date == datetime.date(2027, 1, 3)
    gift, coffee, returned = statement.entries
    assert gift.amount == Decimal("75.00")
    assert gift.counterparty_iban == "NL91ABNA0417164300"
    assert gift.counterparty_name == "Stichting Buurtfonds Zuid"
    assert gift.remittance == "Bijdrage buurtmaaltijd december"
    assert gift.end_to_end_id == "WIJK-2026-0042"
    assert gift.bank_reference == "A2612310001"
    assert coffee.amount == Decimal("-20.50")
    assert coffee.remittance == "Koffie vergadering"
    assert coffee.end_to_end_id == ""
    assert returned.remittance == "1234567890123456"


def test_it_takes_the_booking_date_from_the_year_before_across_new_year():
    gift = mt940.parse((DATA / "mt940_ing_sepa.sta").read_bytes())[0].entries[0]
    assert gift.value_date == datetime.date(2027, 1, 2)
    assert gift.booking_date == datetime.date(2026, 12, 31)


def test_it_reads_windows_1252_text():
    coffee = mt940.parse((DATA / "mt940_ing_sepa.sta").read_bytes())[0].entries[1]
    assert coffee.counterparty_name == "Café de Hoek"


def test_it_signs_a_reversed_debit_as_money_in():
    returned = mt940.parse((DATA / "mt940_ing_sepa.sta").read_bytes())[0].entries[2]
    assert returned.reversal is True
    assert returned.amount == Decimal("12.00")


def test_it_reads_several_abn_amro_statements_in_swift_envelopes():
    first, second = mt940.parse((DATA / "mt940_abnamro_sepa.sta").read_bytes())
    assert [first.statement_id, second.statement_id] == [
        "ABN AMRO BANK NV/101/1",
        "ABN AMRO BANK NV/102/1",
    ]
    grant, shop = first.entries
    assert grant.counterparty_iban == "NL39RABO0300065264"
    assert grant.counterparty_name == "GEMEENTE VOORBEELD"
    assert grant.remittance == "SUBSIDIE BUURTKAMER 2027"
    assert grant.end_to_end_id == "SUB-77-2027"
    assert shop.remittance == "BEA NR:AB12CD 02.03.27/10.15 BOUWMARKT ZUID,PAS001"
    (advance,) = second.entries
    assert advance.amount == Decimal("-150")
    assert advance.counterparty_name == "J DE VRIES"
    assert second.closing_balance == Decimal("1307.65")


def test_it_refuses_an_empty_file():
    assert _refusal(b"").message == "The file holds no MT940 statement."


def test_it_refuses_binary_junk():
    assert _refusal(bytes(range(256)) * 10).message == "The file is not a text file."


def test_it_refuses_text_that_is_no_statement():
    assert _refusal(b"\xff\xfehello\nworld").message == "The file holds no MT940 statement."


def test_it_refuses_a_truncated_file():
    error = _refusal(GOOD[: GOOD.index(b":62F:")])
    assert error.message == "The file ends before the closing balance of the last statement."
    assert error.line == 1


def test_it_refuses_balances_that_do_not_add_up_with_the_line():
    error = _refusal(GOOD.replace(b"C270102EUR74,50", b"C270102EUR75,50"))
    assert error.line == 7
    assert error.params == {
        "opening": Decimal("100.00"),
        "moved": Decimal("-25.50"),
        "closing": Decimal("75.50"),
    }


def test_it_refuses_a_file_over_the_size_limit_before_reading_it():
    error = _refusal(GOOD * 100, max_bytes=1024)
    assert error.text() == "The file is larger than 1 kB; a bank statement is never this big."


def test_it_refuses_a_broken_entry_line_with_its_line():
    error = _refusal(GOOD.replace(b"2701020102D25,50", b"27010201XX25,50"))
    assert error.message == "The entry %(value)s is not a valid MT940 entry line."
    assert error.line == 5


def test_it_refuses_a_date_that_does_not_exist():
    error = _refusal(GOOD.replace(b"C270101EUR", b"C270231EUR"))
    assert error.message == "The date %(value)s does not exist."
    assert error.line == 4


def test_it_refuses_a_field_before_the_first_reference():
    error = _refusal(GOOD.replace(b":20:REF1\n", b""))
    assert error.message == "The field :%(tag)s: comes before the first statement reference :20:."


def test_it_refuses_a_statement_without_opening_balance():
    error = _refusal(GOOD.replace(b":60F:C270101EUR100,00\n", b"").replace(b":61:", b":99:"))
    assert error.message == "The statement has no opening balance :60F:."


def test_it_refuses_a_closing_balance_in_another_currency():
    error = _refusal(GOOD.replace(b"C270102EUR74,50", b"C270102USD74,50"))
    assert error.params == {"closing": "USD", "opening": "EUR"}


# The samples Dutch banks published: what each holds, checked by reading the file.


def _read(name):
    return [statement for statement, _line in mt940.read((SAMPLES / name).read_bytes())]


@needs_samples
def test_it_reads_the_asn_sample():
    statements = mt940.parse((SAMPLES / "asn.sta").read_bytes())
    assert {s.account_iban for s in statements} == {"NL81ASNB9999999999"}
    assert statements[0].opening_balance == Decimal("444.29")
    assert statements[-1].closing_balance == Decimal("501.23")
    paid = statements[0].entries[0]
    assert paid.amount == Decimal("-65.00")
    assert paid.counterparty_iban == "NL47INGB9999999999"
    assert paid.counterparty_name == "hr gjlm paulissen"
    assert paid.remittance == "Betaling sieraden"


@needs_samples
def test_it_reads_the_sns_sample():
    first, second = mt940.parse((SAMPLES / "sns.sta").read_bytes())
    assert first.account_iban == "0123456789"
    assert [e.amount for e in first.entries] == [Decimal("-20.00"), Decimal("-5.00")]
    assert first.entries[0].counterparty_name == "marechal s"
    assert first.entries[0].remittance == "dit is een test"
    assert first.entries[0].booking_date == datetime.date(2012, 6, 8)
    assert first.entries[0].value_date == datetime.date(2012, 6, 7)
    assert second.closing_balance == Decimal("1209.56")


@needs_samples
def test_it_reads_the_rabobank_iban_sample():
    first, second = mt940.parse((SAMPLES / "rabobank-iban.sta").read_bytes())
    assert first.account_iban == "NL71RABO0123456789"
    assert (first.opening_balance, second.closing_balance) == (
        Decimal("1000.00"),
        Decimal("930.00"),
    )
    wrapped, named = first.entries
    assert wrapped.counterparty_iban == "NL70ABNA0987654321"
    assert wrapped.counterparty_name == "CONTRA ACCOUNT HOLDER"
    assert named.counterparty_name == "JOHN DOE"
    assert named.remittance == "Reference 201301234"


@needs_samples
@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("abnamro.sta", 27),
        ("ing.sta", 26),
        ("knab.sta", 20),
        ("rabobank.sta", 11),
        ("triodos.sta", 12),
    ],
)
def test_it_refuses_the_samples_whose_balances_do_not_add_up(name, line):
    error = _refusal((SAMPLES / name).read_bytes())
    assert error.message.startswith("The opening balance %(opening)s")
    assert error.line == line


@needs_samples
def test_it_reads_the_abn_amro_sample_free_text():
    first, _second = _read("abnamro.sta")
    assert first.account_iban == "517852257"
    assert len(first.entries) == 8
    assert first.entries[0].amount == Decimal("-9.00")
    assert first.entries[0].remittance.startswith("GIRO 428428 KPN - DIGITENNE")


@needs_samples
def test_it_reads_the_ing_sample_old_dialect():
    (statement,) = _read("ing.sta")
    assert statement.account_iban == "0001234567"
    assert len(statement.entries) == 7
    assert statement.entries[-1].amount == Decimal("1.00")
    assert statement.entries[-1].remittance.endswith("Betaling transactiedatum: 22-07-2010")


@needs_samples
def test_it_reads_the_knab_sample_counterparty():
    _first, second = _read("knab.sta")
    invoice = second.entries[0]
    assert invoice.amount == Decimal("-7260.00")
    assert invoice.counterparty_iban == "NL65INGB0123456789"
    assert invoice.counterparty_name == "PICQER"
    assert invoice.bank_reference == "B4G29PGCVO7Q06US"


@needs_samples
def test_it_reads_the_rabobank_old_sample_counterparty_from_the_reference():
    statements = _read("rabobank.sta")
    assert [s.account_iban for s in statements] == ["1291.99.348"] * 3 + ["1526.89.184"]
    returned = statements[0].entries[0]
    assert returned.counterparty_iban == "0121470966"
    assert returned.counterparty_name == "W.P. Jansen"
    assert returned.remittance == (
        "Terugboeking NIET AKKOORD MET AFSCHRIJVING KOSTEN KINDEROPVANG JUNI 20095731"
    )


@needs_samples
def test_it_reads_the_triodos_sample_codes():
    (statement,) = _read("triodos.sta")
    assert statement.account_iban == "0390123456"
    rent = statement.entries[1]
    assert rent.amount == Decimal("-700.00")
    assert rent.counterparty_iban == "0133967858"
    assert rent.remittance == "HUUR KANTOOR - FEB 2010"
