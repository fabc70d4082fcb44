"""CAMT.053 statements: read whole with the values the bank sent, or refused with the reason."""

import datetime
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from budgets.statements import camt053, model
from budgets.statements.model import StatementError

DATA = Path(__file__).parent / "data" / "statements"
SAMPLES = Path(
    os.environ.get("WIJKBV_SAMPLES", Path(__file__).resolve().parents[3] / "shared" / "samples")
)
CAMT_SAMPLES = SAMPLES / "camt053"
needs_samples = pytest.mark.skipif(
    not CAMT_SAMPLES.exists(), reason="the real camt.053 sample files are not on this machine"
)


def _parse(name, **options):
    return camt053.parse((DATA / name).read_bytes(), **options)


def _refusal(data, **options):
    with pytest.raises(StatementError) as raised:
        camt053.parse(data, **options)
    return raised.value


def test_it_imports_without_django():
    code = "import sys, budgets.statements.camt053; print('django' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_it_reads_a_version_02_statement():
    [statement] = _parse("camt053_v02_minimal.xml")

    assert statement.account_iban == "NL91ABNA0417164300"
    assert statement.currency == "EUR"
    assert statement.statement_id == "2026-03-01-NL91ABNA0417164300"
    assert statement.opening_balance == Decimal("100.00")
    assert statement.opening_date == datetime.date(2026, 2, 28)
    assert statement.closing_balance == Decimal("115.50")
    assert statement.closing_date == datetime.date(2026, 3, 1)


def test_it_reads_money_in_with_the_debtor_as_counterparty():
    money_in = _parse("camt053_v02_minimal.xml")[0].entries[0]

    assert money_in.amount == Decimal("25.50")
    assert money_in.currency == "EUR"
    assert money_in.booking_date == datetime.date(2026, 3, 1)
    assert money_in.value_date == datetime.date(2026, 3, 1)
    assert money_in.counterparty_name == "J. de Vries"
    assert money_in.counterparty_iban == "NL20INGB0001234567"
    assert money_in.remittance == "Bijdrage maart lid 42"
    assert money_in.end_to_end_id == "BIJDRAGE-2026-03"
    assert money_in.bank_reference == "ABN-0001"
    assert money_in.reversal is False
    assert money_in.batch == ()


def test_it_reads_money_out_with_the_creditor_and_a_structured_reference():
    money_out = _parse("camt053_v02_minimal.xml")[0].entries[1]

    assert money_out.amount == Decimal("-10.00")
    assert money_out.counterparty_name == "Drukkerij Het Blad"
    assert money_out.counterparty_iban == "NL44RABO0123456789"
    assert money_out.remittance == "1234567890123456"
    assert money_out.end_to_end_id == ""  # NOTPROVIDED is no reference
    assert money_out.bank_reference == "ABN-0002"


def test_it_leaves_out_pending_entries():
    entries = _parse("camt053_v02_minimal.xml")[0].entries

    assert [entry.amount for entry in entries] == [Decimal("25.50"), Decimal("-10.00")]


def test_it_reads_a_version_08_statement_with_a_previous_closing_balance_and_date_times():
    [statement] = _parse("camt053_v08_batch_reversal.xml")

    assert statement.account_iban == "NL20INGB0001234567"
    assert statement.currency == "EUR"  # from the opening balance: the account names none
    assert statement.opening_balance == Decimal("200.00")
    assert statement.opening_date == datetime.date(2026, 4, 14)
    assert statement.closing_balance == Decimal("-30.00")
    assert statement.closing_date == datetime.date(2026, 4, 15)
    assert [entry.amount for entry in statement.entries] == [
        Decimal("-250.00"),
        Decimal("45.00"),
        Decimal("-25.00"),
    ]


def test_it_keeps_a_batch_total_and_its_transactions():
    batch = _parse("camt053_v08_batch_reversal.xml")[0].entries[0]

    assert batch.amount == Decimal("-250.00")
    assert batch.booking_date == datetime.date(2026, 4, 15)
    assert batch.bank_reference == "ING-BATCH-7"
    assert batch.counterparty_name == ""
    assert [
        (part.amount, part.counterparty_name, part.counterparty_iban, part.end_to_end_id)
        for part in batch.batch
    ] == [
        (Decimal("-120.00"), "A. Bakker", "NL02ABNA0123456789", "VOORSCHOT-11"),
        (Decimal("-150.00"), "M. Yilmaz", "NL39RABO0300065264", "DECLARATIE-12"),
        (Decimal("20.00"), "A. Bakker", "NL02ABNA0123456789", ""),
    ]
    assert batch.batch[2].remittance == "Terug van voorschot"
    assert batch.batch[0].booking_date == datetime.date(2026, 4, 15)


def test_it_signs_a_reversal_as_the_money_moved_with_the_original_payee():
    reversal = _parse("camt053_v08_batch_reversal.xml")[0].entries[1]

    assert reversal.reversal is True
    assert reversal.amount == Decimal("45.00")
    assert reversal.counterparty_name == "Tuincentrum Groen"
    assert reversal.counterparty_iban == "NL86INGB0002445588"
    assert reversal.remittance == "Factuur 2026-031"
    assert reversal.bank_reference == "ING-RETURN-8"


def test_it_takes_the_entry_information_when_there_are_no_details():
    fee = _parse("camt053_v08_batch_reversal.xml")[0].entries[2]

    assert fee.remittance == "Kosten betaalrekening april"
    assert fee.value_date is None


def test_it_reads_several_statements_in_one_file():
    statements = _parse("camt053_multi.xml")

    assert [(s.statement_id, s.account_iban) for s in statements] == [
        ("2026-05-01", "NL86INGB0002445588"),
        ("2026-05-02", "NL86INGB0002445588"),
        ("2026-05-02-SPAAR", "NL20INGB0001234567"),
    ]
    assert [(s.opening_balance, s.closing_balance) for s in statements] == [
        (Decimal("1000.00"), Decimal("1250.00")),
        (Decimal("1250.00"), Decimal("1237.65")),
        (Decimal("5000.00"), Decimal("5000.00")),
    ]
    assert statements[0].entries[0].counterparty_name == "Gemeente Voorbeeldstad"
    assert statements[1].entries[0].amount == Decimal("-12.35")
    assert statements[1].entries[0].counterparty_name == "Bakkerij Om de Hoek"
    assert statements[2].entries == ()


def test_it_refuses_balances_that_do_not_add_up():
    error = _refusal((DATA / "camt053_bad_balance.xml").read_bytes())

    assert error.line == "Stmt[1]"
    assert str(error) == (
        "line Stmt[1]: The opening balance 100.00 and the entries (15.50 together) do not add "
        "up to the closing balance 125.50."
    )


def test_it_refuses_an_entity_expansion_bomb():
    error = _refusal((DATA / "camt053_entity_bomb.xml").read_bytes())

    assert error.message == (
        "The file declares a DTD or entities. A bank statement never does; it is refused for "
        "safety."
    )


def test_it_refuses_an_external_entity():
    error = _refusal((DATA / "camt053_external_entity.xml").read_bytes())

    assert "DTD or entities" in error.message
    assert "root:" not in str(error)


def test_it_reads_nothing_an_external_entity_points_to(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("KEEP-THIS-PRIVATE")
    data = (DATA / "camt053_external_entity.xml").read_bytes()
    data = data.replace(b"file:///etc/passwd", secret.as_uri().encode())

    error = _refusal(data)

    assert "DTD or entities" in error.message
    assert "KEEP-THIS-PRIVATE" not in str(error)


def test_it_refuses_a_doctype_even_without_entities():
    data = (DATA / "camt053_v02_minimal.xml").read_bytes()
    data = data.replace(b"<Document ", b"<!DOCTYPE Document>\n<Document ", 1)

    assert "DTD or entities" in _refusal(data).message


def test_it_refuses_an_intraday_report_by_name():
    error = _refusal((DATA / "camt052_report.xml").read_bytes())

    assert str(error) == (
        "The file is a camt.052.001.02 message, not a bank statement (camt.053). Download the "
        "statement from your bank as camt.053."
    )


def test_it_refuses_a_payment_order_by_name():
    error = _refusal((DATA / "pain001_payment.xml").read_bytes())

    assert error.params == {"message": "pain.001.001.03"}


def test_it_refuses_a_camt053_version_it_does_not_know():
    data = (DATA / "camt053_v02_minimal.xml").read_bytes().replace(b"001.02", b"001.09")

    error = _refusal(data)

    assert str(error) == (
        "The file is camt.053 version 001.09; versions 001.02 to 001.08 can be read."
    )


def test_it_refuses_xml_of_another_kind():
    error = _refusal(b"<?xml version='1.0'?><html><body>Hallo</body></html>")

    assert str(error) == "The file is not an ISO 20022 bank statement (camt.053)."


def test_it_refuses_an_empty_file():
    assert str(_refusal(b"")) == "The file is empty."
    assert str(_refusal(b"  \n")) == "The file is empty."


def test_it_refuses_binary_junk():
    error = _refusal(bytes(range(256)) * 4)

    assert error.message == "The file is not readable XML: it is broken or cut off."


def test_it_refuses_a_file_that_is_cut_off():
    data = (DATA / "camt053_v02_minimal.xml").read_bytes()

    error = _refusal(data[: len(data) // 2])

    assert error.message == "The file is not readable XML: it is broken or cut off."
    assert isinstance(error.line, int)


def test_it_names_the_size_limit_as_people_say_it():
    error = _refusal(b"<" * 10, max_bytes=5)

    assert error.params == {"limit": "5 B"}
    assert model._size(50 * 1024 * 1024) == "50 MB"


def test_it_refuses_a_file_over_the_size_limit_before_reading_it():
    data = b"<" * 2048  # not even XML: the size alone refuses it

    error = _refusal(data, max_bytes=1024)

    assert str(error) == "The file is larger than 1 kB; a bank statement is never this big."


def test_it_reads_a_file_exactly_at_the_size_limit():
    data = (DATA / "camt053_v02_minimal.xml").read_bytes()

    assert len(camt053.parse(data, max_bytes=len(data))) == 1


def test_it_refuses_an_amount_in_another_currency():
    data = (DATA / "camt053_v02_minimal.xml").read_bytes()
    data = data.replace(b'<Amt Ccy="EUR">25.50', b'<Amt Ccy="USD">25.50')

    error = _refusal(data)

    assert error.line == "Stmt[1]/Ntry[1]/Amt"
    assert error.params == {"found": "USD", "currency": "EUR"}


def test_it_refuses_an_amount_that_is_not_a_number():
    data = (DATA / "camt053_v02_minimal.xml").read_bytes().replace(b">25.50<", b">25,50<")

    error = _refusal(data)

    assert str(error) == "line Stmt[1]/Ntry[1]/Amt: The amount '25,50' is not a valid amount."


def test_it_refuses_a_statement_that_does_not_name_its_account():
    data = (DATA / "camt053_v02_minimal.xml").read_bytes()
    data = data.replace(b"<IBAN>NL91ABNA0417164300</IBAN>\n        </Id>", b"</Id>", 1)

    error = _refusal(data)

    assert error.message == "The statement does not name its account (Acct/Id)."


def test_it_reads_an_account_named_in_othr_as_some_banks_do():
    data = (DATA / "camt053_v02_minimal.xml").read_bytes()
    data = data.replace(
        b"<IBAN>NL91ABNA0417164300</IBAN>", b"<Othr><Id>NL91 ABNA 0417 1643 00</Id></Othr>", 1
    )

    (statement,) = camt053.parse(data)

    assert statement.account_iban == "NL91ABNA0417164300"


def test_it_refuses_a_statement_without_a_closing_balance():
    data = (DATA / "camt053_v02_minimal.xml").read_bytes().replace(b"CLBD", b"CLAV")

    assert str(_refusal(data)) == "line Stmt[1]: The statement has no closing balance (CLBD)."


def test_it_refuses_a_batch_whose_transactions_do_not_add_up():
    data = (DATA / "camt053_v08_batch_reversal.xml").read_bytes()
    data = data.replace(b'<Amt Ccy="EUR">150.00</Amt>', b'<Amt Ccy="EUR">151.00</Amt>')

    error = _refusal(data)

    assert error.line == "Stmt[1]/Ntry[1]"
    assert error.params == {"total": Decimal("-251.00"), "amount": Decimal("-250.00")}


def test_it_refuses_the_whole_file_when_one_statement_is_wrong():
    data = (DATA / "camt053_multi.xml").read_bytes().replace(b">1237.65<", b">1237.66<")

    error = _refusal(data)

    assert error.line == "Stmt[2]"


@needs_samples
def test_it_reads_the_real_multi_statement_sample():
    statements = camt053.parse((CAMT_SAMPLES / "camt053.v2.multi.statement.xml").read_bytes())

    assert [s.statement_id for s in statements] == [
        "253EURNL26VAYB8060476890",
        "254EURNL26VAYB8060476890",
    ]
    assert {s.account_iban for s in statements} == {"NL26VAYB8060476890"}
    assert [(s.opening_balance, s.closing_balance) for s in statements] == [
        (Decimal("18.15"), Decimal("27.00")),
        (Decimal("27.00"), Decimal("20.00")),
    ]
    first, second = statements[0].entries[0], statements[1].entries[0]
    assert first.amount == Decimal("8.85")
    assert first.remittance == "Transaction Description 1"
    assert first.end_to_end_id == "000000001"
    # Money in whose file names only the creditor (the account holder): no counterparty.
    assert first.counterparty_name == ""
    assert second.amount == Decimal("-7.00")
    assert second.counterparty_name == "Company Name 2"
    assert second.counterparty_iban == "NL56AGDH9619008421"
    assert second.value_date == datetime.date(2015, 1, 2)


@needs_samples
def test_it_refuses_the_real_minimal_sample_for_its_closing_balance_currency():
    error = _refusal((CAMT_SAMPLES / "camt053.v2.minimal.xml").read_bytes())

    # Its closing balance is 27.00 SEK on a EUR account (and DBIT, so it does not add up either).
    assert str(error) == "line Stmt[1]/Bal[2]/Amt: An amount is in SEK, but the account is in EUR."


@needs_samples
@pytest.mark.parametrize("name", ["camt053.v4.xml", "camt053.v8.xml"])
def test_it_refuses_the_real_samples_with_a_closing_balance_in_another_currency(name):
    error = _refusal((CAMT_SAMPLES / name).read_bytes())

    # They name the account in Acct/Id/Othr/Id, which is read; their closing balance is in SEK
    # on a EUR account, as in the minimal sample.
    assert str(error) == "line Stmt[1]/Bal[2]/Amt: An amount is in SEK, but the account is in EUR."


@needs_samples
def test_it_reads_only_the_real_sample_whose_numbers_add_up():
    read = []
    for path in sorted(CAMT_SAMPLES.glob("*.xml")):
        try:
            camt053.parse(path.read_bytes())
        except StatementError:
            continue
        read.append(path.name)

    assert len(list(CAMT_SAMPLES.glob("*.xml"))) == 4
    assert read == ["camt053.v2.multi.statement.xml"]


def test_it_takes_the_opening_booked_balance_over_a_previous_closing_one():
    data = (DATA / "camt053_v02_minimal.xml").read_bytes()
    previous = (
        b'<Bal><Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">7.00</Amt>'
        b"<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-02-27</Dt></Dt></Bal>\n      <Bal>"
    )
    data = data.replace(b"<Bal>", previous, 1)
    assert data.count(b"<Bal>") == 3

    [statement] = camt053.parse(data)

    assert statement.opening_balance == Decimal("100.00")
    assert statement.opening_date == datetime.date(2026, 2, 28)


def test_it_reads_a_zero_debit_balance_as_zero():
    data = (DATA / "camt053_multi.xml").read_bytes()
    data = data.replace(
        b">5000.00</Amt>\n        <CdtDbtInd>CRDT", b">0.00</Amt>\n        <CdtDbtInd>DBIT"
    )

    statement = camt053.parse(data)[2]

    assert str(statement.opening_balance) == "0.00"
    assert str(statement.closing_balance) == "0.00"


def test_it_reads_a_status_written_in_lower_case():
    data = (DATA / "camt053_v02_minimal.xml").read_bytes().replace(b"<Sts>BOOK<", b"<Sts>Book<")

    assert len(camt053.parse(data)[0].entries) == 2


def test_it_reads_the_first_of_two_names_and_nothing_of_another_namespace():
    data = (DATA / "camt053_v02_minimal.xml").read_bytes()
    data = data.replace(
        b"<Dbtr><Nm>J. de Vries</Nm></Dbtr>",
        b'<x:Dbtr xmlns:x="urn:other"><x:Nm>Not the payer</x:Nm></x:Dbtr>'
        b"<Dbtr><Nm>  J. de Vries </Nm><Nm>A second name</Nm></Dbtr>"
        b"<Dbtr><Nm>A second payer</Nm></Dbtr>",
        1,
    )

    money_in = camt053.parse(data)[0].entries[0]

    assert money_in.counterparty_name == "J. de Vries"


def test_it_joins_the_remittance_lines_of_every_remittance_part():
    data = (DATA / "camt053_v02_minimal.xml").read_bytes()
    data = data.replace(
        b"<Ustrd>lid 42</Ustrd>\n            </RmtInf>",
        b"<Ustrd> </Ustrd><Ustrd>lid 42</Ustrd>\n            </RmtInf>"
        b"<RmtInf><Ustrd>en april</Ustrd></RmtInf>",
        1,
    )

    money_in = camt053.parse(data)[0].entries[0]

    assert money_in.remittance == "Bijdrage maart lid 42 en april"


def test_it_reads_transactions_in_two_entry_details_as_one_batch():
    data = (DATA / "camt053_v08_batch_reversal.xml").read_bytes()
    # The batch's second transaction moved into an entry details part of its own.
    first = data.index(b"<TxDtls>")
    second = data.index(b"<TxDtls>", first + 1)
    data = data[:second] + b"</NtryDtls><NtryDtls>" + data[second:]

    batch = camt053.parse(data)[0].entries[0]

    assert [part.amount for part in batch.batch] == [
        Decimal("-120.00"),
        Decimal("-150.00"),
        Decimal("20.00"),
    ]
