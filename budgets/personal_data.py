"""What budgets records about a person: the projects they proposed, the agreements they took
on, and the votes they could vote in, with whether and how they voted and any proxy
(members/personal_data.py says how this module is used).

What a person voted is not recorded with them (ADR 0041), so it cannot be shown here: their
receipt finds their ballot in the published list.

Forgetting changes nothing here. Proposals, agreements and the electorate of a vote are
decisions of the cooperative and name people by member number only; the member number stays
with the financial records it belongs to.
"""

from django.utils.translation import gettext_lazy as _

from budgets.models import Agreement, Proposal, ProposalStatus, Voter
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
}

VALUES = {("proposals", "status"): dict(ProposalStatus.choices)}


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
        }
    )


def forget(user, *, memberships) -> None:
    """Nothing to erase: see the module's docstring."""
