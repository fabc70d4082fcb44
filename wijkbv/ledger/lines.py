"""Writing the lines of a booking: `debit(bank, Money("12.50", "EUR"))` reads better than a sign.

A line is a pair (account, signed Money), debit positive. `debit` and `credit` take the amount as
a person says it, more than zero, and give it its sign.
"""

from django.utils.translation import gettext as _
from moneyed import Money

from wijkbv.errors import DomainError


def debit(account, amount: Money) -> tuple:
    return account, _positive(amount)


def credit(account, amount: Money) -> tuple:
    return account, -_positive(amount)


def _positive(amount: Money) -> Money:
    if not isinstance(amount, Money):
        raise TypeError(f"an amount is Money, not {type(amount).__name__}")
    if amount.amount <= 0:
        raise DomainError(_("An amount must be more than zero."), field="amount")
    return amount
