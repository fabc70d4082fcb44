"""Every change to cooperatives, people, memberships, invitations, places and partners.

Each decision service checks permission, runs in one transaction, locks what it decides on and
appends one audit event. Payloads carry member numbers, never names or e-mail addresses.
Edits of a person's own account (profile, second factor) are not decisions of a cooperative:
django-simple-history records them instead.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from moneyed import Money
from rest_framework.authtoken.models import Token

from members.invitations import check_invitation_open, token_hash
from members.models import (
    SECOND_FACTOR_ROLES,
    Cooperative,
    Invitation,
    Membership,
    MembershipStatus,
    PartnerOrganisation,
    Place,
    PlaceKind,
    RetainedIdentity,
    Role,
    Sector,
    User,
    VotingMode,
    new_invitation_token,
)
from members.permissions import require_role
from members.validators import normalise_postcode, parse_postcodes, validate_kvk_number
from wijkbv.audit.services import append_event, start_chain
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.chart import open_standard_accounts

# The longest address mail servers accept (RFC 5321 path limit less the angle brackets).
MAX_EMAIL_LENGTH = 254

# Roles a coordinator may hand out; every other role is the board's to give.
COORDINATOR_GRANTABLE = frozenset({Role.RESIDENT})


def _set_history(instance, actor, reason: str):
    instance._history_user = actor
    instance._change_reason = reason


def _clean_roles(roles) -> list[str]:
    roles = sorted(set(roles))
    unknown = [role for role in roles if role not in Role.values]
    if unknown:
        raise DomainError(
            _("Unknown role: %(role)s.") % {"role": ", ".join(unknown)}, field="roles"
        )
    if not roles:
        raise DomainError(_("Choose at least one role."), field="roles")
    return roles


def _is_system(actor) -> bool:
    """None is the system itself (management commands); site staff may act as it too."""
    return actor is None or actor.is_staff


def _check_may_grant(actor, cooperative, roles) -> None:
    if _is_system(actor):
        return
    if set(roles) <= COORDINATOR_GRANTABLE:
        require_role(actor, cooperative, Role.COORDINATOR, Role.BOARD)
    else:
        require_role(actor, cooperative, Role.BOARD)


def _normalise_email(email: str | None) -> str | None:
    email = (email or "").strip().lower()
    if len(email) > MAX_EMAIL_LENGTH:
        raise DomainError(
            _("An e-mail address has at most %(count)s characters.") % {"count": MAX_EMAIL_LENGTH},
            field="email",
        )
    return email or None


def _check_email_free(email: str | None, *, except_user=None) -> None:
    if email is None:
        return
    taken = User.objects.filter(email__iexact=email)
    if except_user is not None:
        taken = taken.exclude(pk=except_user.pk)
    if taken.exists():
        raise DomainError(
            _(
                "There is already an account with this e-mail address. Log in, or use another address."
            ),
            field="email",
            code="duplicate_email",
        )


def _next_member_number(cooperative) -> int:
    # The caller holds the cooperative's row lock, so two new members never get the same number.
    current = cooperative.memberships.aggregate(top=Max("member_number"))["top"] or 0
    return current + 1


def _lock(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def _validate_person(full_name: str, postcode: str) -> tuple[str, str]:
    full_name = (full_name or "").strip()
    if not full_name:
        raise DomainError(_("Fill in a name."), field="full_name")
    postcode = normalise_postcode(postcode) if postcode else ""
    if postcode:
        try:
            parse_postcodes(postcode)
        except ValidationError as exc:
            raise DomainError(exc.messages[0], field="postcode") from None
    return full_name, postcode


@transaction.atomic
def create_cooperative(
    *,
    actor,
    name: str,
    slug: str,
    kvk_number: str = "",
    area_postcodes: str | list[str] = "",
    **articles,
) -> Cooperative:
    """Found a cooperative. Only site staff (or the system) may; its chain starts here."""
    if not _is_system(actor):
        raise NotAllowed(_("Only the site's administrators may start a new cooperative."))
    if kvk_number:
        try:
            validate_kvk_number(kvk_number)
        except ValidationError as exc:
            raise DomainError(exc.messages[0], field="kvk_number") from None
    if isinstance(area_postcodes, str):
        area_postcodes = [area_postcodes] if area_postcodes else []
    try:
        postcodes = parse_postcodes(",".join(area_postcodes))
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="area_postcodes") from None
    if Cooperative.objects.filter(slug=slug).exists():
        raise DomainError(_("This short name is already taken."), field="slug")
    cooperative = Cooperative(
        name=name, slug=slug, kvk_number=kvk_number, area_postcodes=postcodes, **articles
    )
    cooperative.full_clean()
    _set_history(cooperative, actor, "founded")
    cooperative.save()
    start_chain(cooperative)
    open_standard_accounts(cooperative)
    append_event(
        cooperative,
        actor=actor,
        action="cooperative.created",
        subject=cooperative,
        payload={"name": name, "slug": slug, "kvk_number": kvk_number, "area_postcodes": postcodes},
    )
    return cooperative


def _plain(value):
    """A JSON-safe form of a setting's value for the audit payload."""
    if isinstance(value, Money):
        return f"{value.amount:.2f} {value.currency.code}"
    return value


@transaction.atomic
def update_cooperative(
    cooperative,
    *,
    actor,
    name: str,
    kvk_number: str,
    area_postcodes: str | list[str],
    voting_mode: str,
    max_shares_per_member: int | None,
    max_votes_per_member: int | None,
    social_value_hourly_rate: Decimal,
    reinvestment_rule: str,
) -> Cooperative:
    """The board changes the cooperative's details and the articles as the software knows them.
    The event records every changed setting with its old and new value."""
    cooperative = _lock(Cooperative, cooperative.pk)
    if not _is_system(actor):
        require_role(actor, cooperative, Role.BOARD)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Fill in a name."), field="name")
    kvk_number = (kvk_number or "").strip()
    if kvk_number:
        try:
            validate_kvk_number(kvk_number)
        except ValidationError as exc:
            raise DomainError(exc.messages[0], field="kvk_number") from None
    if isinstance(area_postcodes, list):
        area_postcodes = ",".join(area_postcodes)
    try:
        postcodes = parse_postcodes(area_postcodes)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="area_postcodes") from None
    if voting_mode not in VotingMode.values:
        raise DomainError(_("Choose how members vote."), field="voting_mode")
    for field, value in (
        ("max_shares_per_member", max_shares_per_member),
        ("max_votes_per_member", max_votes_per_member),
    ):
        if value is not None and value < 1:
            raise DomainError(_("Fill in a number of 1 or more, or leave it empty."), field=field)
    rate = Decimal(social_value_hourly_rate)
    if rate < 0 or rate != rate.quantize(Decimal("0.01")):
        raise DomainError(
            _("Fill in an amount of 0 or more, in euros and cents."),
            field="social_value_hourly_rate",
        )
    new_values = {
        "name": name,
        "kvk_number": kvk_number,
        "area_postcodes": postcodes,
        "voting_mode": voting_mode,
        "max_shares_per_member": max_shares_per_member,
        "max_votes_per_member": max_votes_per_member,
        "social_value_hourly_rate": Money(rate, cooperative.currency),
        "reinvestment_rule": (reinvestment_rule or "").strip(),
    }
    changed = {
        field: [_plain(getattr(cooperative, field)), _plain(value)]
        for field, value in new_values.items()
        if getattr(cooperative, field) != value
    }
    if not changed:
        raise DomainError(_("Nothing was changed."))
    for field, value in new_values.items():
        setattr(cooperative, field, value)
    _set_history(cooperative, actor, "settings changed")
    cooperative.save()
    append_event(
        cooperative,
        actor=actor,
        action="cooperative.updated",
        subject=cooperative,
        payload={"changed": changed},
    )
    return cooperative


def _create_membership(cooperative, user, roles, *, actor, partner_organisation=None) -> Membership:
    membership = Membership(
        user=user,
        cooperative=cooperative,
        member_number=_next_member_number(cooperative),
        partner_organisation=partner_organisation,
        **{Membership.ROLE_FIELDS[role]: True for role in roles},
    )
    _set_history(membership, actor, "joined")
    membership.save()
    return membership


@transaction.atomic
def register_resident(
    cooperative,
    *,
    actor,
    full_name: str,
    email: str | None = None,
    phone: str = "",
    street_address: str = "",
    postcode: str = "",
    city: str = "",
    roles=(Role.RESIDENT,),
    partner_organisation=None,
) -> Membership:
    """A coordinator registers a resident, who may have no e-mail address (and then no login:
    the coordinator acts on their behalf)."""
    roles = _clean_roles(roles)
    cooperative = _lock(Cooperative, cooperative.pk)
    _check_may_grant(actor, cooperative, roles)
    full_name, postcode = _validate_person(full_name, postcode)
    email = _normalise_email(email)
    _check_email_free(email)
    user = User.objects.create_user(
        email=email,
        full_name=full_name,
        phone=phone,
        street_address=street_address,
        postcode=postcode,
        city=city,
        registered_by=actor,
    )
    if partner_organisation is not None and partner_organisation.cooperative_id != cooperative.pk:
        raise DomainError(_("This organisation belongs to another cooperative."))
    membership = _create_membership(
        cooperative, user, roles, actor=actor, partner_organisation=partner_organisation
    )
    append_event(
        cooperative,
        actor=actor,
        action="member.registered",
        subject=membership,
        payload={
            "member_number": membership.member_number,
            "roles": roles,
            "has_email": email is not None,
        },
    )
    return membership


@transaction.atomic
def add_member(cooperative, *, actor, user, roles) -> Membership:
    """Someone who already has an account joins another cooperative (a person may belong to
    several)."""
    roles = _clean_roles(roles)
    cooperative = _lock(Cooperative, cooperative.pk)
    _check_may_grant(actor, cooperative, roles)
    if Membership.objects.filter(user=user, cooperative=cooperative).exists():
        raise DomainError(_("This person is already a member."))
    membership = _create_membership(cooperative, user, roles, actor=actor)
    append_event(
        cooperative,
        actor=actor,
        action="member.added",
        subject=membership,
        payload={"member_number": membership.member_number, "roles": roles},
    )
    return membership


@transaction.atomic
def invite_member(cooperative, *, actor, email: str = "", roles=(Role.RESIDENT,)):
    """Make a one-time invitation link. Returns (invitation, token); only the token's hash is
    stored, so the link can be shown once and never again."""
    roles = _clean_roles(roles)
    _check_may_grant(actor, cooperative, roles)
    email = _normalise_email(email) or ""
    if (
        email
        and Membership.objects.filter(cooperative=cooperative, user__email__iexact=email).exists()
    ):
        raise DomainError(_("Someone with this e-mail address is already a member."), field="email")
    token = new_invitation_token()
    invitation = Invitation(
        cooperative=cooperative,
        email=email,
        roles=roles,
        token_hash=token_hash(token),
        created_by=actor,
        expires_at=timezone.now() + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    _set_history(invitation, actor, "invited")
    invitation.save()
    append_event(
        cooperative,
        actor=actor,
        action="invitation.created",
        subject=invitation,
        payload={"roles": roles, "expires_at": invitation.expires_at.isoformat()},
    )
    return invitation, token


@transaction.atomic
def accept_invitation(
    token: str,
    *,
    actor=None,
    full_name: str = "",
    email: str = "",
    password: str = "",
    preferred_language: str = "nl",
) -> Membership:
    """Use an invitation: a logged-in person joins as themselves; anyone else creates an account
    with e-mail and password. An invitation works once."""
    found = Invitation.objects.filter(token_hash=token_hash(token or "")).first()
    invitation = _lock(Invitation, found.pk) if found else None
    check_invitation_open(invitation)
    cooperative = _lock(Cooperative, invitation.cooperative_id)
    if actor is not None and actor.is_authenticated:
        user = actor
        if Membership.objects.filter(user=user, cooperative=cooperative).exists():
            raise DomainError(
                _("You are already a member of %(name)s.") % {"name": cooperative.name}
            )
    else:
        email = _normalise_email(email)
        if email is None:
            raise DomainError(_("Fill in your e-mail address."), field="email")
        full_name, _postcode = _validate_person(full_name, "")
        _check_email_free(email)
        candidate = User(email=email, full_name=full_name)
        try:
            validate_password(password, user=candidate)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), field="password") from None
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=email,
                    password=password,
                    full_name=full_name,
                    preferred_language=preferred_language,
                )
        except IntegrityError:
            # Another request registered the same address between our check and our insert.
            _check_email_free(email)
            raise
    membership = _create_membership(cooperative, user, invitation.roles, actor=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    _set_history(invitation, user, "accepted")
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    append_event(
        cooperative,
        actor=user,
        action="member.joined",
        subject=membership,
        payload={
            "member_number": membership.member_number,
            "roles": list(invitation.roles),
            "invitation": invitation.pk,
        },
    )
    return membership


@transaction.atomic
def revoke_invitation(invitation, *, actor) -> Invitation:
    """Withdraw an invitation that has not been used yet."""
    invitation = _lock(Invitation, invitation.pk)
    _check_may_grant(actor, invitation.cooperative, invitation.roles)
    check_invitation_open(invitation)
    invitation.revoked_at = timezone.now()
    _set_history(invitation, actor, "withdrawn")
    invitation.save(update_fields=["revoked_at"])
    append_event(
        invitation.cooperative, actor=actor, action="invitation.revoked", subject=invitation
    )
    return invitation


@transaction.atomic
def set_member_roles(membership, *, actor, roles) -> Membership:
    """The board decides who holds which role. A cooperative always keeps one board member."""
    roles = _clean_roles(roles)
    membership = _lock(Membership, membership.pk)
    cooperative = _lock(Cooperative, membership.cooperative_id)
    if not _is_system(actor):
        require_role(actor, cooperative, Role.BOARD)
    if membership.is_board and Role.BOARD not in roles:
        other_board = cooperative.memberships.filter(
            is_board=True, status=MembershipStatus.ACTIVE
        ).exclude(pk=membership.pk)
        if not other_board.exists():
            raise DomainError(_("The cooperative needs at least one board member."), field="roles")
    before = sorted(membership.roles)
    for role, field in Membership.ROLE_FIELDS.items():
        setattr(membership, field, role in roles)
    _set_history(membership, actor, "roles changed")
    membership.save()
    if SECOND_FACTOR_ROLES & set(roles) - set(before):
        # An API token made with a password alone must not carry the new power: from now on
        # a token is made only after the second factor.
        Token.objects.filter(user_id=membership.user_id).delete()
    append_event(
        cooperative,
        actor=actor,
        action="member.roles_changed",
        subject=membership,
        payload={"member_number": membership.member_number, "before": before, "after": roles},
    )
    return membership


@transaction.atomic
def set_membership_status(membership, *, actor, status: str, reason: str) -> Membership:
    """The board suspends, ends or restores a membership, always with a reason."""
    if status not in MembershipStatus.values:
        raise DomainError(_("Unknown status."), field="status")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."), field="reason")
    membership = _lock(Membership, membership.pk)
    if not _is_system(actor):
        require_role(actor, membership.cooperative, Role.BOARD)
    if membership.status == status:
        raise DomainError(_("The membership already has this status."), field="status")
    before = membership.status
    membership.status = status
    _set_history(membership, actor, reason)
    membership.save(update_fields=["status"])
    append_event(
        membership.cooperative,
        actor=actor,
        action="member.status_changed",
        subject=membership,
        payload={
            "member_number": membership.member_number,
            "before": before,
            "after": status,
            "reason": reason,
        },
    )
    return membership


@transaction.atomic
def add_place(
    cooperative, *, actor, name: str, kind: str, address: str = "", description: str = ""
) -> Place:
    """A coordinator or the board adds a place where activities happen."""
    if not _is_system(actor):
        require_role(actor, cooperative, Role.COORDINATOR, Role.BOARD)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Fill in a name."), field="name")
    if kind not in PlaceKind.values:
        raise DomainError(_("Choose what kind of place this is."), field="kind")
    if cooperative.places.filter(name__iexact=name).exists():
        raise DomainError(_("There is already a place with this name."), field="name")
    place = Place(
        cooperative=cooperative, name=name, kind=kind, address=address, description=description
    )
    _set_history(place, actor, "added")
    place.save()
    append_event(
        cooperative,
        actor=actor,
        action="place.added",
        subject=place,
        payload={"name": name, "kind": kind},
    )
    return place


@transaction.atomic
def add_partner_organisation(
    cooperative, *, actor, name: str, sector: str, description: str = "", website: str = ""
) -> PartnerOrganisation:
    """The board records an organisation the neighbourhood works with."""
    if not _is_system(actor):
        require_role(actor, cooperative, Role.BOARD)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Fill in a name."), field="name")
    if sector not in Sector.values:
        raise DomainError(_("Choose a sector."), field="sector")
    if cooperative.partner_organisations.filter(name__iexact=name).exists():
        raise DomainError(_("There is already an organisation with this name."), field="name")
    partner = PartnerOrganisation(
        cooperative=cooperative, name=name, sector=sector, description=description, website=website
    )
    _set_history(partner, actor, "added")
    partner.save()
    append_event(
        cooperative,
        actor=actor,
        action="partner.added",
        subject=partner,
        payload={"name": name, "sector": sector},
    )
    return partner


@transaction.atomic
def update_profile(
    user,
    *,
    actor,
    full_name: str,
    email: str | None,
    preferred_language: str,
    phone: str = "",
    street_address: str = "",
    postcode: str = "",
    city: str = "",
) -> User:
    """A person edits their own details (an edit, recorded in the row history, not a decision)."""
    if actor is None or actor.pk != user.pk:
        raise NotAllowed(_("You can only change your own details."))
    user = _lock(User, user.pk)
    full_name, postcode = _validate_person(full_name, postcode)
    email = _normalise_email(email)
    if email is None and user.has_usable_password():
        raise DomainError(
            _("You log in with your e-mail address, so it cannot be empty."), field="email"
        )
    _check_email_free(email, except_user=user)
    if preferred_language not in dict(settings.LANGUAGES):
        raise DomainError(_("Choose a language."), field="preferred_language")
    user.full_name = full_name
    user.email = email
    user.preferred_language = preferred_language
    user.phone = phone
    user.street_address = street_address
    user.postcode = postcode
    user.city = city
    _set_history(user, actor, "profile edited")
    user.save()
    return user


@transaction.atomic
def start_second_factor_setup(user, *, actor) -> TOTPDevice:
    """The unconfirmed authenticator a person is about to scan; the same one until confirmed."""
    if actor is None or actor.pk != user.pk:
        raise NotAllowed(_("You can only set up your own authenticator app."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


@transaction.atomic
def confirm_second_factor(device, *, actor, token: str) -> TOTPDevice:
    """The person typed a code from the app they just scanned: from now on it is required."""
    device = _lock(TOTPDevice, device.pk)
    if actor is None or actor.pk != device.user_id:
        raise NotAllowed(_("You can only set up your own authenticator app."))
    if not device.verify_token((token or "").strip()):
        raise DomainError(
            _("This code is not right. Check the time on your phone and type the newest code."),
            field="token",
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def verify_second_factor(user, *, actor, token: str):
    """Check a code against the person's confirmed devices (django-otp throttles guessing)."""
    if actor is None or actor.pk != user.pk:
        raise NotAllowed(_("You can only confirm your own login."))
    from django_otp import match_token

    device = match_token(user, (token or "").strip())
    if device is None:
        raise DomainError(
            _("This code is not right. Type the newest code from your authenticator app."),
            field="token",
        )
    return device


@transaction.atomic
def renew_api_token(user, *, actor) -> Token:
    """A new API token for the person; the old one stops working."""
    if actor is None or actor.pk != user.pk:
        raise NotAllowed(_("You can only make a token for yourself."))
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def _check_may_forget(user, actor, memberships) -> None:
    """The person themselves; the system; or someone on the board of every cooperative the person
    belongs to (for a resident without e-mail, who cannot log in to ask)."""
    if _is_system(actor) or actor.pk == user.pk:
        return
    if not memberships:
        raise NotAllowed(_("You can only ask for your own data to be forgotten."))
    for membership in memberships:
        require_role(actor, membership.cooperative, Role.BOARD)


@transaction.atomic
def forget_member(user, *, actor, reason: str = "", today: datetime.date | None = None) -> User:
    """Forget a person: their identity is erased or pseudonymised everywhere, while the ledger
    and the audit chain, which name members by number, stay as they are and still verify.

    Refused while the person holds shares (the share register must name every shareholder),
    has an open request for shares or money still to be settled, or is the last board member
    of a cooperative. Where the person has financial records, their name and address are first
    copied into a `RetainedIdentity` per cooperative, kept until seven years after the end of
    the financial year of the last record. Their memberships end; each app forgets what it
    keeps (members/personal_data.py).

    One `member.forgotten` event is appended to the chain of each cooperative the person belongs
    to: each chain records the decision about its own member, so a member of two cooperatives
    leaves one event in each."""
    from members import personal_data

    today = today or timezone.localdate()
    user = _lock(User, user.pk)
    memberships = list(
        Membership.objects.select_for_update()
        .filter(user=user)
        .select_related("cooperative")
        .order_by("pk")
    )
    _check_may_forget(user, actor, memberships)
    if personal_data.is_forgotten(user, memberships):
        raise DomainError(_("This person has already been forgotten."))
    reasons = personal_data.forgetting_blockers(user)
    if reasons:
        raise DomainError(" ".join(str(reason) for reason in reasons), code="cannot_forget_yet")
    reason = (reason or "").strip()[:200]
    last_records = personal_data.financial_record_dates(user)
    kept_until = {}
    for membership in memberships:
        last_record = last_records.get(membership.cooperative_id)
        if last_record is None or personal_data.retain_until(last_record) < today:
            continue
        retained = RetainedIdentity.objects.create(
            cooperative=membership.cooperative,
            member_number=membership.member_number,
            full_name=user.full_name,
            street_address=user.street_address,
            postcode=user.postcode,
            city=user.city,
            last_financial_record_on=last_record,
            forgotten_on=today,
            retain_until=personal_data.retain_until(last_record),
        )
        kept_until[membership.pk] = retained.retain_until.isoformat()
    for label, module in personal_data.providers().items():
        if label != "members":
            module.forget(user, memberships=memberships)
    # Last, so that the other apps could still read the person's details.
    personal_data.forget(user, memberships=memberships)
    for membership in memberships:
        if membership.status != MembershipStatus.ENDED:
            membership.status = MembershipStatus.ENDED
            _set_history(membership, actor, f"forgotten {reason}".strip())
            membership.save(update_fields=["status"])
        append_event(
            membership.cooperative,
            actor=actor,
            action="member.forgotten",
            subject=membership,
            payload={
                "member_number": membership.member_number,
                "identity_kept_until": kept_until.get(membership.pk),
            },
            on_behalf_of=user if actor is not None and actor.pk != user.pk else None,
        )
    return user


@transaction.atomic
def purge_retained_identities(*, actor=None, today: datetime.date | None = None) -> int:
    """Delete the identities of forgotten members whose retention period has ended (its last day
    is `retain_until`). Only the system (the nightly command) or site staff do this. Appends one
    `member.retained_identities_purged` event to each cooperative that had any; returns how many
    were deleted."""
    if not _is_system(actor):
        raise NotAllowed(_("Only the site's administrators may do this."))
    today = today or timezone.localdate()
    expired = list(
        RetainedIdentity.objects.select_for_update()
        .filter(retain_until__lt=today)
        .select_related("cooperative")
        .order_by("cooperative_id", "member_number")
    )
    by_cooperative: dict[int, list[RetainedIdentity]] = {}
    for retained in expired:
        by_cooperative.setdefault(retained.cooperative_id, []).append(retained)
    for rows in by_cooperative.values():
        RetainedIdentity.objects.filter(pk__in=[row.pk for row in rows]).delete()
        append_event(
            rows[0].cooperative,
            actor=actor,
            action="member.retained_identities_purged",
            payload={
                "member_numbers": [row.member_number for row in rows],
                "on": today.isoformat(),
            },
        )
    return len(expired)
