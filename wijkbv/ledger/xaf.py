"""The whole book of one year as an XML Auditfile Financieel 3.2 (XAF), the Dutch standard file
that accountants and the tax office import: the chart of accounts, the balances the year opened
with, and every transaction of the year, grouped in one journal per kind of decision.

The file is written in pieces (`export` returns an iterator of bytes), so a large book never sits
in memory whole: the small parts are built with xml.etree and the transactions are read from the
database in chunks, one transaction element at a time. All reads run in one database transaction
(on PostgreSQL with repeatable read), so the totals written at the start of the file are those of
the transactions that follow, even while others are booking.

See docs/decisions/0054-xaf-audit-file.md.
"""

import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from importlib import metadata
from xml.etree import ElementTree as ET

from django.db import connection, transaction
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkbv.errors import DomainError
from wijkbv.ledger.models import AccountType, Posting, Transaction, cents

NAMESPACE = "http://www.auditfiles.nl/XAF/3.2"
SOFTWARE = "wijkbv"
# Postings read per round trip while the transactions are written.
CHUNK = 2000
# Field lengths of XAF 3.2.
ID_LENGTH = 35
# Journals for the decisions that move money through a bank account; the others are memorial.
BANK_ACTIONS = ("bank.",)
BALANCE_SHEET = {AccountType.ASSET, AccountType.LIABILITY, AccountType.EQUITY}
# Characters XML 1.0 cannot hold at all; a description that has one loses it.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def years(cooperative) -> tuple[int, int]:
    """The first and last year of the cooperative's books: from its founding (or its first
    booking, if earlier) to this year."""
    first_booking = Transaction.objects.filter(cooperative=cooperative).aggregate(
        first=Min("booking_date")
    )["first"]
    first = timezone.localtime(cooperative.created_at).year
    if first_booking is not None:
        first = min(first, first_booking.year)
    return first, timezone.localdate().year


def check_year(cooperative, year) -> int:
    """`year` as a number within the books, or a DomainError saying which years there are."""
    first, last = years(cooperative)
    try:
        number = int(str(year).strip())
    except (TypeError, ValueError):
        number = None
    if number is None or not first <= number <= last:
        raise DomainError(
            _("Choose a year of the books: from %(first)s to %(last)s.")
            % {"first": first, "last": last},
            field="year",
            code="year",
        )
    return number


def file_name(cooperative, year: int) -> str:
    return f"{cooperative.slug}-{year}.xaf"


def export(cooperative, year, *, created: datetime.date | None = None) -> Iterator[bytes]:
    """The audit file of `year`, in pieces. The year is checked at once (a DomainError), the
    book is read while the pieces are taken."""
    year = check_year(cooperative, year)
    return _pieces(cooperative, year, created or timezone.localdate())


def write(cooperative, year, out, *, created: datetime.date | None = None) -> None:
    """Write the audit file of `year` to the binary file `out`."""
    for piece in export(cooperative, year, created=created):
        out.write(piece)


@contextmanager
def _snapshot():
    """One database transaction for every read; on PostgreSQL one snapshot for all of them."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _pieces(cooperative, year: int, created: datetime.date) -> Iterator[bytes]:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    with _snapshot():
        yield b'<?xml version="1.0" encoding="UTF-8"?>\n'
        yield f'<auditfile xmlns="{NAMESPACE}">'.encode()
        yield _xml(_header(cooperative, year, start, end, created))
        yield b"<company>"
        for element in _company(cooperative):
            yield _xml(element)
        accounts = list(cooperative.accounts.order_by("code"))
        yield _xml(_general_ledger(accounts))
        yield _xml(_periods(year))
        yield _xml(_opening_balance(cooperative, accounts, start))
        yield from _transactions(cooperative, accounts, start, end)
        yield b"</company></auditfile>\n"


def _xml(element) -> bytes:
    return ET.tostring(element, encoding="utf-8", xml_declaration=False)


def _add(parent, tag: str, text) -> ET.Element:
    child = ET.SubElement(parent, tag)
    child.text = _NOT_XML.sub("", str(text))
    return child


def _amount(amount: Decimal) -> str:
    return f"{cents(abs(amount)):.2f}"


def _side(amount: Decimal) -> str:
    return "D" if amount > 0 else "C"


def _header(cooperative, year, start, end, created) -> ET.Element:
    header = ET.Element("header")
    _add(header, "fiscalYear", year)
    _add(header, "startDate", start.isoformat())
    _add(header, "endDate", end.isoformat())
    _add(header, "curCode", cooperative.currency)
    _add(header, "dateCreated", created.isoformat())
    _add(header, "softwareDesc", SOFTWARE)
    _add(header, "softwareVersion", metadata.version(SOFTWARE)[:20])
    return header


def _company(cooperative) -> list[ET.Element]:
    elements = []
    if cooperative.kvk_number:
        ident = ET.Element("companyIdent")
        ident.text = cooperative.kvk_number
        elements.append(ident)
    for tag, text in (
        ("companyName", cooperative.name),
        ("taxRegistrationCountry", "NL"),
        # Required by the standard; a cooperative without a VAT number leaves it empty.
        ("taxRegIdent", ""),
    ):
        element = ET.Element(tag)
        element.text = _NOT_XML.sub("", text)
        elements.append(element)
    return elements


def _general_ledger(accounts) -> ET.Element:
    ledger = ET.Element("generalLedger")
    for account in accounts:
        entry = ET.SubElement(ledger, "ledgerAccount")
        _add(entry, "accID", account.code)
        _add(entry, "accDesc", account.name)
        _add(entry, "accTp", "B" if account.type in BALANCE_SHEET else "P")
    return ledger


def _periods(year: int) -> ET.Element:
    periods = ET.Element("periods")
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        last = (first + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)
        period = ET.SubElement(periods, "period")
        _add(period, "periodNumber", month)
        _add(period, "periodDesc", first.strftime("%Y-%m"))
        _add(period, "startDatePeriod", first.isoformat())
        _add(period, "endDatePeriod", last.isoformat())
    return periods


def _opening_balance(cooperative, accounts, start) -> ET.Element:
    """Every account's balance at the end of the day before the year starts. Once a year is
    closed its income and costs have gone to the reserve, so then only balance-sheet accounts
    remain; a year not closed yet keeps them, so that debits still equal credits."""
    totals = (
        Posting.objects.filter(account__cooperative=cooperative, booking_date__lt=start)
        .order_by()
        .values("account_id")
        .annotate(total=Sum("amount"))
    )
    balances = {row["account_id"]: cents(row["total"]) for row in totals}
    lines = [(account, balances[account.pk]) for account in accounts if balances.get(account.pk)]
    debit = sum((amount for _account, amount in lines if amount > 0), cents(0))
    credit = -sum((amount for _account, amount in lines if amount < 0), cents(0))
    opening = ET.Element("openingBalance")
    _add(opening, "opBalDate", start.isoformat())
    _add(opening, "opBalDesc", _("Opening balance %(year)s") % {"year": start.year})
    _add(opening, "linesCount", len(lines))
    _add(opening, "totalDebit", _amount(debit))
    _add(opening, "totalCredit", _amount(credit))
    for number, (account, amount) in enumerate(lines, start=1):
        line = ET.SubElement(opening, "obLine")
        _add(line, "nr", number)
        _add(line, "accID", account.code)
        _add(line, "amnt", _amount(amount))
        _add(line, "amntTp", _side(amount))
    return opening


def _transactions(cooperative, accounts, start, end) -> Iterator[bytes]:
    postings = Posting.objects.filter(
        transaction__cooperative=cooperative, booking_date__gte=start, booking_date__lte=end
    )
    totals = postings.aggregate(
        lines=Count("pk"),
        debit=Sum("amount", filter=Q(amount__gt=0)),
        credit=Sum("amount", filter=Q(amount__lt=0)),
    )
    head = ET.Element("transactions")
    _add(head, "linesCount", totals["lines"])
    _add(head, "totalDebit", _amount(cents(totals["debit"])))
    _add(head, "totalCredit", _amount(cents(totals["credit"])))
    # The opening and closing tags are written apart, so that the journals stream in between.
    text = _xml(head)
    yield text[: -len(b"</transactions>")]
    codes = {account.pk: account.code for account in accounts}
    rows = (
        postings.order_by("transaction__action", "booking_date", "transaction_id", "pk")
        .values_list(
            "pk",
            "transaction_id",
            "transaction__action",
            "transaction__description",
            "transaction__cause",
            "booking_date",
            "account_id",
            "amount",
        )
        .iterator(chunk_size=CHUNK)
    )
    journal = None
    current, current_id = None, None
    for pk, transaction_id, action, description, cause, day, account_id, amount in rows:
        if action != journal:
            if current is not None:
                yield _xml(current)
                current, current_id = None, None
            if journal is not None:
                yield b"</journal>"
            journal = action
            yield _journal_head(action)
        if current is None or current_id != transaction_id:
            if current is not None:
                yield _xml(current)
            current = _transaction_element(transaction_id, description, day)
            current_id = transaction_id
        line = ET.SubElement(current, "trLine")
        _add(line, "nr", pk)
        _add(line, "accID", codes[account_id])
        _add(line, "docRef", (cause or f"transaction:{transaction_id}")[:999])
        _add(line, "effDate", day.isoformat())
        _add(line, "desc", description)
        amount = cents(amount)
        _add(line, "amnt", _amount(amount))
        _add(line, "amntTp", _side(amount))
    if current is not None:
        yield _xml(current)
    if journal is not None:
        yield b"</journal>"
    yield b"</transactions>"


def _journal_head(action: str) -> bytes:
    head = ET.Element("journal")
    _add(head, "jrnID", action[:ID_LENGTH])
    _add(head, "desc", action)
    _add(head, "jrnTp", "B" if action.startswith(BANK_ACTIONS) else "M")
    return _xml(head)[: -len(b"</journal>")]


def _transaction_element(transaction_id, description, day) -> ET.Element:
    element = ET.Element("transaction")
    _add(element, "nr", transaction_id)
    _add(element, "desc", description)
    _add(element, "periodNumber", day.month)
    _add(element, "trDt", day.isoformat())
    return element
