"""Reading balances. Signs are the book's: debit positive, credit negative (a bank account in
credit is positive, a project budget with money left is negative). `natural` turns a balance into
the way people read it for that kind of account.
"""

import datetime

from django.db.models import Sum
from djmoney.money import Money

from wijkbv.ledger.models import Account, AccountType, Balance, ClosingBalance, Posting, cents


def balance(account: Account) -> Money:
    """The account's balance now: one row, whatever the number of postings."""
    amount = Balance.objects.filter(pk=account.pk).values_list("amount", flat=True).get()
    return Money(cents(amount), account.currency)


def balance_as_of(account: Account, on_date: datetime.date) -> Money:
    """The balance at the end of `on_date`: the closing balance of the last closed period up to
    that date, plus the postings after it. It reads the postings of at most one open stretch of
    time, however long the book is."""
    closing = (
        ClosingBalance.objects.filter(account=account, period__until__lte=on_date)
        .order_by("-period__until")
        .values_list("amount", "period__until")
        .first()
    )
    postings = Posting.objects.filter(account=account, booking_date__lte=on_date)
    start = cents(0)
    if closing is not None:
        start, closed_until = closing
        postings = postings.filter(booking_date__gt=closed_until)
    moved = postings.aggregate(total=Sum("amount"))["total"]
    return Money(cents(start) + cents(moved), account.currency)


def balances_by_type(cooperative) -> dict[str, Money]:
    """The total balance of each account type of the cooperative (every type, zero when empty)."""
    totals = dict.fromkeys(AccountType.values, cents(0))
    rows = (
        Balance.objects.filter(account__cooperative=cooperative)
        .values("account__type")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        totals[row["account__type"]] = cents(row["total"])
    return {kind: Money(total, cooperative.currency) for kind, total in totals.items()}


def balances(cooperative) -> list[tuple[Account, Money]]:
    """Every account of the cooperative with its balance, in order of code: one query."""
    accounts = Account.objects.filter(cooperative=cooperative).select_related("balance")
    return [
        (account, Money(cents(account.balance.amount), account.currency))
        for account in accounts.order_by("code")
    ]


def natural(account: Account, amount: Money) -> Money:
    """A balance as people read it: positive when an asset or expense is in debit, and when a
    liability, equity or income account is in credit."""
    return amount if account.is_debit_normal else -amount
