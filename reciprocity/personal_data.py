"""What reciprocity records about a person: contributions they gave and received, and their
place on the thank-you wall (members/personal_data.py says how this module is used).

Forgetting blanks the free text of those contributions (notes and reasons for declining, which
may name people) and takes the person off the thank-you wall; the contributions themselves stay,
by member number, so the neighbourhood's totals of hours do not change.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import Membership
from members.personal_data import plain, pseudonym
from reciprocity.models import (
    Beneficiary,
    Contribution,
    ContributionKind,
    ContributionStatus,
    ThanksListing,
)

TITLE = _("Giving and taking")

LABELS = {
    "contributions_given": _("What you gave"),
    "contributions_received": _("What you received"),
    "thanks_wall": _("Your name on the thank-you wall"),
    "date": _("Date"),
    "kind": _("Kind"),
    "hours": _("Hours"),
    "amount": _("Amount"),
    "activity": _("Activity"),
    "place": _("Place"),
    "beneficiary": _("For whom"),
    "beneficiary_member_number": _("For member number"),
    "beneficiary_organisation": _("For organisation"),
    "contributor_member_number": _("Given by member number"),
    "note": _("Note"),
    "status": _("Status"),
    "logged_on_your_behalf": _("Logged for you by a coordinator"),
    "decline_reason": _("Reason for declining"),
    "display_name": _("Name on the wall"),
    "since": _("On the wall since"),
}


VALUES = {
    (part, column): dict(choices)
    for part in ("contributions_given", "contributions_received")
    for column, choices in (
        ("kind", ContributionKind.choices),
        ("status", ContributionStatus.choices),
        ("beneficiary", Beneficiary.choices),
    )
}


def _memberships(user):
    return Membership.objects.filter(user=user)


def export(user) -> dict:
    memberships = _memberships(user)
    given = (
        Contribution.objects.filter(contributor__in=memberships)
        .select_related(
            "cooperative",
            "contributor",
            "activity",
            "place",
            "beneficiary_member",
            "beneficiary_partner",
        )
        .order_by("date", "pk")
    )
    received = (
        Contribution.objects.filter(beneficiary_member__in=memberships)
        .select_related("cooperative", "contributor", "activity", "place")
        .order_by("date", "pk")
    )
    listings = ThanksListing.objects.filter(membership__in=memberships).select_related(
        "membership__cooperative"
    )
    return plain(
        {
            "contributions_given": [
                {
                    "cooperative": c.cooperative.slug,
                    "member_number": c.contributor.member_number,
                    "date": c.date,
                    "kind": c.kind,
                    "hours": c.hours,
                    "amount": c.amount,
                    "activity": c.activity.name,
                    "place": c.place.name if c.place else None,
                    "beneficiary": c.beneficiary,
                    "beneficiary_member_number": (
                        c.beneficiary_member.member_number if c.beneficiary_member else None
                    ),
                    "beneficiary_organisation": (
                        c.beneficiary_partner.name if c.beneficiary_partner else None
                    ),
                    "note": c.note,
                    "status": c.status,
                    "logged_on_your_behalf": c.on_behalf,
                    "decline_reason": c.decline_reason,
                }
                for c in given
            ],
            "contributions_received": [
                {
                    "cooperative": c.cooperative.slug,
                    "member_number": c.beneficiary_member.member_number
                    if c.beneficiary_member_id
                    else None,
                    "date": c.date,
                    "kind": c.kind,
                    "hours": c.hours,
                    "activity": c.activity.name,
                    "place": c.place.name if c.place else None,
                    "contributor_member_number": c.contributor.member_number,
                    "status": c.status,
                    "decline_reason": c.decline_reason,
                }
                for c in received
            ],
            "thanks_wall": [
                {
                    "cooperative": listing.membership.cooperative.slug,
                    "display_name": listing.display_name,
                    "since": listing.since,
                }
                for listing in listings
            ],
        }
    )


def forget(user, *, memberships) -> None:
    ids = [m.pk for m in memberships]
    theirs = Q(contributor_id__in=ids) | Q(beneficiary_member_id__in=ids)
    blank = {"note": "", "decline_reason": ""}
    Contribution.objects.filter(theirs).update(**blank)
    Contribution.history.filter(theirs).update(**blank)
    listings = ThanksListing.objects.filter(membership_id__in=ids)
    listed = list(listings.values_list("pk", flat=True))
    for listing in listings:
        listing._change_reason = "forgotten"
        listing.delete()
    ThanksListing.history.filter(id__in=listed).update(display_name=pseudonym(memberships))
