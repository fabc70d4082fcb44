"""Amounts on the budgets pages as the reader's language writes money."""

from django import template

from budgets import explain

register = template.Library()


@register.filter
def money(amount, currency="EUR") -> str:
    """A Decimal (or the text a tally stored) with its currency: "€ 1.800,00" in Dutch."""
    if amount is None or amount == "":
        return ""
    return explain.money(amount, currency or "EUR")
