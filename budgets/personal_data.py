"""What budgets records about a person: the projects they proposed, the agreements they took
on, and the votes they could vote in, with whether and how they voted and any proxy
(members/personal_data.py says how this module is used).

What a person voted is not recorded with them (ADR 0041), so it cannot be shown here: their
receipt finds their ballot in the published list.

Proposals, agreements and the electorate of a vote are decisions of the cooperative and name
people by member number only; the member number stays with the financial records it belongs to.
Expense claims and advances are financial records too: forgetting keeps them, but erases the
IBAN the person gave to be paid on (ADR 0052). An open claim or advance holds forgetting back
until it is paid and settled.
"""

from django.db.models import Max, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from budgets.models import (
    Advance,
    AdvanceStatus,
    Agreement,
    Expense,
    ExpenseStatus,
    Proposal,
    ProposalStatus,
    Voter,
)
from members.models import Membership
from members.personal_data import plain

TITLE = _("Deciding together")

LABELS = {
    "proposals": _("Projects you proposed"),
    "agreements": _("Agreements you took on"),
    "votes": _("Votes you could vote in"),
    "number": _("Number"),
    "title": _("Title"),
    "amount": _("Amount"),
    "status": _("Status"),
    "refusal_reason": _("Reason given by the board"),
    "proposed_on": _("Proposed on"),
    "what": _("What"),
    "due_on": _("By when"),
    "done_on": _("Done on"),
    "vote": _("Vote"),
    "weight": _("Your votes"),
    "voted": _("You voted"),
    "how": _("How"),
    "proxy_given_to": _("Proxy given to member number"),
    "expenses": _("Money you claimed back"),
    "advances": _("Advances you asked for"),
    "description": _("What for"),
    "spent_on": _("Date of the receipt"),
    "payee_iban": _("Paid to account (IBAN)"),
    "rejection_reason": _("Reason for rejecting"),
    "purpose": _("What for"),
    "spent": _("Spent"),
    "to_return": _("To be returned"),
}

VALUES = {
    ("proposals", "status"): dict(ProposalStatus.choices),
    ("expenses", "status"): dict(ExpenseStatus.choices),
    ("advances", "status"): dict(AdvanceStatus.choices),
}
# Claims and advances that are still being decided, paid or settled.
OPEN_EXPENSES = (ExpenseStatus.SUBMITTED, ExpenseStatus.APPROVED)
OPEN_ADVANCES = (
    AdvanceStatus.REQUESTED,
    AdvanceStatus.APPROVED,
    AdvanceStatus.PAID,
    AdvanceStatus.OWED,
)


def export(user) -> dict:
    memberships = Membership.objects.filter(user=user)
    proposals = (
        Proposal.objects.filter(proposed_by__in=memberships)
        .select_related("cooperative")
        .order_by("created_at", "pk")
    )
    agreements = (
        Agreement.objects.filter(responsible__in=memberships)
        .select_related("proposal__cooperative")
        .order_by("due_on", "pk")
    )
    expenses = (
        Expense.objects.filter(claimant__in=memberships)
        .select_related("cooperative")
        .order_by("submitted_at", "pk")
    )
    advances = (
        Advance.objects.filter(holder__in=memberships)
        .select_related("cooperative")
        .order_by("requested_at", "pk")
    )
    voters = (
        Voter.objects.filter(membership__in=memberships)
        .select_related("vote__cooperative", "proxy_holder__membership")
        .order_by("vote__opened_at", "pk")
    )
    return plain(
        {
            "proposals": [
                {
                    "cooperative": p.cooperative.slug,
                    "number": p.number,
                    "title": p.title,
                    "amount": p.amount,
                    "status": p.status,
                    "refusal_reason": p.refusal_reason,
                    "proposed_on": p.created_at,
                }
                for p in proposals
            ],
            "agreements": [
                {
                    "cooperative": a.proposal.cooperative.slug,
                    "title": a.proposal.title,
                    "what": a.what,
                    "due_on": a.due_on,
                    "done_on": a.done_on,
                }
                for a in agreements
            ],
            "votes": [
                {
                    "cooperative": v.vote.cooperative.slug,
                    "vote": v.vote.title,
                    "weight": v.weight,
                    "voted": v.voted,
                    "how": v.get_channel_display() if v.channel else None,
                    "proxy_given_to": (
                        v.proxy_holder.membership.member_number if v.proxy_holder else None
                    ),
                }
                for v in voters
            ],
            "expenses": [
                {
                    "cooperative": e.cooperative.slug,
                    "number": e.number,
                    "description": e.description,
                    "amount": e.amount,
                    "spent_on": e.spent_on,
                    "payee_iban": e.payee_iban,
                    "status": e.status,
                    "rejection_reason": e.rejection_reason,
                }
                for e in expenses
            ],
            "advances": [
                {
                    "cooperative": a.cooperative.slug,
                    "number": a.number,
                    "purpose": a.purpose,
                    "amount": a.amount,
                    "payee_iban": a.payee_iban,
                    "status": a.status,
                    "spent": a.spent,
                    "to_return": a.to_return,
                    "rejection_reason": a.rejection_reason,
                }
                for a in advances
            ],
        }
    )


def forget(user, *, memberships) -> None:
    """Erase the IBANs the person gave on their claims and advances, in the rows and their
    history; the rest stays with the books (see the module's docstring)."""
    ids = [m.pk for m in memberships]
    Expense.objects.filter(claimant_id__in=ids).update(payee_iban="")
    Expense.history.filter(claimant_id__in=ids).update(payee_iban="")
    Advance.objects.filter(holder_id__in=ids).update(payee_iban="")
    Advance.history.filter(holder_id__in=ids).update(payee_iban="")


def blockers(user) -> list[str]:
    reasons = []
    memberships = Membership.objects.filter(user=user).select_related("cooperative")
    for membership in memberships:
        claims = Expense.objects.filter(claimant=membership, status__in=OPEN_EXPENSES)
        advances = Advance.objects.filter(holder=membership, status__in=OPEN_ADVANCES)
        if claims.exists() or advances.exists():
            reasons.append(
                gettext(
                    "Your expense claim or advance at %(name)s has not been paid or settled yet. "
                    "Wait until it has been, or ask the treasurer to reject it."
                )
                % {"name": membership.cooperative.name}
            )
    return reasons


def last_financial_records(user) -> dict:
    """The day of the person's last claim paid or advance paid, per cooperative."""
    memberships = Membership.objects.filter(user=user)
    latest = {}
    rows = list(
        Expense.objects.filter(claimant__in=memberships, batch__isnull=False)
        .order_by()
        .values_list("cooperative")
        .annotate(Max("batch__execution_date"))
    ) + list(
        Advance.objects.filter(Q(holder__in=memberships), paid_on__isnull=False)
        .order_by()
        .values_list("cooperative")
        .annotate(Max("paid_on"))
    )
    for cooperative_id, day in rows:
        if day is not None and (cooperative_id not in latest or day > latest[cooperative_id]):
            latest[cooperative_id] = day
    return latest
