"""Every change to activities, contributions and the thank-you wall, and asking for a share
earned with hours given.

Each decision runs in one transaction, locks what it decides on and appends one audit event.
Payloads name people by member number, never by name, and leave out free text (a note, the
reason for declining, a name on the thank-you wall): those stay on the row, where a person's
data can be erased, while the chain can never change.

Invariants: a contribution is a whole number of quarter hours, dated today or up to a year
back, and one person's logged and confirmed hours on one day never add up to more than 24 (the
contributor's membership row is locked while that is counted, so two requests at once cannot
both pass). Nobody confirms or declines their own contribution: the receiving member or a
coordinator does, once, from "logged".
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from moneyed import Money

from members.models import Membership, MembershipStatus, Role
from members.permissions import holds_role, require_role
from reciprocity import selectors, summary
from reciprocity.models import (
    HOUR_STEP,
    MAX_DAYS_BACK,
    MAX_HOURS_PER_DAY,
    Activity,
    Beneficiary,
    Contribution,
    ContributionKind,
    ContributionStatus,
    ThanksListing,
)
from shares import services as share_services
from shares.models import ShareClass, Subscription
from wijkbv.audit.services import append_event
from wijkbv.cleaning import clean_text
from wijkbv.errors import DomainError, NotAllowed

MAX_NAME = 100
MAX_DESCRIPTION = 200
MAX_NOTE = 200
MAX_REASON = 300
MAX_DISPLAY_NAME = 60
# A gift of money larger than this is a typing mistake (the column holds 8 digits before the
# decimal point).
MAX_AMOUNT = Decimal("99999999.99")
# Hours of the contributor's day that count towards the 24-hour limit.
COUNTED = (ContributionStatus.LOGGED, ContributionStatus.CONFIRMED)


def _is_system(actor) -> bool:
    """None is the system (a management command, the demo); site staff may act as it too."""
    return actor is None or actor.is_staff


def _set_history(instance, actor, reason: str) -> None:
    instance._history_user = actor
    instance._change_reason = reason


def _hours_text(hours: Decimal) -> str:
    return f"{hours:.2f}"


# Hours and amounts


def _clean_hours(hours, kind: str) -> Decimal:
    """Hours as a Decimal in quarter hours, from a Decimal, an int or a string (a decimal comma
    is fine); a float only when it is exactly a quarter hour. Anything else is a DomainError."""
    invalid = DomainError(
        _("Fill in the hours as a number, in quarter hours: for example 1.5 or 2.25."),
        field="hours",
    )
    if hours is None or isinstance(hours, bool):
        raise invalid
    if isinstance(hours, str):
        text = hours.strip().replace(",", ".")
        try:
            hours = Decimal(text)
        except InvalidOperation:
            raise invalid from None
    elif isinstance(hours, int | float):
        # Decimal(float) is the float's exact value: 0.1 + 0.2 is not a quarter hour.
        hours = Decimal(hours)
    if not isinstance(hours, Decimal) or not hours.is_finite():
        raise invalid
    if hours < 0 or (hours == 0 and kind == ContributionKind.TIME):
        raise DomainError(_("Fill in more than 0 hours."), field="hours", code="no_hours")
    if hours > MAX_HOURS_PER_DAY:
        raise DomainError(
            _("A day has 24 hours: fill in at most 24."), field="hours", code="too_many_hours"
        )
    if hours % HOUR_STEP != 0:
        raise DomainError(
            _("Fill in the hours in quarter hours: for example 1.25, 1.5 or 1.75."),
            field="hours",
            code="not_quarter_hours",
        )
    return hours.quantize(Decimal("0.01"))


def _clean_amount(amount, kind: str, currency: str) -> Decimal | None:
    if kind != ContributionKind.MONEY:
        if amount not in (None, ""):
            raise DomainError(_("Only a gift of money has an amount."), field="amount")
        return None
    invalid = DomainError(
        _("Fill in the amount given, in euros and cents, more than zero."), field="amount"
    )
    if isinstance(amount, Money):
        if amount.currency.code != currency:
            raise DomainError(
                _("Fill in the amount in %(currency)s.") % {"currency": currency}, field="amount"
            )
        amount = amount.amount
    if amount is None or isinstance(amount, bool | float):
        raise invalid
    if isinstance(amount, str):
        try:
            amount = Decimal(amount.strip().replace(",", "."))
        except InvalidOperation:
            raise invalid from None
    if isinstance(amount, int):
        amount = Decimal(amount)
    if (
        not isinstance(amount, Decimal)
        or not amount.is_finite()
        or amount <= 0
        or amount > MAX_AMOUNT
        or amount != round(amount, 2)
    ):
        raise invalid
    return amount.quantize(Decimal("0.01"))


def _clean_date(value) -> datetime.date:
    today = timezone.localdate()
    if value is None:
        return today
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if not isinstance(value, datetime.date):
        raise DomainError(_("Fill in a date."), field="date")
    if value > today:
        raise DomainError(
            _("This date has not come yet: log what was done today or before."),
            field="date",
            code="future_date",
        )
    if value < today - datetime.timedelta(days=MAX_DAYS_BACK):
        raise DomainError(
            _("This date is more than a year ago: contributions can be logged up to a year back."),
            field="date",
            code="date_too_old",
        )
    return value


# Who may act


def _own_membership(actor, cooperative) -> Membership | None:
    """The acting person's active membership, None for the system, or NotAllowed."""
    if _is_system(actor):
        return None
    return require_role(actor, cooperative)


def _lock_membership(membership) -> Membership:
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=membership.pk)
    )


def _lock_contribution(contribution) -> Contribution:
    return (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("cooperative", "contributor", "beneficiary_member")
        .get(pk=contribution.pk)
    )


# Activities


def _check_activity_name(cooperative, name: str, *, except_pk=None) -> None:
    same = Activity.objects.filter(cooperative=cooperative, name__iexact=name)
    if except_pk is not None:
        same = same.exclude(pk=except_pk)
    if same.exists():
        raise DomainError(_("There is already an activity with this name."), field="name")


def _save_activity(activity, **options) -> None:
    """Save, turning a name taken at the same moment by another request into the same refusal
    as a name taken before."""
    try:
        with transaction.atomic():
            activity.save(**options)
    except IntegrityError:
        _check_activity_name(activity.cooperative, activity.name, except_pk=activity.pk)
        raise


@transaction.atomic
def add_activity(cooperative, *, actor, name: str, description: str = "") -> Activity:
    """A coordinator or the board adds something people do for each other here: shared
    meals, neighbour help, the garden. Names are unique within the cooperative."""
    if not _is_system(actor):
        require_role(actor, cooperative, Role.COORDINATOR, Role.BOARD)
    name = clean_text(name, field="name", limit=MAX_NAME, required_message=_("Fill in a name."))
    description = clean_text(description, field="description", limit=MAX_DESCRIPTION)
    _check_activity_name(cooperative, name)
    activity = Activity(cooperative=cooperative, name=name, description=description)
    _set_history(activity, actor, "added")
    _save_activity(activity)
    append_event(
        cooperative,
        actor=actor,
        action="activity.added",
        subject=activity,
        payload={"name": name, "description": description},
    )
    return activity


@transaction.atomic
def update_activity(activity, *, actor, name=None, description=None, is_active=None) -> Activity:
    """A coordinator or the board renames an activity, describes it, or takes it out of use
    (its contributions stay; no new ones can be logged for it). Arguments left None stay as
    they are; when nothing changes, nothing is recorded."""
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("cooperative")
        .get(pk=activity.pk)
    )
    cooperative = activity.cooperative
    if not _is_system(actor):
        require_role(actor, cooperative, Role.COORDINATOR, Role.BOARD)
    changes = {}
    if name is not None:
        name = clean_text(name, field="name", limit=MAX_NAME, required_message=_("Fill in a name."))
        if name != activity.name:
            _check_activity_name(cooperative, name, except_pk=activity.pk)
            changes["name"] = name
    if description is not None:
        description = clean_text(description, field="description", limit=MAX_DESCRIPTION)
        if description != activity.description:
            changes["description"] = description
    if is_active is not None:
        if not isinstance(is_active, bool):
            raise DomainError(_("Say whether the activity is in use."), field="is_active")
        if is_active != activity.is_active:
            changes["is_active"] = is_active
    if not changes:
        return activity
    for field, value in changes.items():
        setattr(activity, field, value)
    _set_history(activity, actor, "changed")
    _save_activity(activity, update_fields=list(changes))
    append_event(
        cooperative,
        actor=actor,
        action="activity.updated",
        subject=activity,
        payload={"name": activity.name, "changes": changes},
    )
    return activity


# Contributions


def _check_activity(cooperative, activity) -> Activity:
    if not isinstance(activity, Activity) or activity.cooperative_id != cooperative.pk:
        raise DomainError(_("Choose one of this cooperative's activities."), field="activity")
    if not activity.is_active:
        raise DomainError(
            _("This activity is no longer in use: choose another one."), field="activity"
        )
    return activity


def _check_place(cooperative, place):
    if place is None:
        return None
    if getattr(place, "cooperative_id", None) != cooperative.pk:
        raise DomainError(_("Choose one of this cooperative's places."), field="place")
    if not place.is_active:
        raise DomainError(_("This place is no longer in use: choose another one."), field="place")
    return place


def _check_beneficiary(cooperative, contributor, beneficiary, member, partner):
    """The one receiver the beneficiary kind names, of this cooperative and active."""
    if beneficiary not in Beneficiary.values:
        raise DomainError(
            _("Choose for whom: a member, a partner organisation or the neighbourhood."),
            field="beneficiary",
        )
    if beneficiary == Beneficiary.MEMBER:
        if partner is not None:
            raise DomainError(
                _("Choose either a member or an organisation, not both."),
                field="beneficiary_partner",
            )
        if member is None:
            raise DomainError(_("Choose the member you did this for."), field="beneficiary_member")
        if (
            getattr(member, "cooperative_id", None) != cooperative.pk
            or member.status != MembershipStatus.ACTIVE
        ):
            raise DomainError(
                _("Choose an active member of this cooperative."), field="beneficiary_member"
            )
        if member.pk == contributor.pk:
            raise DomainError(
                _("You cannot log a contribution to yourself: choose someone else."),
                field="beneficiary_member",
                code="own_beneficiary",
            )
        return member, None
    if beneficiary == Beneficiary.PARTNER:
        if member is not None:
            raise DomainError(
                _("Choose either a member or an organisation, not both."),
                field="beneficiary_member",
            )
        if partner is None:
            raise DomainError(
                _("Choose the organisation you did this for."), field="beneficiary_partner"
            )
        if getattr(partner, "cooperative_id", None) != cooperative.pk or not partner.is_active:
            raise DomainError(
                _("Choose an active partner organisation of this cooperative."),
                field="beneficiary_partner",
            )
        return None, partner
    if member is not None or partner is not None:
        raise DomainError(
            _("A contribution to the neighbourhood has no member or organisation."),
            field="beneficiary",
        )
    return None, None


def _check_day(contributor, on_date: datetime.date, hours: Decimal) -> None:
    """The contributor's row is locked: count the day's hours that are not declined."""
    earlier = Contribution.objects.filter(
        contributor=contributor, date=on_date, status__in=COUNTED
    ).aggregate(total=Sum("hours"))["total"] or Decimal("0")
    if earlier + hours > MAX_HOURS_PER_DAY:
        raise DomainError(
            _(
                "With this, %(date)s would have %(total)s hours: a day has 24. "
                "%(left)s hours are left on that day."
            )
            % {
                "date": date_format(on_date),
                "total": _hours_text(earlier + hours),
                "left": _hours_text(max(MAX_HOURS_PER_DAY - earlier, Decimal("0"))),
            },
            field="hours",
            code="day_full",
        )


def _contribution_payload(contribution, **more) -> dict:
    return {
        "contribution": contribution.pk,
        "member_number": contribution.contributor.member_number,
        "kind": contribution.kind,
        "hours": _hours_text(contribution.hours),
        "date": contribution.date.isoformat(),
        "activity": contribution.activity.name,
        "place": contribution.place.name if contribution.place_id else None,
        "beneficiary": contribution.beneficiary,
        "beneficiary_member_number": (
            contribution.beneficiary_member.member_number
            if contribution.beneficiary_member_id
            else None
        ),
        "beneficiary_partner": (
            contribution.beneficiary_partner.name if contribution.beneficiary_partner_id else None
        ),
        "amount": None if contribution.amount is None else f"{contribution.amount:.2f}",
    } | more


@transaction.atomic
def log_contribution(
    cooperative,
    *,
    actor,
    activity,
    hours,
    date=None,
    kind: str = ContributionKind.TIME,
    place=None,
    beneficiary: str = Beneficiary.NEIGHBOURHOOD,
    beneficiary_member=None,
    beneficiary_partner=None,
    note: str = "",
    amount=None,
    contributor=None,
) -> Contribution:
    """A member logs what they gave; a coordinator may log it for a resident (`contributor`),
    and the record and its event then say on whose behalf. It waits for the other side: the
    receiving member, or a coordinator for the neighbourhood and partner organisations."""
    own = _own_membership(actor, cooperative)
    if contributor is None:
        if own is None:
            raise DomainError(_("Say who gave this."), field="contributor")
        contributor = own
    elif own is not None and contributor.pk != own.pk and not holds_role(own, Role.COORDINATOR):
        raise NotAllowed(
            _("Only a coordinator may log a contribution for someone else."),
            code="not_coordinator",
        )
    if kind not in ContributionKind.values:
        raise DomainError(_("Choose time, in kind or money."), field="kind")
    hours = _clean_hours(hours, kind)
    amount = _clean_amount(amount, kind, cooperative.currency)
    on_date = _clean_date(date)
    note = clean_text(note, field="note", limit=MAX_NOTE)
    activity = _check_activity(cooperative, activity)
    place = _check_place(cooperative, place)
    contributor = _lock_membership(contributor)
    if contributor.cooperative_id != cooperative.pk or not contributor.is_active:
        raise DomainError(
            _("Contributions are logged for an active member of this cooperative."),
            field="contributor",
        )
    member, partner = _check_beneficiary(
        cooperative, contributor, beneficiary, beneficiary_member, beneficiary_partner
    )
    _check_day(contributor, on_date, hours)
    contribution = Contribution(
        cooperative=cooperative,
        contributor=contributor,
        kind=kind,
        hours=hours,
        amount=amount,
        currency=cooperative.currency,
        activity=activity,
        place=place,
        date=on_date,
        beneficiary=beneficiary,
        beneficiary_member=member,
        beneficiary_partner=partner,
        note=note,
        status=ContributionStatus.LOGGED,
        logged_by=actor,
    )
    _set_history(contribution, actor, "logged")
    contribution.save()
    on_behalf_of = contributor.user if own is not None and own.pk != contributor.pk else None
    append_event(
        cooperative,
        actor=actor,
        action="contribution.logged",
        subject=contribution,
        payload=_contribution_payload(contribution),
        on_behalf_of=on_behalf_of,
    )
    return contribution


def _check_may_decide(contribution, actor, *, own_message, other_message) -> None:
    """The receiving member or a coordinator decides; never the contributor."""
    if _is_system(actor):
        return
    own = require_role(actor, contribution.cooperative)
    if own.pk == contribution.contributor_id:
        raise NotAllowed(own_message, code="own_contribution")
    if holds_role(own, Role.COORDINATOR):
        return
    if own.pk == contribution.beneficiary_member_id:
        return
    raise NotAllowed(other_message, code="not_receiver")


@transaction.atomic
def confirm_contribution(contribution, *, actor) -> Contribution:
    """The other side says it happened: the receiving member, or a coordinator. Only a
    contribution that is waiting can be confirmed; under the row's lock a second confirmation
    (a double click, two coordinators at once) finds it confirmed and is refused."""
    contribution = _lock_contribution(contribution)
    _check_may_decide(
        contribution,
        actor,
        own_message=_("You cannot confirm your own contribution: the other side does."),
        other_message=_("Only the member who received this, or a coordinator, may confirm it."),
    )
    if contribution.status == ContributionStatus.CONFIRMED:
        raise DomainError(
            _("This contribution has already been confirmed."), code="already_confirmed"
        )
    if contribution.status == ContributionStatus.DECLINED:
        raise DomainError(
            _("This contribution was declined, so it cannot be confirmed any more."),
            code="already_declined",
        )
    contribution.status = ContributionStatus.CONFIRMED
    contribution.decided_by = actor
    contribution.decided_at = timezone.now()
    _set_history(contribution, actor, "confirmed")
    contribution.save(update_fields=["status", "decided_by", "decided_at"])
    append_event(
        contribution.cooperative,
        actor=actor,
        action="contribution.confirmed",
        subject=contribution,
        payload=_contribution_payload(contribution),
    )
    # Its hours now count on the public pages, which read the summary of time given.
    summary.refresh(contribution.cooperative_id, [contribution.contributor_id])
    return contribution


@transaction.atomic
def decline_contribution(contribution, *, actor, reason: str) -> Contribution:
    """The other side says it did not happen like this, with a reason the contributor reads.
    Only a contribution that is waiting can be declined; its hours no longer count."""
    contribution = _lock_contribution(contribution)
    _check_may_decide(
        contribution,
        actor,
        own_message=_("You cannot decline your own contribution: the other side does."),
        other_message=_("Only the member who received this, or a coordinator, may decline it."),
    )
    if contribution.status == ContributionStatus.CONFIRMED:
        raise DomainError(
            _("This contribution has already been confirmed, so it cannot be declined."),
            code="already_confirmed",
        )
    if contribution.status == ContributionStatus.DECLINED:
        raise DomainError(
            _("This contribution has already been declined."), code="already_declined"
        )
    reason = clean_text(
        reason,
        field="reason",
        limit=MAX_REASON,
        required_message=_("Give a reason, so the person who logged it knows why."),
    )
    contribution.status = ContributionStatus.DECLINED
    contribution.decided_by = actor
    contribution.decided_at = timezone.now()
    contribution.decline_reason = reason
    _set_history(contribution, actor, "declined")
    contribution.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    append_event(
        contribution.cooperative,
        actor=actor,
        action="contribution.declined",
        subject=contribution,
        payload=_contribution_payload(contribution),
    )
    return contribution


# The thank-you wall


def _check_own_choice(membership, actor):
    """Only the member chooses; a coordinator may record it for them. Returns the user acted
    for (for the event's "on behalf of"), or None."""
    if _is_system(actor):
        return None
    own = require_role(actor, membership.cooperative)
    if own.pk == membership.pk:
        return None
    if not holds_role(own, Role.COORDINATOR):
        raise NotAllowed(
            _("Only the member themselves chooses to be on the thank-you wall."),
            code="not_own_choice",
        )
    return membership.user


@transaction.atomic
def join_thank_you_wall(membership, *, actor, display_name: str) -> ThanksListing:
    """A member chooses to be named on the public thank-you wall, with the name they choose.
    Joining again changes the name. The event holds the member number only."""
    membership = _lock_membership(membership)
    on_behalf_of = _check_own_choice(membership, actor)
    if not membership.is_active:
        raise DomainError(_("Only an active member can be on the thank-you wall."))
    display_name = clean_text(
        display_name,
        field="display_name",
        limit=MAX_DISPLAY_NAME,
        required_message=_("Fill in the name you want to show."),
    )
    listing = ThanksListing.objects.filter(membership=membership).first()
    if listing is not None and listing.display_name == display_name:
        raise DomainError(
            _("You are already on the thank-you wall with this name."), code="already_listed"
        )
    action = "thanks_wall.joined" if listing is None else "thanks_wall.renamed"
    if listing is None:
        listing = ThanksListing(membership=membership)
    listing.display_name = display_name
    _set_history(listing, actor, action.split(".")[1])
    listing.save()
    append_event(
        membership.cooperative,
        actor=actor,
        action=action,
        subject=listing,
        payload={"member_number": membership.member_number},
        on_behalf_of=on_behalf_of,
    )
    return listing


@transaction.atomic
def leave_thank_you_wall(membership, *, actor) -> None:
    """A member takes their name off the thank-you wall; the listing is deleted."""
    membership = _lock_membership(membership)
    on_behalf_of = _check_own_choice(membership, actor)
    listing = ThanksListing.objects.filter(membership=membership).first()
    if listing is None:
        raise DomainError(_("You are not on the thank-you wall."), code="not_listed")
    subject = f"{listing._meta.label_lower}:{listing.pk}"
    _set_history(listing, actor, "left")
    listing.delete()
    append_event(
        membership.cooperative,
        actor=actor,
        action="thanks_wall.left",
        subject=subject,
        payload={"member_number": membership.member_number},
        on_behalf_of=on_behalf_of,
    )


# Earning a share by time


@transaction.atomic
def ask_share_for_hours(membership, *, actor) -> Subscription:
    """A member who gave enough confirmed hours asks for one share paid up in kind, where the
    articles allow it (a class with `hours_per_share`). The share goes through the shares
    services and the board's approval like any subscription; its event is the one the shares
    service appends. Locks the class, then the member (the shares services' order), so two
    requests at once cannot spend the same hours twice."""
    cooperative = membership.cooperative
    own = _own_membership(actor, cooperative)
    if own is not None and own.pk != membership.pk:
        require_role(actor, cooperative, Role.COORDINATOR, Role.BOARD)
    share_class = (
        ShareClass.objects.select_for_update()
        .filter(cooperative=cooperative, hours_per_share__isnull=False)
        .order_by("code")
        .first()
    )
    if share_class is None:
        raise DomainError(
            _("Your cooperative's articles do not allow earning a share by time."),
            code="not_earnable",
        )
    membership = _lock_membership(membership)
    if not membership.is_active:
        raise DomainError(_("Shares can only go to an active member of this cooperative."))
    needed = Decimal(share_class.hours_per_share)
    available = selectors.hours_to_spare(membership)
    if available < needed:
        raise DomainError(
            _(
                "One share %(code)s takes %(needed)s confirmed hours; %(available)s of your "
                "confirmed hours are still free for it."
            )
            % {
                "code": share_class.code,
                "needed": share_class.hours_per_share,
                "available": _hours_text(available),
            },
            code="not_enough_hours",
        )
    return share_services.subscribe_paid_in_hours(
        share_class, actor=actor, membership=membership, hours=needed
    )
