"""MT940 bank statements as Dutch banks export them.

An MT940 file is text: one or more statements, each a run of fields that start with a tag at the
beginning of a line (`:20:` reference, `:25:` account, `:28C:` statement number, `:60F:`/`:60M:`
opening balance, per entry a `:61:` line and its `:86:` information, `:62F:`/`:62M:` closing
balance). A field goes on over the following lines until the next tag. Banks wrap it in their own
envelope (SWIFT blocks `{1:...}{4:`, a `-` or `-}{5:}` after each statement, header lines such as
`940 00`); lines outside a statement are skipped.

Plain Python with no Django import. `parse` returns every statement of a file, each checked to
add up from opening to closing balance, or raises StatementError: a file is read whole or not
at all. `read` does the same without the balance check, to look at a file a bank got wrong.

What is taken from the `:86:` information, by dialect (the text is kept as remittance when
nothing structured is found):
- Structured codes (ING `/CNTP/`, `/REMI/`, `/EREF/`; Rabobank IBAN dialect `/BENM//NAME/`,
  `/ORDP//NAME/`, `/REMI/`, `/EREF/`; ABN AMRO SEPA `/TRTP/.../IBAN/.../NAME/.../REMI/`):
  counterparty IBAN from `/IBAN/` or the first part of `/CNTP/` (else the line after `:61:`),
  name from `/NAME/` or the third part of `/CNTP/`, remittance from `/REMI/` (free `USTD` text or a
  structured `STRD` reference), end-to-end id from `/EREF/` (not `NOTPROVIDED`).
- Triodos `>` codes: counterparty account from `>10`, remittance from `>20` to `>29`.
- Knab: a line `REK: <iban>/NAAM: <name>` gives the counterparty; the other lines are remittance.
- ASN and SNS: the `:86:` starts with the counterparty account and name on its first line; the
  lines below are remittance.
- Rabobank (old dialect): the `:61:` reference holds the counterparty account and, after spaces,
  the name; each `:86:` line is remittance.
- ABN AMRO free text and the old ING dialect: the whole text is remittance.
Accounts are kept as the bank writes them: an IBAN in the SEPA dialects, a domestic account
number in older files (a currency suffix such as `EUR` after the account is dropped).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from budgets.statements.model import (
    MAX_BYTES,
    Entry,
    Statement,
    StatementError,
    check_size,
    gettext_noop,
)

CENT = Decimal("0.01")

TAG = re.compile(r"^:(\d{2}[A-Z]?):(.*)$")
BALANCE = re.compile(r"^([DC])(\d{6})([A-Z]{3})(\d+,\d*)$")
ENTRY = re.compile(
    r"^(?P<value>\d{6})(?P<booked>\d{4})?(?P<mark>R?[DC])(?P<funds>[A-Z])?"
    r"(?P<amount>\d+(?:,\d*)?)(?P<type>[NSF][A-Z0-9]{3})(?P<ref>.*?)(?://(?P<bank>.*))?$"
)
ACCOUNT_CURRENCY = re.compile(r"^(.*\d)([A-Z]{3})$")
IBAN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")
DOMESTIC = re.compile(r"^[0-9.]{7,12}$")
# The codes of the structured :86: dialects; a value runs until the next code.
CODES = (
    "TRTP|IBAN|BIC|NAME|REMI|EREF|CNTP|MARF|CSID|ORDP|BENM|ID|ADDR|ISDT|USTD|STRD|PREF|RTRN|"
    "CREF|ULTC|ULTD|ULTB|PURP|SVCL|CDTRREF|CDTRREFTP|CD|ISSR|CHGS|EXCH|OCMT|BUSP|SVBN"
)
CODE = re.compile(rf"(?=/({CODES})/)")
TRIODOS = re.compile(r">(\d{2})")
KNAB = re.compile(r"REK:\s*(\S+?)\s*/\s*NAAM:\s*(.*)$")
RABO_REFERENCE = re.compile(r"^(P?\d{7,10}|NONREF)\s{2,}(.+)$")


@dataclass
class _Field:
    tag: str
    line: int
    lines: list[str]


@dataclass
class _Draft:
    """A statement while its fields are read."""

    line: int
    reference: str
    account: str = ""
    number: str = ""
    opening: tuple | None = None
    closing: tuple | None = None
    closing_line: int = 0
    entries: list[dict] = field(default_factory=list)


def parse(data: bytes, *, max_bytes: int = MAX_BYTES) -> list[Statement]:
    """Every statement in an MT940 file, each checked to add up, or StatementError."""
    statements = read(data, max_bytes=max_bytes)
    for statement, line in statements:
        try:
            statement.check_balance()
        except StatementError as error:
            raise StatementError(error.message, line=line, params=error.params) from None
    return [statement for statement, _line in statements]


def read(data: bytes, *, max_bytes: int = MAX_BYTES) -> list[tuple[Statement, int]]:
    """Every statement with the line of its closing balance, without the balance check."""
    check_size(data, max_bytes)
    text = _decode(data)
    drafts = _statements(_fields(text))
    if not drafts:
        raise StatementError(gettext_noop("The file holds no MT940 statement."))
    return [_build(draft) for draft in drafts]


def _decode(data: bytes) -> str:
    """UTF-8 when it is; otherwise Windows-1252, which Dutch banks use, then Latin-1."""
    if b"\x00" in data:
        raise StatementError(gettext_noop("The file is not a text file."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _fields(text: str) -> list[_Field]:
    """The tagged fields with their continuation lines, envelope lines left out."""
    fields: list[_Field] = []
    current: _Field | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if line.startswith("{") and ":" in line:
            # A SWIFT envelope; block 4 may start the first field on the same line.
            current = None
            start = line.find("{4:")
            if start == -1:
                continue
            line = line[start + 3 :]
            if not line:
                continue
        match = TAG.match(line)
        if match:
            current = _Field(match.group(1), number, [match.group(2)])
            fields.append(current)
        elif line.startswith("-") or line.startswith(":940:"):
            current = None
        elif current is not None and current.tag in ("61", "86"):
            current.lines.append(line)
    return fields


def _statements(fields: list[_Field]) -> list[_Draft]:
    drafts: list[_Draft] = []
    draft: _Draft | None = None
    entry: dict | None = None
    for item in fields:
        value = item.lines[0].strip()
        if item.tag == "20":
            if draft is not None and draft.closing is None:
                raise StatementError(
                    gettext_noop(
                        "A new statement starts before the previous one has a closing balance."
                    ),
                    line=item.line,
                )
            draft = _Draft(item.line, value)
            drafts.append(draft)
            entry = None
            continue
        if draft is None:
            raise StatementError(
                gettext_noop(
                    "The field :%(tag)s: comes before the first statement reference :20:."
                ),
                line=item.line,
                params={"tag": item.tag},
            )
        if draft.closing is not None and item.tag not in ("64", "65", "86"):
            raise StatementError(
                gettext_noop("The field :%(tag)s: comes after the closing balance."),
                line=item.line,
                params={"tag": item.tag},
            )
        if item.tag == "25":
            draft.account = _account(value)
        elif item.tag in ("28", "28C"):
            draft.number = value
        elif item.tag in ("60F", "60M"):
            draft.opening = _balance(value, item.line)
        elif item.tag == "61":
            if draft.opening is None:
                raise StatementError(
                    gettext_noop("An entry comes before the opening balance."), line=item.line
                )
            entry = {"field": item, "info": []}
            draft.entries.append(entry)
        elif item.tag == "86":
            if entry is not None and draft.closing is None:
                entry["info"].append(item.lines)
        elif item.tag in ("62F", "62M"):
            draft.closing = _balance(value, item.line)
            draft.closing_line = item.line
            entry = None
    if draft is not None and draft.closing is None:
        raise StatementError(
            gettext_noop("The file ends before the closing balance of the last statement."),
            line=draft.line,
        )
    return drafts


def _account(value: str) -> str:
    account = value.replace(" ", "")
    if "/" in account:  # "TRIODOSBANK/0390123456", "INGBNL2A/NL.."
        account = account.rsplit("/", 1)[1]
    match = ACCOUNT_CURRENCY.match(account)
    return match.group(1) if match else account


def _balance(value: str, line: int) -> tuple[Decimal, datetime.date, str]:
    match = BALANCE.match(value)
    if not match:
        raise StatementError(
            gettext_noop("The balance %(value)s is not a valid MT940 balance."),
            line=line,
            params={"value": value},
        )
    mark, date, currency, amount = match.groups()
    number = _amount(amount)
    return (-number if mark == "D" else number, _date(date, line), currency)


def _amount(text: str) -> Decimal:
    return _cents(Decimal(text.replace(",", ".")) if text.rstrip(",") else Decimal(0))


def _date(text: str, line: int) -> datetime.date:
    try:
        return datetime.date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        raise StatementError(
            gettext_noop("The date %(value)s does not exist."), line=line, params={"value": text}
        ) from None


def _booking_date(value_date: datetime.date, mmdd: str, line: int) -> datetime.date:
    """The entry date has no year: take the value date's year, or the one next to it when the
    months are more than half a year apart (booked 31 December, value 2 January)."""
    month, day = int(mmdd[:2]), int(mmdd[2:])
    year = value_date.year
    if month - value_date.month > 6:
        year -= 1
    elif value_date.month - month > 6:
        year += 1
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise StatementError(
            gettext_noop("The date %(value)s does not exist."), line=line, params={"value": mmdd}
        ) from None


def _build(draft: _Draft) -> tuple[Statement, int]:
    if not draft.account:
        raise StatementError(gettext_noop("The statement has no account :25:."), line=draft.line)
    if draft.opening is None:
        raise StatementError(
            gettext_noop("The statement has no opening balance :60F:."), line=draft.line
        )
    opening, opening_date, currency = draft.opening
    closing, closing_date, closing_currency = draft.closing
    if closing_currency != currency:
        raise StatementError(
            gettext_noop(
                "The closing balance is in %(closing)s, the opening balance in %(opening)s."
            ),
            line=draft.closing_line,
            params={"closing": closing_currency, "opening": currency},
        )
    entries = tuple(_entry(item, currency) for item in draft.entries)
    statement_id = f"{draft.reference}/{draft.number}" if draft.number else draft.reference
    statement = Statement(
        account_iban=draft.account,
        currency=currency,
        statement_id=statement_id,
        opening_balance=opening,
        opening_date=opening_date,
        closing_balance=closing,
        closing_date=closing_date,
        entries=entries,
    )
    return statement, draft.closing_line


def _entry(item: dict, currency: str) -> Entry:
    source: _Field = item["field"]
    match = ENTRY.match(source.lines[0].strip())
    if not match:
        raise StatementError(
            gettext_noop("The entry %(value)s is not a valid MT940 entry line."),
            line=source.line,
            params={"value": source.lines[0].strip()},
        )
    value_date = _date(match["value"], source.line)
    booking_date = (
        _booking_date(value_date, match["booked"], source.line) if match["booked"] else value_date
    )
    amount = _amount(match["amount"])
    mark = match["mark"]
    if mark in ("D", "RC"):  # money out: a debit, or a credit reversed
        amount = -amount
    supplement = " ".join(line.strip() for line in source.lines[1:] if line.strip())
    reference = (match["ref"] or "").strip()
    details = _details(item["info"], reference, supplement)
    return Entry(
        booking_date=booking_date,
        value_date=value_date,
        amount=amount,
        currency=currency,
        bank_reference=(match["bank"] or "").strip(),
        reversal=mark.startswith("R"),
        **details,
    )


def _details(info: list[list[str]], reference: str, supplement: str) -> dict:
    """Counterparty and remittance from the :86: fields of one entry (see the module text)."""
    result = {
        "counterparty_name": "",
        "counterparty_iban": "",
        "remittance": "",
        "end_to_end_id": "",
    }
    if not info:
        return result
    # Rabobank's old dialect writes one :86: field per line.
    lines = [" ".join(part) for part in info] if len(info) > 1 else info[0]
    joined = "".join(lines)
    if joined.startswith("/") and CODE.search(joined):
        return _structured(joined, supplement)
    if TRIODOS.search(joined) and joined.lstrip().startswith(("000>", ">")):
        codes = _triodos(lines)
        result["counterparty_iban"] = codes.get("10", "")
        result["remittance"] = _clean("".join(codes.get(str(n), "") for n in range(20, 30)))
        return result
    for position, line in enumerate(lines):
        knab = KNAB.search(line)
        if knab:
            result["counterparty_iban"] = knab.group(1)
            result["counterparty_name"] = _clean(knab.group(2))
            rest = lines[:position] + lines[position + 1 :]
            result["remittance"] = _clean(" ".join(rest))
            return result
    first = lines[0].strip().split(None, 1)
    if supplement and first and first[0] in reference:
        # ASN and SNS: account and name first, the :61: line after carries the name again.
        result["counterparty_iban"] = first[0]
        result["counterparty_name"] = _clean(first[1] if len(first) > 1 else supplement)
        result["remittance"] = _clean(" ".join(lines[1:]))
        return result
    rabo = RABO_REFERENCE.match(reference)
    if rabo:
        result["counterparty_iban"] = "" if rabo.group(1) == "NONREF" else rabo.group(1)
        result["counterparty_name"] = _clean(rabo.group(2))
    result["remittance"] = _clean(" ".join(lines))
    return result


def _structured(text: str, supplement: str) -> dict:
    starts = [(match.start(), match.group(1)) for match in CODE.finditer(text)]
    values: dict[str, str] = {}
    for index, (start, code) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        values.setdefault(code, text[start + len(code) + 2 : end].strip("/ "))
    iban, name = values.get("IBAN", ""), values.get("NAME", "")
    if "CNTP" in values:
        parts = values["CNTP"].split("/")
        iban = iban or parts[0]
        name = name or (parts[2] if len(parts) > 2 else "")
    if not iban and IBAN.match(supplement.replace(" ", "")):
        iban = supplement.replace(" ", "")
    remittance = values.get("REMI", "") or values.get("USTD", "")
    if not remittance and "STRD" in values:
        remittance = values["STRD"].split("/")[-1]
    end_to_end = values.get("EREF", "")
    return {
        "counterparty_name": _clean(name),
        "counterparty_iban": iban,
        "remittance": _clean(remittance),
        "end_to_end_id": "" if end_to_end == "NOTPROVIDED" else end_to_end,
    }


def _triodos(lines: list[str]) -> dict[str, str]:
    text = "".join(lines)
    parts = TRIODOS.split(text)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _clean(text: str) -> str:
    return " ".join(text.split())


def _cents(number: Decimal) -> Decimal:
    """At least two decimals, so 9, and 9,00 read alike; more decimals are kept, not rounded."""
    return number.quantize(CENT) if number.as_tuple().exponent > -2 else number
