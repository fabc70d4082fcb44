"""Hours as people say them: "1 hour", "2.5 hours" ("1 uur", "2,5 uur" in Dutch)."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import ngettext
from djmoney.money import Money

register = template.Library()


def hours_text(hours) -> str:
    hours = Decimal(hours or 0)
    shown = number_format(hours.normalize() if hours else Decimal(0), use_l10n=True)
    return ngettext("%(hours)s hour", "%(hours)s hours", 1 if hours == 1 else 2) % {"hours": shown}


@register.filter
def hours(value) -> str:
    return hours_text(value)


@register.filter
def amount(contribution) -> str:
    """A gift of money as money: "€ 12,50"."""
    if contribution.amount is None:
        return ""
    return str(Money(contribution.amount, contribution.currency))


@register.filter
def money(value) -> str:
    """Any Money as the reader's language writes it: "€ 1.234,50" in Dutch."""
    return str(Money(value.amount, value.currency))
