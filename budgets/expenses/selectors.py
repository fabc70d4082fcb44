"""Reading expenses, advances and payment batches: what a project budget has left, who may see
what, and the lists the pages and the API show."""

from django.db.models import Q, Sum
from django.utils import timezone

from budgets.models import (
    Advance,
    AdvanceStatus,
    Expense,
    ExpenseStatus,
    PaymentBatch,
    Proposal,
    ReceiptFile,
)
from budgets.sources import credit_balance
from members.models import Role
from members.permissions import holds_role
from wijkbv.ledger.models import Account, Purpose, cents

# Who sees every expense, advance and receipt: the treasurer pays, the board approves, the audit
# committee checks.
READ_ALL_ROLES = (Role.TREASURER, Role.BOARD, Role.AUDIT_COMMITTEE)
# Who approves (besides a project's lead).
APPROVER_ROLES = (Role.TREASURER, Role.BOARD)


def project_budgets(cooperative):
    """The cooperative's project budget accounts, with the title of their project."""
    return (
        Account.objects.filter(cooperative=cooperative, purpose=Purpose.PROJECT_BUDGET)
        .select_related("proposal")
        .order_by("code")
    )


def project_lead(budget: Account):
    proposal = Proposal.objects.filter(budget_account=budget).select_related("proposed_by").first()
    return proposal.proposed_by if proposal else None


def project_title(budget: Account) -> str:
    """The title of the project a budget account belongs to (its name when it has no proposal)."""
    proposal = getattr(budget, "proposal", None) if budget.pk else None
    return proposal.title if proposal else budget.name


def committed(budget: Account, *, except_expense=None, except_advance=None):
    """Money of a budget promised and not yet taken from it: expenses approved and not yet paid,
    advances approved or paid and not yet settled."""
    expenses = Expense.objects.filter(budget=budget, status=ExpenseStatus.APPROVED)
    if except_expense is not None:
        expenses = expenses.exclude(pk=except_expense.pk)
    advances = Advance.objects.filter(
        budget=budget, status__in=[AdvanceStatus.APPROVED, AdvanceStatus.PAID]
    )
    if except_advance is not None:
        advances = advances.exclude(pk=except_advance.pk)
    return cents(expenses.aggregate(t=Sum("amount"))["t"]) + cents(
        advances.aggregate(t=Sum("amount"))["t"]
    )


def budget_left(budget: Account):
    """What a project budget has left to approve: its balance less what is promised from it."""
    return credit_balance(budget) - committed(budget)


def reads_all(membership) -> bool:
    return holds_role(membership, *READ_ALL_ROLES)


def led_budgets(membership):
    return Account.objects.filter(proposal__proposed_by=membership)


def expenses_for(cooperative, membership, *, status: str = ""):
    """The expenses a person may see: all of them for the treasurer, the board and the audit
    committee; otherwise those they claimed or entered and those of the projects they lead."""
    found = Expense.objects.filter(cooperative=cooperative).select_related(
        "budget__proposal", "claimant"
    )
    if not reads_all(membership):
        found = found.filter(
            Q(claimant=membership)
            | Q(submitted_by=membership)
            | Q(budget__in=led_budgets(membership))
        )
    if status:
        found = found.filter(status=status)
    return found.order_by("-number")


def advances_for(cooperative, membership, *, status: str = ""):
    """The advances a person may see, as `expenses_for` says."""
    found = Advance.objects.filter(cooperative=cooperative).select_related(
        "budget__proposal", "holder"
    )
    if not reads_all(membership):
        found = found.filter(Q(holder=membership) | Q(budget__in=led_budgets(membership)))
    if status:
        found = found.filter(status=status)
    return found.order_by("-number")


def open_advances(cooperative, *, today=None) -> list[Advance]:
    """Advances paid and not yet settled, or settled with money still to return, oldest first,
    each with its `age` in days since it was paid."""
    today = today or timezone.localdate()
    found = (
        Advance.objects.filter(
            cooperative=cooperative, status__in=[AdvanceStatus.PAID, AdvanceStatus.OWED]
        )
        .select_related("budget__proposal", "holder")
        .order_by("paid_on", "number")
    )
    advances = list(found)
    for advance in advances:
        advance.age = (today - advance.paid_on).days if advance.paid_on else 0
    return advances


def payable(cooperative):
    """What the treasurer can put in a batch: approved expenses and approved advances."""
    expenses = (
        Expense.objects.filter(cooperative=cooperative, status=ExpenseStatus.APPROVED)
        .select_related("budget__proposal", "claimant")
        .order_by("number")
    )
    advances = (
        Advance.objects.filter(cooperative=cooperative, status=AdvanceStatus.APPROVED)
        .select_related("budget__proposal", "holder")
        .order_by("number")
    )
    return list(expenses), list(advances)


def batches(cooperative):
    return PaymentBatch.objects.filter(cooperative=cooperative).select_related("bank_account")


def may_approve(membership, item) -> bool:
    """Whether the person is one of those who approve this item (the services decide whether
    this approval counts)."""
    if holds_role(membership, *APPROVER_ROLES):
        return True
    lead = project_lead(item.budget)
    return membership is not None and lead is not None and lead.pk == membership.pk


def may_see(membership, item) -> bool:
    """Whether the person may see an expense or advance, and so its receipts."""
    if membership is None or not membership.is_active:
        return False
    if reads_all(membership) or may_approve(membership, item):
        return True
    if isinstance(item, Expense):
        return membership.pk in (item.claimant_id, item.submitted_by_id)
    return membership.pk == item.holder_id


def may_see_receipt(membership, receipt: ReceiptFile) -> bool:
    """Those who may see the expense or advance; and a funder, once it is paid for (an
    expense) or settled (an advance), to check on the open pages where their money went: the
    receipts of projects paid from a stream of their own organisation, not of other funders'
    streams or of the cooperative's own reserve."""
    item = receipt.expense or receipt.advance
    if may_see(membership, item):
        return True
    if membership is None or not membership.is_active or not holds_role(membership, Role.FUNDER):
        return False
    if isinstance(item, Expense):
        done = item.status in (ExpenseStatus.PAID, ExpenseStatus.RECONCILED)
    else:
        done = item.status in (AdvanceStatus.OWED, AdvanceStatus.SETTLED)
    return done and _funded_by(membership, item)


def _funded_by(membership, item) -> bool:
    """Whether the item's project budget was given by a stream of the funder's organisation.
    Asked once per budget for a membership (a page lists many receipts of one project)."""
    partner = membership.partner_organisation_id
    if partner is None:
        return False
    known = membership.__dict__.setdefault("_funded_budgets", {})
    if item.budget_id not in known:
        known[item.budget_id] = Proposal.objects.filter(
            budget_account_id=item.budget_id, stream__funder_id=partner
        ).exists()
    return known[item.budget_id]
