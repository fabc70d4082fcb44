"""Test helpers for the ledger: accounts of the standard chart by code, and euros."""

from decimal import Decimal

from moneyed import Money

from wijkbv.ledger.models import Account, Posting, Transaction


def account(cooperative, code: str) -> Account:
    return Account.objects.get(cooperative=cooperative, code=code)


def euros(amount) -> Money:
    return Money(Decimal(str(amount)), "EUR")


def ledger_rows(cooperative) -> tuple[int, int]:
    """(transactions, postings) of the cooperative: what a refused booking must leave as it was."""
    return (
        Transaction.objects.filter(cooperative=cooperative).count(),
        Posting.objects.filter(transaction__cooperative=cooperative).count(),
    )
