"""Bank lines from a CSV export, read with a column mapping the treasurer saves once per bank.

Every bank writes its own CSV: other columns, `;` or `,`, a decimal comma or point, one signed
amount or an amount with an "Af/Bij" column or separate debit and credit columns, newest line
first or last. A `Mapping` says where each value is; columns are named by their header (a
string) or counted from 0 (an int, for files without a header row).

A CSV export is one account over a period, read into one Statement. It usually has no balances,
so they come from one of two places:
- a balance-after column (`balance_after`, Rabobank's "Saldo na trn"): the opening balance is the
  first line's balance less its amount, the closing balance the last line's, and every line's
  balance must follow from the one before, or the file is refused;
- otherwise the caller gives `opening_balance` (the closing balance of the previous statement
  of this account), and the closing balance is the opening balance plus the lines.
Lines are kept in booking order: a file listing the newest line first is turned around.

Plain Python with no Django import. A file is read whole or refused with StatementError naming
the line; never half.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from budgets.statements.model import (
    MAX_BYTES,
    Entry,
    Statement,
    StatementError,
    check_size,
    gettext_noop,
)

CENT = Decimal("0.01")

Column = str | int


@dataclass(frozen=True)
class Mapping:
    """Where a bank's CSV keeps each value. `amount` is a signed amount, or unsigned with a
    `direction` column whose value is one of `debit_marks` for money out; or leave `amount`
    out and give `debit` and `credit` columns of unsigned amounts. `remittance` may name
    several columns, joined with a space."""

    booking_date: Column
    amount: Column | None = None
    direction: Column | None = None
    debit_marks: tuple[str, ...] = ("D", "Af", "Debit")
    debit: Column | None = None
    credit: Column | None = None
    value_date: Column | None = None
    counterparty_name: Column | None = None
    counterparty_iban: Column | None = None
    remittance: Column | tuple[Column, ...] | None = None
    end_to_end_id: Column | None = None
    bank_reference: Column | None = None
    balance_after: Column | None = None
    account: Column | None = None
    currency: Column | None = None
    delimiter: str = ";"
    decimal_comma: bool = True
    date_format: str = "%d-%m-%Y"
    encoding: str = "utf-8"
    header: bool = True


def parse(
    data: bytes,
    mapping: Mapping,
    *,
    account_iban: str,
    currency: str = "EUR",
    opening_balance: Decimal | None = None,
    opening_date: datetime.date | None = None,
    max_bytes: int = MAX_BYTES,
) -> list[Statement]:
    """The lines of a CSV export as one statement of `account_iban`, or StatementError."""
    check_size(data, max_bytes)
    if (mapping.amount is None) == (mapping.debit is None or mapping.credit is None):
        raise StatementError(
            gettext_noop(
                "The column mapping needs either an amount column or a debit and a credit column."
            )
        )
    if mapping.balance_after is None and opening_balance is None:
        raise StatementError(
            gettext_noop("The file has no balance column: give the opening balance.")
        )
    text = _decode(data, mapping.encoding)
    rows = _rows(text, mapping)
    if not rows:
        raise StatementError(gettext_noop("The file holds no bank lines."))
    wanted = account_iban.replace(" ", "").upper()
    lines = []
    for number, row in rows:
        read = _Row(row, number, mapping)
        if (
            mapping.account is not None
            and read.text(mapping.account).replace(" ", "").upper() != wanted
        ):
            raise StatementError(
                gettext_noop("This line is for account %(found)s, not for %(account)s."),
                line=number,
                params={"found": read.text(mapping.account), "account": account_iban},
            )
        if mapping.currency is not None and read.text(mapping.currency) != currency:
            raise StatementError(
                gettext_noop("This line is in %(found)s, not in %(currency)s."),
                line=number,
                params={"found": read.text(mapping.currency), "currency": currency},
            )
        lines.append((number, read.entry(currency), read))
    if lines[0][1].booking_date > lines[-1][1].booking_date:
        lines.reverse()
    entries = tuple(entry for _number, entry, _read in lines)
    if mapping.balance_after is not None:
        opening_balance = _chained_opening(lines, mapping)
    closing = opening_balance + sum((entry.amount for entry in entries), Decimal(0))
    statement = Statement(
        account_iban=account_iban,
        currency=currency,
        statement_id=f"{entries[0].booking_date.isoformat()}/{entries[-1].booking_date.isoformat()}",
        opening_balance=opening_balance,
        opening_date=opening_date or entries[0].booking_date,
        closing_balance=closing,
        closing_date=entries[-1].booking_date,
        entries=entries,
    )
    statement.check_balance()
    return [statement]


def _decode(data: bytes, encoding: str) -> str:
    if b"\x00" in data:
        raise StatementError(gettext_noop("The file is not a text file."))
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            encoding = "cp1252"  # what Dutch banks write when it is not UTF-8
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return data.decode("latin-1")


def _rows(text: str, mapping: Mapping) -> list[tuple[int, dict | list]]:
    """The non-empty rows with their line number: dicts by header name, or lists."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=mapping.delimiter)
    rows: list[tuple[int, dict | list]] = []
    header: list[str] | None = None
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if mapping.header and header is None:
                header = [cell.strip() for cell in row]
                _check_header(header, mapping, reader.line_num)
                continue
            if header is not None:
                rows.append((reader.line_num, dict(zip(header, row, strict=False))))
            else:
                rows.append((reader.line_num, row))
    except csv.Error as error:
        raise StatementError(
            gettext_noop("The line cannot be read as CSV: %(problem)s"),
            line=reader.line_num,
            params={"problem": str(error)},
        ) from None
    return rows


def _check_header(header: list[str], mapping: Mapping, line: int) -> None:
    named = [
        mapping.booking_date, mapping.amount, mapping.direction, mapping.debit, mapping.credit,
        mapping.value_date, mapping.counterparty_name, mapping.counterparty_iban,
        mapping.end_to_end_id, mapping.bank_reference, mapping.balance_after, mapping.account,
        mapping.currency,
    ]  # fmt: skip
    remittance = mapping.remittance
    named += list(remittance) if isinstance(remittance, tuple) else [remittance]
    for column in named:
        if isinstance(column, str) and column not in header:
            raise StatementError(
                gettext_noop("The file has no column %(column)s."),
                line=line,
                params={"column": column},
            )


class _Row:
    """One CSV line read through the mapping; each problem names the line."""

    def __init__(self, row: dict | list, line: int, mapping: Mapping):
        self.row, self.line, self.mapping = row, line, mapping

    def text(self, column: Column | None) -> str:
        if column is None:
            return ""
        if isinstance(self.row, dict):
            value = self.row.get(column) if isinstance(column, str) else None
        else:
            value = self.row[column] if isinstance(column, int) and column < len(self.row) else None
        if value is None:
            raise StatementError(
                gettext_noop("The line has no column %(column)s."),
                line=self.line,
                params={"column": column},
            )
        return value.strip()

    def amount(self, column: Column, *, required: bool = True) -> Decimal | None:
        raw = self.text(column)
        if not raw and not required:
            return None
        cleaned = raw.replace(" ", "").replace("\u00a0", "").replace("€", "")
        if self.mapping.decimal_comma:
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise StatementError(
                gettext_noop("The amount %(value)s is not a number."),
                line=self.line,
                params={"value": raw},
            )
        return _cents(number)

    def date(self, column: Column) -> datetime.date:
        raw = self.text(column)
        try:
            return datetime.datetime.strptime(raw, self.mapping.date_format).date()
        except ValueError:
            raise StatementError(
                gettext_noop("The date %(value)s is not a date in the form %(format)s."),
                line=self.line,
                params={"value": raw, "format": self.mapping.date_format},
            ) from None

    def entry(self, currency: str) -> Entry:
        mapping = self.mapping
        if mapping.amount is not None:
            amount = self.amount(mapping.amount)
            if mapping.direction is not None:
                marks = {mark.lower() for mark in mapping.debit_marks}
                amount = (
                    -abs(amount) if self.text(mapping.direction).lower() in marks else abs(amount)
                )
        else:
            debit = self.amount(mapping.debit, required=False) or Decimal(0)
            credit = self.amount(mapping.credit, required=False) or Decimal(0)
            amount = abs(credit) - abs(debit)
        remittance = mapping.remittance
        columns = remittance if isinstance(remittance, tuple) else (remittance,)
        return Entry(
            booking_date=self.date(mapping.booking_date),
            value_date=self.date(mapping.value_date) if mapping.value_date is not None else None,
            amount=amount,
            currency=currency,
            counterparty_name=self.text(mapping.counterparty_name),
            counterparty_iban=self.text(mapping.counterparty_iban).replace(" ", ""),
            remittance=" ".join(" ".join(self.text(c) for c in columns).split()),
            end_to_end_id=self.text(mapping.end_to_end_id),
            bank_reference=self.text(mapping.bank_reference),
        )


def _chained_opening(lines: list, mapping: Mapping) -> Decimal:
    """The opening balance from the balance-after column, each line checked against the last."""
    _number, first, first_read = lines[0]
    balance = first_read.amount(mapping.balance_after) - first.amount
    opening = balance
    for number, entry, read in lines:
        balance += entry.amount
        stated = read.amount(mapping.balance_after)
        if stated != balance:
            raise StatementError(
                gettext_noop(
                    "The balance after this line is %(stated)s, but the lines before it add up "
                    "to %(balance)s."
                ),
                line=number,
                params={"stated": stated, "balance": balance},
            )
    return opening


def _cents(number: Decimal) -> Decimal:
    """At least two decimals, so 9, and 9,00 read alike; more decimals are kept, not rounded."""
    return number.quantize(CENT) if number.as_tuple().exponent > -2 else number


DELIMITERS = (";", ",", "\t", "|")
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y%m%d", "%d-%m-%y")
ENCODINGS = ("utf-8", "cp1252", "latin-1")
_COLUMNS = (
    "booking_date", "amount", "direction", "debit", "credit", "value_date", "counterparty_name",
    "counterparty_iban", "end_to_end_id", "bank_reference", "balance_after", "account",
    "currency",
)  # fmt: skip
_MAX_COLUMN = 200
# An amount in euros and cents with a decimal point, or with a decimal comma.
_POINT_AMOUNT = re.compile(r"-?[0-9]+\.[0-9]{2}")
_COMMA_AMOUNT = re.compile(r"-?[0-9]+,[0-9]{2}")


def mapping_from_json(data) -> Mapping:
    """A Mapping from the JSON a bank account keeps (`as_json`), or StatementError saying
    what is wrong with it. Columns are header names when the file has a header row, else
    numbers counted from 0."""
    if not isinstance(data, dict):
        raise StatementError(gettext_noop("The column mapping is not a list of fields."))
    known = {*_COLUMNS, "remittance", "debit_marks", "delimiter", "decimal_comma"}
    known |= {"date_format", "encoding", "header"}
    unknown = sorted(str(key) for key in data if key not in known)
    if unknown:
        raise StatementError(
            gettext_noop("The column mapping has no field %(field)s."),
            params={"field": unknown[0]},
        )
    header = data.get("header", True)
    if not isinstance(header, bool):
        raise StatementError(gettext_noop("Say whether the file starts with a header row."))
    fields: dict = {"header": header}
    for name in _COLUMNS:
        if data.get(name) not in (None, ""):
            fields[name] = _column(data[name], name, header)
    remittance = data.get("remittance")
    if isinstance(remittance, list):
        columns = tuple(_column(each, "remittance", header) for each in remittance if each != "")
        fields["remittance"] = columns or None
    elif remittance not in (None, ""):
        fields["remittance"] = _column(remittance, "remittance", header)
    if "booking_date" not in fields:
        raise StatementError(gettext_noop("Choose the column with the booking date."))
    split = ("debit" in fields, "credit" in fields)
    if ("amount" in fields and any(split)) or ("amount" not in fields and not all(split)):
        raise StatementError(
            gettext_noop(
                "The column mapping needs either an amount column or a debit and a credit column."
            )
        )
    marks = data.get("debit_marks", list(Mapping.debit_marks))
    if (
        not isinstance(marks, list)
        or not marks
        or not all(isinstance(m, str) and m.strip() for m in marks)
    ):
        raise StatementError(gettext_noop("Give the words that mark money going out."))
    fields["debit_marks"] = tuple(mark.strip() for mark in marks)
    for name, allowed in (
        ("delimiter", DELIMITERS),
        ("date_format", DATE_FORMATS),
        ("encoding", ENCODINGS),
    ):
        value = data.get(name, getattr(Mapping, name))
        if value not in allowed:
            raise StatementError(
                gettext_noop("Choose the %(field)s from the list."), params={"field": name}
            )
        fields[name] = value
    decimal_comma = data.get("decimal_comma", True)
    if not isinstance(decimal_comma, bool):
        raise StatementError(gettext_noop("Say whether amounts are written with a comma."))
    fields["decimal_comma"] = decimal_comma
    return Mapping(**fields)


def _column(value, name: str, header: bool) -> Column:
    if header and isinstance(value, str) and 0 < len(value.strip()) <= _MAX_COLUMN:
        return value.strip()
    number = not header and isinstance(value, int) and not isinstance(value, bool)
    if number and 0 <= value < _MAX_COLUMN:
        return value
    raise StatementError(
        gettext_noop(
            "The column for %(field)s is not a column name (with a header row) or a number "
            "counted from 0 (without one)."
        ),
        params={"field": name},
    )


def as_json(mapping: Mapping) -> dict:
    """What a bank account keeps of a Mapping: plain JSON, fields left out when not used."""
    data: dict = {}
    for name in (*_COLUMNS, "remittance"):
        value = getattr(mapping, name)
        if value is not None:
            data[name] = list(value) if isinstance(value, tuple) else value
    data["debit_marks"] = list(mapping.debit_marks)
    for name in ("delimiter", "decimal_comma", "date_format", "encoding", "header"):
        data[name] = getattr(mapping, name)
    return data


# Reading a file's header row, to offer its columns when the treasurer says which holds what.

_SAMPLE_BYTES = 65536
# Header names Dutch banks and a few others write, lower case, and the field each one holds.
_KNOWN_HEADERS = {
    "datum": "booking_date",
    "boekingsdatum": "booking_date",
    "boekdatum": "booking_date",
    "transactiedatum": "booking_date",
    "date": "booking_date",
    "rentedatum": "value_date",
    "valutadatum": "value_date",
    "value date": "value_date",
    "interest date": "value_date",
    "bedrag": "amount",
    "bedrag (eur)": "amount",
    "transactiebedrag": "amount",
    "amount": "amount",
    "af bij": "direction",
    "af/bij": "direction",
    "debet/credit": "direction",
    "debit/credit": "direction",
    "naam / omschrijving": "counterparty_name",
    "naam tegenpartij": "counterparty_name",
    "naam": "counterparty_name",
    "tegenpartij": "counterparty_name",
    "counterparty": "counterparty_name",
    "name": "counterparty_name",
    "tegenrekening": "counterparty_iban",
    "tegenrekening iban/bban": "counterparty_iban",
    "tegenrekening iban": "counterparty_iban",
    "iban tegenpartij": "counterparty_iban",
    "counterparty iban": "counterparty_iban",
    "mededelingen": "remittance",
    "omschrijving": "remittance",
    "omschrijving-1": "remittance",
    "omschrijving-2": "remittance",
    "omschrijving-3": "remittance",
    "description": "remittance",
    "end to end id": "end_to_end_id",
    "end-to-end id": "end_to_end_id",
    "end-to-end-id": "end_to_end_id",
    "saldo na mutatie": "balance_after",
    "saldo na trn": "balance_after",
    "saldo na boeking": "balance_after",
    "balance": "balance_after",
    "munt": "currency",
    "valuta": "currency",
    "currency": "currency",
}


@dataclass(frozen=True)
class Sample:
    """The start of a CSV export: its delimiter, its first line (the header row, when the file
    has one) and its second line."""

    delimiter: str
    header: tuple[str, ...]
    first: tuple[str, ...]

    @property
    def has_header(self) -> bool:
        """Whether the first line names the columns. Every line of values holds a date; a
        header row holds none (some banks, such as ASN and Triodos, write no header row)."""
        return not any(_date_format(cell) for cell in self.header)


def looks_like_csv(data: bytes) -> bool:
    """Whether a file reads as text whose first line is split by one of the delimiters."""
    return sample(data) is not None


def sample(data: bytes) -> Sample | None:
    """The delimiter (the one of DELIMITERS found most often in the first line), the header row
    and the first line of values; None when the file is not text split into columns."""
    start = data[:_SAMPLE_BYTES]
    if b"\x00" in start:
        return None
    if len(data) > _SAMPLE_BYTES and b"\n" in start:
        start = start[: start.rfind(b"\n")]  # a whole last line, not half a character
    lines = [line for line in _decode(start, "utf-8").splitlines() if line.strip()]
    if not lines:
        return None
    delimiter = max(DELIMITERS, key=lines[0].count)
    if not lines[0].count(delimiter):
        return None
    rows = list(csv.reader(io.StringIO("\n".join(lines[:2])), delimiter=delimiter))
    header = tuple(cell.strip() for cell in rows[0])
    first = tuple(cell.strip() for cell in rows[1]) if len(rows) > 1 else ()
    return Sample(delimiter=delimiter, header=header, first=first)


def guess_mapping(found: Sample) -> dict:
    """A first guess of the mapping (as `mapping_from_json` takes it) from the header names
    banks use and the look of the first line's date and amount; the treasurer checks it.
    Without a header row, the booking date is the first column holding a date, and amounts are
    taken to have a decimal point when the line's amounts all have one."""
    guess: dict = {"delimiter": found.delimiter, "remittance": []}
    if not found.has_header:
        guess["header"] = False
        for index, cell in enumerate(found.header):
            date_format = _date_format(cell)
            if date_format is not None:
                guess["booking_date"], guess["date_format"] = index, date_format
                break
        points = [cell for cell in found.header if _POINT_AMOUNT.fullmatch(cell)]
        commas = [cell for cell in found.header if _COMMA_AMOUNT.fullmatch(cell)]
        guess["decimal_comma"] = not points or bool(commas)
        return guess
    for column in found.header:
        field = _KNOWN_HEADERS.get(column.lower())
        if field == "remittance":
            guess["remittance"].append(column)
        elif field is not None and field not in guess:
            guess[field] = column
    values = dict(zip(found.header, found.first, strict=False))
    date_format = _date_format(values.get(guess.get("booking_date"), ""))
    if date_format is not None:
        guess["date_format"] = date_format
    amount = values.get(guess.get("amount"), "")
    guess["decimal_comma"] = not ("." in amount and "," not in amount.rpartition(".")[2])
    return guess


def _date_format(text: str) -> str | None:
    """The first of DATE_FORMATS that reads `text` as a date, or None."""
    for date_format in DATE_FORMATS:
        try:
            datetime.datetime.strptime(text.strip(), date_format)
        except ValueError:
            continue
        return date_format
    return None
