"""What the suggestion stored on a bank line is, in words, for the bank lines page: "Expense 12
— €45.50", "Stripe payout po_… — €120.00". Read for one page of lines with at most one query
per kind of item suggested, whatever the number of lines."""

from collections import defaultdict

from django.utils.translation import gettext as _
from djmoney.money import Money

from budgets import matching
from budgets.models import Advance, BankLineStatus, Expense, FundingStream, PaymentBatch


def _money(amount, currency) -> str:
    return str(Money(amount, currency))


def _expenses(cooperative, keys):
    return {
        each.pk: _("Expense %(number)s — %(amount)s")
        % {"number": each.number, "amount": _money(each.amount, each.currency)}
        for each in Expense.objects.filter(cooperative=cooperative, pk__in=keys)
    }


def _advances(cooperative, keys):
    return {
        each.pk: _("Advance %(number)s — %(amount)s")
        % {"number": each.number, "amount": _money(each.amount, each.currency)}
        for each in Advance.objects.filter(cooperative=cooperative, pk__in=keys)
    }


def _returns(cooperative, keys):
    return {
        each.pk: _("Returned of advance %(number)s — %(amount)s")
        % {"number": each.number, "amount": _money(each.to_return, each.currency)}
        for each in Advance.objects.filter(cooperative=cooperative, pk__in=keys)
    }


def _batches(cooperative, keys):
    return {
        each.pk: _("Payment batch %(number)s, %(count)s payments — %(amount)s")
        % {
            "number": each.number,
            "count": each.item_count,
            "amount": _money(each.total, each.currency),
        }
        for each in PaymentBatch.objects.filter(cooperative=cooperative, pk__in=keys)
    }


def _payouts(cooperative, keys):
    from wijkbv.payments.models import Payout

    return {
        each.pk: _("Stripe payout %(id)s — %(amount)s")
        % {"id": each.stripe_id, "amount": _money(each.amount.amount, each.amount.currency)}
        for each in Payout.objects.filter(cooperative=cooperative, pk__in=keys)
    }


def _streams(cooperative, keys):
    return {
        each.pk: _("Funding stream %(name)s") % {"name": each.name}
        for each in FundingStream.objects.filter(cooperative=cooperative, pk__in=keys)
    }


def _subscriptions(cooperative, keys):
    from shares.models import Subscription

    return {
        each.pk: _("Shares, payment reference %(reference)s — %(amount)s")
        % {"reference": each.payment_reference, "amount": _money(each.amount, each.currency)}
        for each in Subscription.objects.filter(cooperative=cooperative, pk__in=keys)
    }


# By the kind the matching stores (budgets.services names them).
_READERS = {
    "expense": _expenses,
    "advance": _advances,
    "advance_return": _returns,
    "batch": _batches,
    "payout": _payouts,
    "stream": _streams,
    "subscription": _subscriptions,
}


def describe(cooperative, lines) -> dict[int, dict[str, str]]:
    """For each line of `lines` that waits with a suggestion, by its id: `what` the suggestion
    is and `why` (the reason in words). A suggestion whose item is gone is left out."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for line in lines:
        if (
            line.status == BankLineStatus.MATCHED
            and line.suggested_kind in _READERS
            and line.suggested_key.isdigit()
        ):
            wanted[line.suggested_kind].add(int(line.suggested_key))
    names = {kind: _READERS[kind](cooperative, keys) for kind, keys in wanted.items()}
    described = {}
    for line in lines:
        what = names.get(line.suggested_kind, {}).get(
            int(line.suggested_key) if line.suggested_key.isdigit() else None
        )
        if what is not None and line.status == BankLineStatus.MATCHED:
            reason = matching.REASONS.get(line.suggested_reason)
            described[line.pk] = {"what": what, "why": _(reason) if reason else ""}
    return described
