"""The reconciliation of a bank account as of a date: the balance of its ledger account against
the bank's balance on the last statement that closed by then, and every open item between them.

The open items explain the difference (ledger less bank) exactly, when the books are in order:

- a bank line not booked yet is in the bank, not in the books;
- a booking on the bank's ledger account that no line of this bank account points to is in the
  books, not yet in the bank (a payment batch booked, not yet on a statement), or it was booked
  from a line of another bank account that shares the ledger account;
- a booking that lines point to for a different amount (one transaction may be pointed to by
  several lines, so amounts are compared per transaction);
- the opening balance of the first imported statement: money that was in the bank before the
  first line we know of.

The number of queries does not depend on the number of lines or bookings.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from budgets.models import BankAccount, BankLine, BankStatement
from wijkbv.ledger.models import Posting, cents
from wijkbv.ledger.selectors import balance_as_of

NOT_BOOKED = "not_booked"
NOT_IN_BANK = "not_in_bank"
OTHER_ACCOUNT = "other_account"
BOOKED_LATER = "booked_later"
DIFFERS = "differs"
OPENING = "opening"

KINDS = {
    NOT_BOOKED: _("In the bank, not booked yet"),
    NOT_IN_BANK: _("Booked, not in the bank yet"),
    OTHER_ACCOUNT: _("Booked from another bank account on the same ledger account"),
    BOOKED_LATER: _("In the bank, booked after this date or on another account"),
    DIFFERS: _("Booked for another amount than the bank lines"),
    OPENING: _("Opening balance of the first imported statement"),
}


@dataclass(frozen=True)
class OpenItem:
    """One thing between the books and the bank. `in_bank` and `in_books` are what each side
    holds of it (None: nothing); `effect` is what it adds to the difference, books less bank."""

    kind: str
    on: datetime.date | None
    description: str
    in_bank: Decimal | None
    in_books: Decimal | None
    line: int | None = None
    transaction: int | None = None

    @property
    def effect(self) -> Decimal:
        return (self.in_books or cents(0)) - (self.in_bank or cents(0))

    @property
    def label(self) -> str:
        return str(KINDS[self.kind])


@dataclass(frozen=True)
class Reconciliation:
    bank_account: BankAccount
    on: datetime.date
    currency: str
    ledger_balance: Decimal
    statement: BankStatement | None
    bank_balance: Decimal
    items: list[OpenItem] = field(default_factory=list)

    @property
    def difference(self) -> Decimal:
        """The books less the bank."""
        return self.ledger_balance - self.bank_balance

    @property
    def explained(self) -> Decimal:
        return sum((item.effect for item in self.items), cents(0))

    @property
    def unexplained(self) -> Decimal:
        return self.difference - self.explained

    @property
    def is_explained(self) -> bool:
        return self.unexplained == 0

    @property
    def lines_not_booked(self) -> list[OpenItem]:
        return [item for item in self.items if item.kind == NOT_BOOKED]


def reconcile(bank_account: BankAccount, on: datetime.date) -> Reconciliation:
    """The reconciliation of `bank_account` at the end of `on`."""
    ledger = bank_account.ledger_account
    statement = (
        BankStatement.objects.filter(bank_account=bank_account, closing_date__lte=on)
        .order_by("-closing_date", "-pk")
        .first()
    )
    ledger_balance = balance_as_of(ledger, on).amount
    if statement is None:
        bank_balance, items = cents(0), []
    else:
        bank_balance = cents(statement.closing_balance)
        items = _opening(bank_account) + _lines_not_booked(bank_account, statement.closing_date)
    items += _bookings(bank_account, on, statement.closing_date if statement else None)
    items.sort(key=lambda item: (item.on or datetime.date.min, item.kind))
    return Reconciliation(
        bank_account=bank_account,
        on=on,
        currency=ledger.currency,
        ledger_balance=cents(ledger_balance),
        statement=statement,
        bank_balance=bank_balance,
        items=items,
    )


def _opening(bank_account) -> list[OpenItem]:
    first = (
        BankStatement.objects.filter(bank_account=bank_account)
        .order_by("opening_date", "closing_date", "pk")
        .only("opening_date", "opening_balance", "statement_id")
        .first()
    )
    if first is None or cents(first.opening_balance) == 0:
        return []
    return [
        OpenItem(
            kind=OPENING,
            on=first.opening_date,
            description=first.statement_id,
            in_bank=cents(first.opening_balance),
            in_books=None,
        )
    ]


def _lines_not_booked(bank_account, until: datetime.date) -> list[OpenItem]:
    lines = (
        BankLine.objects.filter(
            bank_account=bank_account, booking_date__lte=until, booked_transaction__isnull=True
        )
        .order_by("booking_date", "pk")
        .values_list("pk", "booking_date", "amount", "counterparty_name", "remittance")
    )
    return [
        OpenItem(
            kind=NOT_BOOKED,
            on=day,
            description=" · ".join(part for part in (name, remittance) if part),
            in_bank=cents(amount),
            in_books=None,
            line=pk,
        )
        for pk, day, amount, name, remittance in lines
    ]


def _line_totals(lines) -> dict[int, Decimal]:
    """The sum of `lines` per transaction they point to. One grouped query: the lines are not
    looked up per transaction, so a bank line needs no index on its transaction (migration
    budgets 0010)."""
    return dict(
        lines.filter(booked_transaction__isnull=False)
        .order_by()
        .values_list("booked_transaction")
        .annotate(total=Sum("amount"))
    )


def _bookings(bank_account, on: datetime.date, until: datetime.date | None) -> list[OpenItem]:
    """Bookings on the ledger account up to `on` compared, per transaction, with the lines of
    this bank account up to `until` (the last statement's closing date) that point to them."""
    ledger = bank_account.ledger_account
    ours = BankLine.objects.filter(bank_account=bank_account)
    ours = ours.filter(booking_date__lte=until) if until else ours.none()
    others = BankLine.objects.filter(bank_account__ledger_account=ledger).exclude(
        bank_account=bank_account
    )
    postings = Posting.objects.filter(account=ledger, booking_date__lte=on)
    in_bank = _line_totals(ours)
    elsewhere = _line_totals(others)
    booked = (
        postings.order_by()
        .values("transaction_id", "transaction__booking_date", "transaction__description")
        .annotate(books=Sum("amount"))
    )
    items = []
    for row in booked.iterator(chunk_size=2000):
        total = in_bank.get(row["transaction_id"])
        books, bank = cents(row["books"]), cents(total)
        if books == bank:
            continue
        if total is None:
            kind = OTHER_ACCOUNT if row["transaction_id"] in elsewhere else NOT_IN_BANK
        else:
            kind = DIFFERS
        items.append(
            OpenItem(
                kind=kind,
                on=row["transaction__booking_date"],
                description=row["transaction__description"],
                in_bank=None if total is None else bank,
                in_books=books,
                transaction=row["transaction_id"],
            )
        )
    # Lines booked as a transaction that has no posting on the ledger account by `on`.
    later = (
        ours.filter(booked_transaction__isnull=False)
        .exclude(booked_transaction__in=postings.values("transaction_id"))
        .order_by()
        .values(
            "booked_transaction",
            "booked_transaction__booking_date",
            "booked_transaction__description",
        )
        .annotate(bank=Sum("amount"))
    )
    for row in later.iterator(chunk_size=2000):
        items.append(
            OpenItem(
                kind=BOOKED_LATER,
                on=row["booked_transaction__booking_date"],
                description=row["booked_transaction__description"],
                in_bank=cents(row["bank"]),
                in_books=None,
                transaction=row["booked_transaction"],
            )
        )
    return items
