"""CSV bank exports: three layouts read through a mapping, and bad files refused by line."""

import datetime
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from budgets.statements import csvfile
from budgets.statements.csvfile import Mapping
from budgets.statements.model import StatementError

DATA = Path(__file__).parent / "data" / "statements"

ING = Mapping(
    booking_date="Datum",
    date_format="%Y%m%d",
    amount="Bedrag (EUR)",
    direction="Af Bij",
    counterparty_name="Naam / Omschrijving",
    counterparty_iban="Tegenrekening",
    remittance="Mededelingen",
    account="Rekening",
)
RABOBANK = Mapping(
    booking_date="Datum",
    value_date="Rentedatum",
    date_format="%Y-%m-%d",
    amount="Bedrag",
    balance_after="Saldo na trn",
    counterparty_name="Naam tegenpartij",
    counterparty_iban="Tegenrekening IBAN/BBAN",
    remittance=("Omschrijving-1", "Omschrijving-2"),
    bank_reference="Volgnr",
    account="IBAN/BBAN",
    currency="Munt",
    delimiter=",",
)
PLAIN = Mapping(
    header=False,
    delimiter=",",
    decimal_comma=False,
    date_format="%d/%m/%Y",
    booking_date=0,
    counterparty_iban=1,
    counterparty_name=2,
    debit=3,
    credit=4,
    remittance=5,
)
ING_HEADER = (DATA / "csv_ing_style.csv").read_bytes().splitlines(keepends=True)[0]


def _ing(data, **options):
    options.setdefault("opening_balance", Decimal("100.00"))
    return csvfile.parse(data, ING, account_iban="NL20 INGB 0001 2345 67", **options)


def _refusal(data, **options):
    with pytest.raises(StatementError) as caught:
        _ing(data, **options)
    return caught.value


def test_it_imports_without_django():
    code = "import sys, budgets.statements.csvfile; print('django' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_it_reads_an_af_bij_export_newest_first_in_booking_order():
    (statement,) = _ing((DATA / "csv_ing_style.csv").read_bytes())
    assert [e.booking_date.day for e in statement.entries] == [3, 4, 5]
    assert [e.amount for e in statement.entries] == [
        Decimal("-18.75"),
        Decimal("2500.00"),
        Decimal("-1150.00"),
    ]
    assert statement.opening_balance == Decimal("100.00")
    assert statement.closing_balance == Decimal("1431.25")
    assert statement.opening_date == datetime.date(2027, 3, 3)
    assert statement.closing_date == datetime.date(2027, 3, 5)
    advance = statement.entries[2]
    assert advance.counterparty_name == "J de Vries"
    assert advance.counterparty_iban == "NL86INGB0002445588"
    assert advance.remittance == "Voorschot moestuin; zaden en gereedschap"


def test_it_takes_balances_from_a_balance_after_column():
    (statement,) = csvfile.parse(
        (DATA / "csv_rabobank_style.csv").read_bytes(), RABOBANK, account_iban="NL71RABO0123456789"
    )
    assert statement.opening_balance == Decimal("1200.00")
    assert statement.closing_balance == Decimal("227.65")
    gift, coffee, loan = statement.entries
    assert gift.remittance == "Bijdrage maaltijd april"
    assert gift.bank_reference == "000000000000000101"
    assert coffee.counterparty_name == "Café de Hoek"
    assert coffee.value_date == datetime.date(2027, 4, 1)
    assert coffee.booking_date == datetime.date(2027, 4, 2)
    assert loan.amount == Decimal("-1000.00")


def test_it_reads_debit_and_credit_columns_without_a_header():
    (statement,) = csvfile.parse(
        (DATA / "csv_debit_credit.csv").read_bytes(),
        PLAIN,
        account_iban="NL20INGB0001234567",
        opening_balance=Decimal("0"),
        opening_date=datetime.date(2027, 5, 1),
    )
    assert [e.amount for e in statement.entries] == [Decimal("25.00"), Decimal("-9.99")]
    assert statement.entries[0].counterparty_iban == "NL44ABNA0123456789"
    assert statement.entries[1].counterparty_iban == ""
    assert statement.opening_date == datetime.date(2027, 5, 1)
    assert statement.closing_balance == Decimal("15.01")


def test_it_refuses_a_balance_that_does_not_follow_with_the_line():
    data = (DATA / "csv_rabobank_style.csv").read_bytes().replace(b'"227,65"', b'"228,65"')
    with pytest.raises(StatementError) as caught:
        csvfile.parse(data, RABOBANK, account_iban="NL71RABO0123456789")
    assert caught.value.line == 4
    assert caught.value.params == {"stated": Decimal("228.65"), "balance": Decimal("227.65")}


def test_it_refuses_a_line_for_another_account():
    with pytest.raises(StatementError) as caught:
        csvfile.parse(
            (DATA / "csv_rabobank_style.csv").read_bytes(),
            RABOBANK,
            account_iban="NL20INGB0001234567",
        )
    assert caught.value.message == "This line is for account %(found)s, not for %(account)s."
    assert caught.value.line == 2


def test_it_refuses_an_amount_that_is_not_a_number_with_its_line():
    data = ING_HEADER + b'"20270303";"X";"NL20INGB0001234567";"";"BA";"Af";"twaalf";"";""\r\n'
    error = _refusal(data)
    assert error.message == "The amount %(value)s is not a number."
    assert error.line == 2
    assert str(error) == "line 2: The amount twaalf is not a number."


def test_it_refuses_a_date_in_another_form():
    data = ING_HEADER + b'"03-03-2027";"X";"NL20INGB0001234567";"";"BA";"Af";"1,00";"";""\r\n'
    error = _refusal(data)
    assert error.params == {"value": "03-03-2027", "format": "%Y%m%d"}
    assert error.line == 2


def test_it_refuses_a_short_line():
    error = _refusal(ING_HEADER + b'"20270303";"X"\r\n')
    assert error.message == "The line has no column %(column)s."
    assert error.line == 2


def test_it_refuses_a_file_without_the_mapped_column():
    error = _refusal(b'"Datum";"Bedrag"\r\n"20270303";"1,00"\r\n')
    assert error.message == "The file has no column %(column)s."
    assert error.line == 1


def test_it_refuses_an_empty_file():
    assert _refusal(b"").message == "The file holds no bank lines."


def test_it_refuses_a_header_without_lines():
    assert _refusal(ING_HEADER).message == "The file holds no bank lines."


def test_it_refuses_binary_junk():
    assert _refusal(bytes(range(256)) * 10).message == "The file is not a text file."


def test_it_refuses_a_file_over_the_size_limit_before_reading_it():
    error = _refusal(b"x" * 2048, max_bytes=1024)
    assert error.text() == "The file is larger than 1 kB; a bank statement is never this big."


def test_it_needs_an_opening_balance_when_the_file_has_none():
    error = _refusal((DATA / "csv_ing_style.csv").read_bytes(), opening_balance=None)
    assert error.message == "The file has no balance column: give the opening balance."


def test_it_refuses_a_mapping_without_an_amount():
    with pytest.raises(StatementError) as caught:
        csvfile.parse(b"", Mapping(booking_date=0), account_iban="X", opening_balance=Decimal(0))
    assert caught.value.message.startswith("The column mapping needs either an amount")


def test_the_header_of_an_ing_export_gives_a_guess_of_its_columns():
    found = csvfile.sample((DATA / "csv_ing_style.csv").read_bytes())
    guess = csvfile.guess_mapping(found)
    assert (found.delimiter, guess["booking_date"], guess["date_format"]) == (
        ";",
        "Datum",
        "%Y%m%d",
    )
    assert (guess["amount"], guess["direction"], guess["decimal_comma"]) == (
        "Bedrag (EUR)",
        "Af Bij",
        True,
    )
    assert guess["remittance"] == ["Mededelingen"]


def test_the_header_of_a_rabobank_export_gives_a_guess_that_reads_it():
    data = (DATA / "csv_rabobank_style.csv").read_bytes()
    guess = csvfile.guess_mapping(csvfile.sample(data))
    mapping = csvfile.mapping_from_json(guess)
    (statement,) = csvfile.parse(data, mapping, account_iban="NL71RABO0123456789")
    assert (mapping.balance_after, mapping.currency) == ("Saldo na trn", "Munt")
    assert statement.entries[0].counterparty_name == "Stichting Buurtfonds Zuid"


def test_a_point_for_decimals_and_a_comma_between_columns_are_seen():
    found = csvfile.sample(b"Date,Amount,Description\n2026-03-02,-1234.50,Huur\n")
    guess = csvfile.guess_mapping(found)
    assert (found.delimiter, guess["date_format"], guess["decimal_comma"]) == (
        ",",
        "%Y-%m-%d",
        False,
    )


@pytest.mark.parametrize(
    ("first_line", "has_header"),
    [
        ("Datum;Naam;Bedrag", True),
        ("Boekdatum;Rekening;Saldo na trn", True),
        ("02-03-2026;Bakker;12,50", False),
        ("Bakker;20260302;12,50", False),
        ("12,50;Bakker;2026-03-02", False),
    ],
)
def test_a_first_line_with_a_date_is_a_line_of_values_not_a_header(first_line, has_header):
    found = csvfile.sample(f"{first_line}\n05-03-2026;Bakker;1,00\n".encode())
    assert found.has_header is has_header


def test_without_a_header_row_the_guess_is_the_first_column_with_a_date_by_number():
    data = b"NL20INGB0001234567,2026-03-02,20.00,Aandelen\nNL20INGB0001234567,2026-03-05,-1.00,X\n"
    guess = csvfile.guess_mapping(csvfile.sample(data))
    assert guess == {
        "delimiter": ",",
        "remittance": [],
        "header": False,
        "booking_date": 1,
        "date_format": "%Y-%m-%d",
        "decimal_comma": False,
    }
    mapping = csvfile.mapping_from_json(guess | {"amount": 2, "remittance": [3]})
    (statement,) = csvfile.parse(
        data, mapping, account_iban="NL91ABNA0417164300", opening_balance=Decimal("0.00")
    )
    assert [entry.amount for entry in statement.entries] == [Decimal("20.00"), Decimal("-1.00")]


@pytest.mark.parametrize(
    ("first_line", "decimal_comma"),
    [
        ("02-03-2026,Bakker,100.00,-12.50", False),
        ('02-03-2026,Bakker,"100,00","-12,50"', True),
        ('02-03-2026,100.00,"12,50"', True),
        ("02-03-2026,Bakker,12", True),
    ],
)
def test_without_a_header_row_a_decimal_point_is_seen_when_every_amount_has_one(
    first_line, decimal_comma
):
    guess = csvfile.guess_mapping(csvfile.sample(f"{first_line}\n".encode()))
    assert guess["decimal_comma"] is decimal_comma


@pytest.mark.parametrize("data", [b"", b"one line of words\n", b"a;b\x00c\n"])
def test_a_file_that_is_not_split_into_columns_is_not_taken_for_csv(data):
    assert not csvfile.looks_like_csv(data)


def test_a_long_file_is_sampled_to_a_whole_last_line():
    data = ("Datum;Bedrag\n" + "01-03-2026;€ 1,00\n" * 10000).encode()
    assert csvfile.sample(data).first == ("01-03-2026", "€ 1,00")


def test_a_mapping_without_words_for_money_going_out_is_refused():
    with pytest.raises(StatementError, match="Give the words that mark money going out."):
        csvfile.mapping_from_json(
            {"booking_date": "Datum", "amount": "Bedrag", "direction": "Af Bij", "debit_marks": []}
        )
