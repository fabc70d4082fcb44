"""Matching bank statement lines to what they pay: plain Python with no Django import.

A line is compared with the open items (share subscriptions, expenses, advances, Stripe payouts,
receipts of a funding stream) through indexes built once per run, never by walking every item:
by payment reference, by end-to-end id, by (counterparty IBAN, amount) and by amount.

What each reason gives (AUTO_BOOK is the line above which a service books without asking):

- "reference": a payment reference in the remittance equals the item's. For an ISO 11649 (RF)
  reference the check digits must be right; spaces and lower case in the text do not matter.
  1.0 when the amount is the item's, 0.7 when not (part payment, reversal, typing mistake).
- "end_to_end": the line's end-to-end id is the item's (our own pain.001 payments coming back).
  1.0 with the item's amount, 0.7 without.
- "iban_amount": the counterparty IBAN is known for the item and the amount is exact. 0.9 for
  the only such item; with two or more, 0.8 for the one due nearest the line's booking date and
  0.7 for the others.
- "amount_date": the exact amount, due within `date_window_days` of the booking date (edges
  included), the IBAN not known for the item. 0.6 for the only such item, else 0.5 each.
- "payer": money in from the IBAN of an item that takes any amount up to its own (`up_to`: a
  funding stream, whose funder pays its commitment in parts). 0.9 when the amount is more than
  nothing and no more than the item still expects, 0.6 when it is more (an odd amount).

An item found for more than one reason keeps the highest. A line gets at most three
suggestions, best first; ties are put in order by nearness of the due date, then kind and key,
so the answer does not depend on the order of the items.

A match is confident when it is at or above AUTO_BOOK and no other suggestion of the line has
the same confidence. Within one run an item is booked once (an `up_to` item may be paid by
several lines; the caller keeps count of what it still expects): the lines are taken by booking date
(then by their place in the file) and the first confident line takes the item; a later line
whose confident match names the same item keeps its suggestions for the treasurer, with
`claimed_by` saying which line took the item, and `confident` gives None for it.
"""

from __future__ import annotations

import bisect
import datetime
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from stdnum import iso11649

from budgets.statements.model import Entry

AUTO_BOOK = 0.9
MAX_SUGGESTIONS = 3

REFERENCE = "reference"
END_TO_END = "end_to_end"
IBAN_AMOUNT = "iban_amount"
AMOUNT_DATE = "amount_date"
PAYER = "payer"


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue without importing Django; the page that
    shows a reason translates it."""
    return message


REASONS = {
    REFERENCE: gettext_noop("The payment reference in the description"),
    END_TO_END: gettext_noop("Our own payment came back with its payment number"),
    IBAN_AMOUNT: gettext_noop("A known bank account and the exact amount"),
    AMOUNT_DATE: gettext_noop("The exact amount, close to the date it was due"),
    PAYER: gettext_noop("Money from the account this funder pays from"),
}
CLAIMED = gettext_noop("An earlier line in this statement already paid this")

# Ids that banks write when there is no end-to-end id: they say nothing about the payment.
_NO_END_TO_END = frozenset({"", "NOTPROVIDED", "NOT PROVIDED"})

# The start of an RF reference in free text; the rest is read character by character, because
# people and banks write it in groups of four, in lower case, or between slashes.
# Matched in a lookahead, so that a second reference inside the first one's run is found too.
_RF_RUN = re.compile(r"(?<![A-Za-z0-9])(?=([Rr][Ff][0-9]{2}[A-Za-z0-9]*(?: [A-Za-z0-9]+){0,21}))")
_WORD = re.compile(r"[A-Za-z0-9_-]+")
_RF_MAX = 25
_RF_MIN = 5


@dataclass(frozen=True)
class OpenItem:
    """Something a bank line may pay. `amount` is signed as the line will be: money in
    positive, money out negative. `reference` is an RF reference or another payment reference
    (a Stripe payout id, an invoice number); `ibans` are the counterparty accounts known for it;
    `due` is the date the money is expected. `(kind, key)` names the item. With `up_to`, the
    item takes any money in from one of its `ibans` up to `amount` (what it still expects)."""

    kind: str
    key: str
    amount: Decimal
    reference: str = ""
    ibans: frozenset[str] = frozenset()
    due: datetime.date | None = None
    end_to_end_id: str = ""
    up_to: bool = False


@dataclass(frozen=True, slots=True)
class Match:
    """One suggestion: line `line_index` pays item (`kind`, `item_key`), for `reason`."""

    line_index: int
    item_key: str
    kind: str
    confidence: float
    reason: str


@dataclass(frozen=True, slots=True)
class Suggestions:
    """What one line may pay, best first (at most three). `claimed_by` is the index of an
    earlier line of the same run that was confidently matched to this line's best item."""

    line_index: int
    matches: tuple[Match, ...] = ()
    claimed_by: int | None = None


def confident(suggestions: Suggestions) -> Match | None:
    """The match to book without asking, or None: the best suggestion when it reaches
    AUTO_BOOK, no other suggestion is as confident, and no earlier line took its item."""
    matches = suggestions.matches
    if not matches or suggestions.claimed_by is not None:
        return None
    return _confident_in(matches)


def _confident_in(matches: tuple[Match, ...]) -> Match | None:
    best = matches[0]
    if best.confidence < AUTO_BOOK:
        return None
    if len(matches) > 1 and matches[1].confidence == best.confidence:
        return None
    return best


def compact_iban(iban: str) -> str:
    return iban.replace(" ", "").upper()


def rf_references(text: str, known=None) -> list[str]:
    """The RF references with valid check digits in free text, compact and in capitals.

    From each "RF" and two digits, the letters and digits that follow (across single spaces,
    as in "RF16 SH00 0000 42") are read up to 25 characters; a reference ends where a word
    ends. With `known` (a set of compact references whose check digits are right), the longest
    reading that is known is taken; without it, the longest valid reading."""
    found = []
    for run in _RF_RUN.finditer(text):
        for reading in reversed(_readings(run.group(1))):
            if known is not None:
                if reading in known:
                    found.append(reading)
                    break
            elif iso11649.is_valid(reading):
                found.append(reading)
                break
    return found


def _readings(run: str) -> list[str]:
    """Compact prefixes of a run of words, each ending at a word's end, 5 to 25 characters."""
    readings: list[str] = []
    compact = ""
    for word in run.upper().split(" "):
        compact += word
        if len(compact) > _RF_MAX:
            break
        if len(compact) >= _RF_MIN:
            readings.append(compact)
    return readings


class _Known(dict):
    """Items by RF reference. `in` answers only for references with valid check digits: an
    item of ours whose reference is wrong would otherwise match a typing mistake."""

    def __init__(self):
        super().__init__()
        self.valid: dict[str, bool] = {}

    def __contains__(self, reference) -> bool:
        if not dict.__contains__(self, reference):
            return False
        valid = self.valid.get(reference)
        if valid is None:
            valid = self.valid[reference] = _valid_rf(reference)
        return valid


# A reference already compact: "RF", its check digits and up to 21 letters and digits.
_PLAIN_RF = re.compile(r"RF[0-9A-Z]{3,23}")
# Letters as ISO 7064 writes them to take the remainder: A is 10, ..., Z is 35.
_AS_DIGITS = {ord(letter): str(10 + place) for place, letter in enumerate(string.ascii_uppercase)}


def _valid_rf(reference: str) -> bool:
    """`iso11649.is_valid`, with the check digits of a reference that is already compact
    (tens of thousands in one run) taken in one pass; any other text goes to stdnum."""
    if not _PLAIN_RF.fullmatch(reference):
        return iso11649.is_valid(reference)
    return int((reference[4:] + reference[:4]).translate(_AS_DIGITS)) % 97 == 1


class _Index:
    """The open items arranged for lookups by reference, end-to-end id, IBAN and amount."""

    def __init__(self, items: Sequence[OpenItem]):
        self.rf: _Known = _Known()
        self.other: dict[str, list[OpenItem]] = {}
        self.end_to_end: dict[str, list[OpenItem]] = {}
        self.iban_amount: dict[tuple[str, Decimal], list[OpenItem]] = {}
        self.payer: dict[str, list[OpenItem]] = {}
        by_amount: dict[Decimal, list[tuple[int, str, str, int, OpenItem]]] = {}
        for place, item in enumerate(items):
            reference = item.reference.replace(" ", "").upper()
            if _RF_RUN.match(reference):
                # Check digits are checked when a line names the reference (`_Known`), so that
                # items no line pays cost nothing.
                self.rf.setdefault(reference, []).append(item)
            elif reference:
                self.other.setdefault(reference, []).append(item)
            if item.end_to_end_id and item.end_to_end_id.upper() not in _NO_END_TO_END:
                self.end_to_end.setdefault(item.end_to_end_id, []).append(item)
            if item.up_to:
                for iban in item.ibans:
                    self.payer.setdefault(compact_iban(iban), []).append(item)
                continue
            for iban in item.ibans:
                self.iban_amount.setdefault((compact_iban(iban), item.amount), []).append(item)
            if item.due is not None:
                dated = (item.due.toordinal(), item.kind, item.key, place, item)
                by_amount.setdefault(item.amount, []).append(dated)
        self.amount: dict[Decimal, tuple[list[int], list[OpenItem]]] = {}
        for amount, dated in by_amount.items():
            # By due date, then by name: the order of the items given does not matter.
            dated.sort()
            self.amount[amount] = ([each[0] for each in dated], [each[4] for each in dated])


def match(
    lines: Sequence[Entry], items: Sequence[OpenItem], *, date_window_days: int = 10
) -> list[Suggestions]:
    """For each line, in the order given, what it may pay (see the module's docstring)."""
    index = _Index(items)
    found: list[tuple[Match, ...]] = [
        _suggest(number, line, index, date_window_days) for number, line in enumerate(lines)
    ]
    sure = [
        (lines[number].booking_date, number, best)
        for number, matches in enumerate(found)
        if matches and (best := _confident_in(matches)) is not None
    ]
    sure.sort(key=lambda held: (held[0], held[1]))
    taken: dict[tuple[str, str], int] = {}
    claimed: dict[int, int] = {}
    paid_in_parts = {(item.kind, item.key) for item in items if item.up_to}
    for _, number, best in sure:
        item = (best.kind, best.item_key)
        if item in paid_in_parts:
            continue
        if item in taken:
            claimed[number] = taken[item]
        else:
            taken[item] = number
    return [
        Suggestions(number, matches, claimed.get(number)) for number, matches in enumerate(found)
    ]


def _suggest(number: int, line: Entry, index: _Index, window: int) -> tuple[Match, ...]:
    # Every (confidence, reason, item) found; an item found twice keeps its best below.
    offers: list[tuple[float, str, OpenItem]] = []
    amount = line.amount
    remittance = line.remittance
    if remittance:
        if index.rf:
            for reference in rf_references(remittance, index.rf):
                for item in index.rf[reference]:
                    offers.append((1.0 if item.amount == amount else 0.7, REFERENCE, item))
        if index.other:
            for word in _WORD.findall(remittance):
                for item in index.other.get(word.upper(), ()):
                    offers.append((1.0 if item.amount == amount else 0.7, REFERENCE, item))
    if line.end_to_end_id:
        for item in index.end_to_end.get(line.end_to_end_id, ()):
            offers.append((1.0 if item.amount == amount else 0.7, END_TO_END, item))
    day = line.booking_date.toordinal()
    iban = line.counterparty_iban
    by_iban: list[OpenItem] = []
    if iban and index.payer and amount > 0:
        for item in index.payer.get(compact_iban(iban), ()):
            offers.append((0.9 if amount <= item.amount else 0.6, PAYER, item))
    if iban and index.iban_amount:
        by_iban = index.iban_amount.get((compact_iban(iban), amount), by_iban)
        if len(by_iban) == 1:
            offers.append((0.9, IBAN_AMOUNT, by_iban[0]))
        elif by_iban:
            nearest, *others = sorted(by_iban, key=lambda item: _nearness(item, day))
            offers.append((0.8, IBAN_AMOUNT, nearest))
            offers.extend((0.7, IBAN_AMOUNT, item) for item in others)
    dated = index.amount.get(amount) if index.amount else None
    if dated is not None:
        dues, dated_items = dated
        low = bisect.bisect_left(dues, day - window)
        high = bisect.bisect_right(dues, day + window)
        if low < high:
            # An item whose IBAN is known for this line was offered above, for a better reason.
            near = [item for item in dated_items[low:high] if item not in by_iban]
            confidence = 0.6 if len(near) == 1 else 0.5
            offers.extend((confidence, AMOUNT_DATE, item) for item in near)
    if not offers:
        return ()
    if len(offers) > 1:
        kept: dict[int, tuple[float, str, OpenItem]] = {}
        for offer in offers:
            held = kept.get(id(offer[2]))
            if held is None or held[0] < offer[0]:
                kept[id(offer[2])] = offer
        offers = sorted(kept.values(), key=lambda held: (-held[0], *_nearness(held[2], day)))
    return tuple(
        Match(number, item.key, item.kind, confidence, reason)
        for confidence, reason, item in offers[:MAX_SUGGESTIONS]
    )


def _nearness(item: OpenItem, day: int) -> tuple[int, str, str]:
    """Sorts items by how near their due date is to `day` (no date last), then by name."""
    distance = abs(item.due.toordinal() - day) if item.due is not None else 1 << 30
    return distance, item.kind, item.key
