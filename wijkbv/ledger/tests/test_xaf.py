"""The XML Auditfile Financieel 3.2 of a year: valid against the standard's own schema, read back
by an independent reader, and with the totals, opening balance and transactions of the book."""

import datetime
import importlib.resources
from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest
import pyxaf
import xmlschema
from django.utils import timezone

from wijkbv.errors import DomainError
from wijkbv.ledger import services, xaf
from wijkbv.ledger.lines import credit, debit
from wijkbv.ledger.testing import account, euros

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founded_in_2026")]

NS = {"x": xaf.NAMESPACE}
CREATED = datetime.date(2026, 11, 1)


def _post(hood, day, amount, debit_code, credit_code, description="Boeking"):
    return services.post_transaction(
        hood.cooperative,
        actor=hood.dave,
        booking_date=day,
        description=description,
        lines=[
            debit(account(hood.cooperative, debit_code), euros(amount)),
            credit(account(hood.cooperative, credit_code), euros(amount)),
        ],
    )


def _book(hood):
    """2025: a gift of 500 and costs of 120. 2026: shares 200, costs 35.50 and 14.50."""
    _post(hood, datetime.date(2025, 6, 1), "500.00", "1000", "8000", "Gift")
    _post(hood, datetime.date(2025, 7, 1), "120.00", "4200", "1000", "Drukwerk")
    _post(hood, datetime.date(2026, 2, 3), "200.00", "1000", "3000", "Aandelen <A> & co")
    _post(hood, datetime.date(2026, 3, 4), "35.50", "4000", "1000", "Koffie")
    _post(hood, datetime.date(2026, 3, 5), "14.50", "4100", "1000", "Bankkosten")


def _file(hood, year=2026) -> bytes:
    return b"".join(xaf.export(hood.cooperative, year, created=CREATED))


def _schema():
    files = importlib.resources.files(pyxaf) / "schemas" / "XmlAuditfileFinancieel3.2.xsd"
    with importlib.resources.as_file(files) as path:
        return xmlschema.XMLSchema(str(path))


def _root(data):
    return ET.fromstring(data)


def _text(root, path):
    return root.find(path, NS).text


def test_the_file_is_valid_against_the_xaf_3_2_schema(hood):
    _book(hood)

    _schema().validate(_file(hood).decode())


def test_an_empty_year_is_valid_too(hood):
    _schema().validate(_file(hood).decode())


def test_an_independent_reader_finds_no_error(hood):
    _book(hood)

    report = pyxaf.validate(_file(hood))

    assert report.ok, [str(finding) for finding in report.errors]
    assert report.format.version.startswith("3.2")


def test_the_header_and_the_company(hood):
    root = _root(_file(hood))

    assert _text(root, "x:header/x:fiscalYear") == "2026"
    assert _text(root, "x:header/x:startDate") == "2026-01-01"
    assert _text(root, "x:header/x:endDate") == "2026-12-31"
    assert _text(root, "x:header/x:curCode") == "EUR"
    assert _text(root, "x:header/x:dateCreated") == "2026-11-01"
    assert _text(root, "x:header/x:softwareDesc") == "wijkbv"
    assert _text(root, "x:company/x:companyIdent") == "12345678"
    assert _text(root, "x:company/x:companyName") == "Wijk-BV Teststad"
    assert _text(root, "x:company/x:taxRegistrationCountry") == "NL"


def test_every_account_with_its_type(hood):
    root = _root(_file(hood))

    types = {
        entry.find("x:accID", NS).text: entry.find("x:accTp", NS).text
        for entry in root.iterfind("x:company/x:generalLedger/x:ledgerAccount", NS)
    }

    assert types["1000"] == "B" and types["2100"] == "B" and types["3000"] == "B"
    assert types["4000"] == "P" and types["8000"] == "P"
    assert len(types) == hood.cooperative.accounts.count()


def test_the_opening_balance_is_the_end_of_the_year_before(hood):
    _book(hood)
    opening = _root(_file(hood)).find("x:company/x:openingBalance", NS)

    lines = {
        line.find("x:accID", NS).text: (
            line.find("x:amnt", NS).text,
            line.find("x:amntTp", NS).text,
        )
        for line in opening.iterfind("x:obLine", NS)
    }

    assert lines == {
        "1000": ("380.00", "D"),
        "4200": ("120.00", "D"),
        "8000": ("500.00", "C"),
    }
    assert _text(opening, "x:opBalDate") == "2026-01-01"
    assert (_text(opening, "x:totalDebit"), _text(opening, "x:totalCredit")) == ("500.00", "500.00")
    assert _text(opening, "x:linesCount") == "3"


def test_the_transactions_of_the_year_and_their_totals(hood):
    _book(hood)
    section = _root(_file(hood)).find("x:company/x:transactions", NS)

    lines = list(section.iterfind("x:journal/x:transaction/x:trLine", NS))
    debit_total = sum(
        Decimal(line.find("x:amnt", NS).text)
        for line in lines
        if line.find("x:amntTp", NS).text == "D"
    )
    credit_total = sum(
        Decimal(line.find("x:amnt", NS).text)
        for line in lines
        if line.find("x:amntTp", NS).text == "C"
    )

    assert _text(section, "x:linesCount") == str(len(lines)) == "6"
    assert Decimal(_text(section, "x:totalDebit")) == debit_total == Decimal("250.00")
    assert Decimal(_text(section, "x:totalCredit")) == credit_total == debit_total
    descriptions = [
        t.find("x:desc", NS).text for t in section.iterfind("x:journal/x:transaction", NS)
    ]
    assert descriptions == ["Aandelen <A> & co", "Koffie", "Bankkosten"]


def test_a_transaction_keeps_its_date_period_and_lines(hood):
    _book(hood)
    section = _root(_file(hood)).find("x:company/x:transactions", NS)

    coffee = next(
        t for t in section.iterfind("x:journal/x:transaction", NS) if _text(t, "x:desc") == "Koffie"
    )

    assert _text(coffee, "x:trDt") == "2026-03-04" and _text(coffee, "x:periodNumber") == "3"
    lines = [
        (
            _text(line, "x:accID"),
            _text(line, "x:amnt"),
            _text(line, "x:amntTp"),
            _text(line, "x:effDate"),
        )
        for line in coffee.iterfind("x:trLine", NS)
    ]
    assert lines == [("4000", "35.50", "D", "2026-03-04"), ("1000", "35.50", "C", "2026-03-04")]


def test_a_journal_per_kind_of_decision(hood):
    _book(hood)
    root = _root(_file(hood))

    journals = [
        (_text(j, "x:jrnID"), _text(j, "x:jrnTp"), len(j.findall("x:transaction", NS)))
        for j in root.iterfind("x:company/x:transactions/x:journal", NS)
    ]

    assert journals == [("ledger.posted", "M", 3)]


def test_it_comes_in_pieces_that_together_parse(hood):
    _book(hood)

    pieces = list(xaf.export(hood.cooperative, 2026, created=CREATED))

    assert len(pieces) > 5
    assert _root(b"".join(pieces)).tag == f"{{{xaf.NAMESPACE}}}auditfile"


@pytest.mark.parametrize("year", ["twee", "", None, "2026.5", 1899, 2999, "3000"])
def test_a_year_outside_the_books_is_refused(hood, year):
    this_year = timezone.localdate().year
    with pytest.raises(DomainError) as refused:
        xaf.export(hood.cooperative, year)
    assert str(refused.value) == f"Choose a year of the books: from 2026 to {this_year}."


def test_the_books_start_at_the_first_booking_if_earlier(hood):
    _book(hood)

    assert xaf.years(hood.cooperative) == (2025, timezone.localdate().year)
    assert _text(_root(_file(hood, "2025")), "x:header/x:fiscalYear") == "2025"
