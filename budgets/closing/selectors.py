"""What the closing pages read: the periods closed so far, and what is still open per bank
account at the end of a period."""

import datetime

from budgets.closing.reconciliation import Reconciliation, reconcile
from budgets.models import BankAccount
from wijkbv.ledger.models import PeriodClose


def periods(cooperative):
    """The closed periods, the latest first."""
    return PeriodClose.objects.filter(cooperative=cooperative).order_by("-until")


def closed_until(cooperative) -> datetime.date | None:
    return periods(cooperative).values_list("until", flat=True).first()


def bank_accounts(cooperative):
    return BankAccount.objects.filter(cooperative=cooperative).select_related("ledger_account")


def open_at(cooperative, until: datetime.date) -> list[Reconciliation]:
    """Each bank account's reconciliation at the end of `until`."""
    return [reconcile(account, until) for account in bank_accounts(cooperative)]


def is_open(reports: list[Reconciliation]) -> bool:
    """Something is still open: a bank line not booked, or a difference between books and bank."""
    return any(report.lines_not_booked or report.difference for report in reports)


def may_close(cooperative, until: datetime.date, today: datetime.date) -> bool:
    """The ledger would close this period (it has ended and is later than the last closing);
    otherwise its refusal says why, and there is nothing to confirm."""
    last = closed_until(cooperative)
    return until < today and (last is None or until > last)
