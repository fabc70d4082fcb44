"""The one shape every statement format is read into.

Amounts are Decimal, signed from the account holder's side: money in is positive, money out
negative. Dates are datetime.date. Text fields are "" when the file has none, never None, so a
comparison of two readings of one file is a comparison of values.

Invariant of a `Statement` a parser returns: opening balance + the sum of its entries' amounts
= closing balance. A file whose numbers do not add up is refused (StatementError), not returned.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue (`makemessages` finds this name) without
    importing Django; the caller translates it when it shows it (StatementError.text)."""
    return message


# The largest file a reader accepts by default; a month of a busy account is far below it.
MAX_BYTES = 50 * 1024 * 1024


class StatementError(ValueError):
    """A file that cannot be read as a statement. `message` is plain words for the person who
    uploaded it; `line` is the line (or, for XML, the element path) where the problem is, when
    known. The message is English, marked with `gettext_noop`, with its values in `params`."""

    def __init__(self, message: str, *, line: int | str | None = None, params: dict | None = None):
        self.message = message
        self.line = line
        self.params = params or {}
        super().__init__(self.text())

    def text(self, translate=lambda text: text) -> str:
        """The message in the reader's language (`translate` is gettext), with its line."""
        text = translate(self.message) % self.params if self.params else translate(self.message)
        if self.line is None:
            return text
        where = translate(gettext_noop("line %(line)s: %(problem)s"))
        return where % {"line": self.line, "problem": text}


# Slots: a year of a busy account is 100,000 entries, made a quarter faster and smaller so.
@dataclass(frozen=True, slots=True)
class Entry:
    """One booked line of a statement.

    `bank_reference` is the bank's own id of the entry (CAMT AcctSvcrRef, MT940 :61: bank
    reference), "" when the bank gives none. `batch` holds the single transactions of a batch
    booking (CAMT NtryDtls with several TxDtls); the entry's own amount is the batch total.
    `reversal` is True for a reversal (CAMT RvslInd, MT940 RC/RD), whose amount is signed as the
    money actually moved."""

    booking_date: datetime.date
    value_date: datetime.date | None
    amount: Decimal
    currency: str
    counterparty_name: str = ""
    counterparty_iban: str = ""
    remittance: str = ""
    end_to_end_id: str = ""
    bank_reference: str = ""
    reversal: bool = False
    batch: tuple[Entry, ...] = ()


@dataclass(frozen=True)
class Statement:
    """One statement of one account: what the bank says was there at the start, what moved,
    and what was there at the end."""

    account_iban: str
    currency: str
    statement_id: str
    opening_balance: Decimal
    opening_date: datetime.date
    closing_balance: Decimal
    closing_date: datetime.date
    entries: tuple[Entry, ...] = field(default_factory=tuple)

    def check_balance(self) -> None:
        """Refuse a statement whose entries do not add up from opening to closing balance."""
        moved = sum((entry.amount for entry in self.entries), Decimal(0))
        if self.opening_balance + moved != self.closing_balance:
            raise StatementError(
                gettext_noop(
                    "The opening balance %(opening)s and the entries (%(moved)s together) do "
                    "not add up to the closing balance %(closing)s."
                ),
                params={
                    "opening": self.opening_balance,
                    "moved": moved,
                    "closing": self.closing_balance,
                },
            )


def as_json(statement: Statement) -> dict:
    """A statement as JSON-safe data, as `import_statement --dry-run` prints it."""

    def entry(e: Entry) -> dict:
        data = {
            "booking_date": e.booking_date.isoformat(),
            "value_date": e.value_date.isoformat() if e.value_date else None,
            "amount": str(e.amount),
            "currency": e.currency,
            "counterparty_name": e.counterparty_name,
            "counterparty_iban": e.counterparty_iban,
            "remittance": e.remittance,
            "end_to_end_id": e.end_to_end_id,
            "bank_reference": e.bank_reference,
            "reversal": e.reversal,
        }
        if e.batch:
            data["batch"] = [entry(part) for part in e.batch]
        return data

    return {
        "account_iban": statement.account_iban,
        "currency": statement.currency,
        "statement_id": statement.statement_id,
        "opening_balance": str(statement.opening_balance),
        "opening_date": statement.opening_date.isoformat(),
        "closing_balance": str(statement.closing_balance),
        "closing_date": statement.closing_date.isoformat(),
        "entries": [entry(e) for e in statement.entries],
    }


def check_size(data: bytes, max_bytes: int | None = None) -> None:
    """Refuse a file larger than `max_bytes` before reading any of it."""
    check_file_size(len(data), max_bytes)


def check_file_size(size: int, max_bytes: int | None = None) -> None:
    """Refuse a file of `size` bytes above `max_bytes` (MAX_BYTES when None), for an upload
    whose size is known before it is read."""
    limit = MAX_BYTES if max_bytes is None else max_bytes
    if size > limit:
        raise StatementError(
            gettext_noop("The file is larger than %(limit)s; a bank statement is never this big."),
            params={"limit": _size(limit)},
        )


def _size(count: int) -> str:
    """A number of bytes as people say it: 50 MB, 1 kB."""
    for unit, size in (("MB", 1024 * 1024), ("kB", 1024)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count} B"
