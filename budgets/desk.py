"""The treasurer's desk: what waits for the people who keep the money, in one place, with a link
to each page of that work that the person may open.

Shown to the treasurer, the board and the audit committee (who read all expenses and
advances); the other members see nothing of it. Which links a person gets is read from the
roles the pages themselves require (`cooperative_view` keeps them on each view), so the desk
never offers a page that would refuse them. The counts take three queries, however many bank
accounts, lines, expenses and advances there are.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.urls import resolve, reverse
from django.utils import timezone

from budgets.expenses.selectors import READ_ALL_ROLES
from budgets.models import (
    AdvanceStatus,
    BankAccount,
    BankLineStatus,
    ExpenseStatus,
)
from members.permissions import holds_role

# The pages of the desk, by the name the template uses, and their URL names.
PAGES = {
    "bank_accounts": "budgets:bank_accounts",
    "import_statement": "budgets:import_statement",
    "bank_lines": "budgets:bank_lines",
    "expenses": "budgets:expenses",
    "advances": "budgets:advances",
    "payments": "budgets:payments",
    "stripe": "payments:stripe_balance",
    "reports": "budgets:reports",
    "closing": "budgets:closing",
    "audit_file": "budgets:audit_file",
    "close_year": "budgets:close_year",
}


@dataclass(frozen=True)
class Desk:
    """What waits, for one person. `may` says per page (keys of PAGES) whether they may open
    it; each bank account carries `to_match` (lines not booked yet) and `suggested` (of those,
    the lines that wait with a suggestion)."""

    may: dict[str, bool]
    bank_accounts: list = field(default_factory=list)
    expenses_to_approve: int = 0
    advances_to_approve: int = 0
    advances_open: int = 0
    oldest_advance_days: int | None = None
    to_pay: int = 0

    @property
    def lines_to_match(self) -> int:
        return sum(account.to_match for account in self.bank_accounts)


def _required_roles(url_name: str, slug: str) -> tuple:
    kwargs = {"slug": slug} | ({"pk": 0} if url_name == "budgets:bank_lines" else {})
    return getattr(resolve(reverse(url_name, kwargs=kwargs)).func, "required_roles", ())


def may_open(membership, slug: str) -> dict[str, bool]:
    """Per page of the desk, whether `membership` may open it."""
    return {
        name: holds_role(membership, *_required_roles(url_name, slug))
        for name, url_name in PAGES.items()
    }


def desk(cooperative, membership, *, today: datetime.date | None = None) -> Desk | None:
    """The desk of `membership`, or None when they are not one who keeps or checks the money."""
    if not holds_role(membership, *READ_ALL_ROLES):
        return None
    today = today or timezone.localdate()
    accounts = list(
        BankAccount.objects.filter(cooperative=cooperative)
        .annotate(
            to_match=Count("lines", filter=~Q(lines__status=BankLineStatus.BOOKED)),
            suggested=Count("lines", filter=Q(lines__status=BankLineStatus.MATCHED)),
        )
        .order_by("name", "pk")
    )
    expenses = cooperative.expenses.aggregate(
        to_approve=Count("pk", filter=Q(status=ExpenseStatus.SUBMITTED)),
        to_pay=Count("pk", filter=Q(status=ExpenseStatus.APPROVED)),
    )
    open_statuses = [AdvanceStatus.PAID, AdvanceStatus.OWED]
    advances = cooperative.advances.aggregate(
        to_approve=Count("pk", filter=Q(status=AdvanceStatus.REQUESTED)),
        to_pay=Count("pk", filter=Q(status=AdvanceStatus.APPROVED)),
        open=Count("pk", filter=Q(status__in=open_statuses)),
        oldest=Min("paid_on", filter=Q(status__in=open_statuses)),
    )
    oldest = advances["oldest"]
    return Desk(
        may=may_open(membership, cooperative.slug),
        bank_accounts=accounts,
        expenses_to_approve=expenses["to_approve"],
        advances_to_approve=advances["to_approve"],
        advances_open=advances["open"],
        oldest_advance_days=(today - oldest).days if oldest else None,
        to_pay=expenses["to_pay"] + advances["to_pay"],
    )
