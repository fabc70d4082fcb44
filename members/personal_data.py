"""Everything recorded about a person, app by app: to show it to them, and to forget them.

Each app that keeps something about people has a `personal_data` module (this one is the
members app's own, and also the registry that finds the others). A module provides:

    TITLE                          the heading of its section on the "my data" page
    LABELS                         plain words for the keys of its export
    export(user) -> dict           everything about the person in this app, in all their
                                   cooperatives: {key: list of rows or one row}, JSON-safe
    forget(user, *, memberships)   erase or pseudonymise what is personal here and is not needed
                                   for the retention of financial records; runs inside
                                   `forget_member`'s transaction, with the memberships locked

and may provide

    blockers(user) -> list[str]    why the person cannot be forgotten yet, in plain words
    last_financial_records(user)   {cooperative pk: date of the person's last financial record}

An export names other people by member number at most, never by name.
"""

import datetime
import functools
import importlib
import importlib.util
import re
from decimal import Decimal

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from members.models import Invitation, Membership, MembershipStatus, Role, User
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.references import subject_reference

TITLE = _("You and your memberships")

LABELS = {
    "person": _("Your details"),
    "memberships": _("Memberships"),
    "invitations": _("Invitations to your e-mail address"),
    "audit_events": _("Decisions in the cooperative's record that name you"),
    "full_name": _("Name"),
    "email": _("E-mail address"),
    "phone": _("Phone number"),
    "street_address": _("Street and house number"),
    "postcode": _("Postcode"),
    "city": _("Town or city"),
    "preferred_language": _("Language"),
    "date_joined": _("Account made on"),
    "last_login": _("Last logged in"),
    "is_active": _("Account in use"),
    "has_password": _("Logs in with a password"),
    "has_api_token": _("Has an API token"),
    "authenticator_apps": _("Authenticator apps"),
    "cooperative": _("Cooperative"),
    "member_number": _("Member number"),
    "status": _("Status"),
    "joined_on": _("Member since"),
    "roles": _("Roles"),
    "partner_organisation": _("On behalf of organisation"),
    "created_at": _("Made on"),
    "expires_at": _("Valid until"),
    "accepted_at": _("Used on"),
    "revoked_at": _("Withdrawn on"),
    "seq": _("Number in the record"),
    "time": _("Time"),
    "action": _("Decision"),
    "actor": _("By"),
    "on_behalf_of": _("On behalf of"),
    "subject": _("About"),
    "payload": _("Details"),
}

VALUES = {
    ("memberships", "status"): dict(MembershipStatus.choices),
    ("memberships", "roles"): dict(Role.choices),
    ("invitations", "roles"): dict(Role.choices),
}

# The name a forgotten person keeps, followed by their member number(s). It is data, so it is
# stored in the cooperative's language rather than translated when shown.
PSEUDONYM_PREFIX = "Oud-lid"


def plain(value):
    """A JSON-safe form of a value: dates as ISO text, amounts as text, never floats."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


# The registry.


@functools.cache
def providers() -> dict[str, object]:
    """{app label: its personal_data module}, this app first, then in the order of
    INSTALLED_APPS."""
    found = {}
    for config in apps.get_app_configs():
        name = f"{config.name}.personal_data"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        if hasattr(module, "export") and hasattr(module, "forget"):
            found[config.label] = module
    return {"members": found.pop("members")} | found


def export_personal_data(user) -> dict:
    """Everything recorded about the person, per app: what the "my data" page shows and what the
    JSON download holds."""
    return {
        "exported_at": timezone.now().isoformat(),
        "apps": {label: module.export(user) for label, module in providers().items()},
    }


def labels() -> dict:
    merged = {}
    for module in providers().values():
        merged |= getattr(module, "LABELS", {})
    return merged


def forgetting_blockers(user) -> list[str]:
    """Every reason, from every app, why the person cannot be forgotten yet."""
    reasons = []
    for module in providers().values():
        if hasattr(module, "blockers"):
            reasons.extend(module.blockers(user))
    return reasons


def financial_record_dates(user) -> dict[int, datetime.date]:
    """{cooperative pk: the date of the person's last financial record there}, over all apps."""
    latest: dict[int, datetime.date] = {}
    for module in providers().values():
        if not hasattr(module, "last_financial_records"):
            continue
        for cooperative_id, day in module.last_financial_records(user).items():
            if cooperative_id not in latest or day > latest[cooperative_id]:
                latest[cooperative_id] = day
    return latest


def retain_until(last_record: datetime.date) -> datetime.date:
    """Seven years after the end of the financial year (the calendar year) of the last record:
    the retention Dutch tax law asks of the books and what they rest on."""
    return datetime.date(last_record.year + 7, 12, 31)


def pseudonym(memberships) -> str:
    """ "Oud-lid 12" for a member of one cooperative; with the cooperatives' short names for a
    member of several, as member numbers are counted per cooperative."""
    memberships = sorted(memberships, key=lambda m: m.cooperative_id)
    if not memberships:
        return PSEUDONYM_PREFIX
    if len(memberships) == 1:
        return f"{PSEUDONYM_PREFIX} {memberships[0].member_number}"
    numbers = ", ".join(f"{m.cooperative.slug} {m.member_number}" for m in memberships)
    return f"{PSEUDONYM_PREFIX} {numbers}"[:150]


def is_forgotten(user, memberships) -> bool:
    return user.email is None and user.full_name == pseudonym(memberships)


def readable(data: dict) -> list[dict]:
    """The export as sections for the page: each app's title and its parts, a part being a
    table (a list of rows) or a list of label and value (one row). Codes are shown in words
    where the app gives them (its VALUES), dates and times as the language writes them."""
    sections = []
    for label, module in providers().items():
        words = getattr(module, "LABELS", {})
        values = getattr(module, "VALUES", {})
        parts = []
        for key, value in data["apps"].get(label, {}).items():
            part = {"title": words.get(key, key), "is_table": isinstance(value, list)}
            if isinstance(value, list):
                columns = list(value[0]) if value else []
                part["headers"] = [words.get(column, column) for column in columns]
                part["rows"] = [
                    [_shown(row.get(column), values.get((key, column))) for column in columns]
                    for row in value
                ]
            else:
                part["pairs"] = [
                    (words.get(column, column), _shown(item, values.get((key, column))))
                    for column, item in value.items()
                ]
            parts.append(part)
        sections.append({"title": module.TITLE, "parts": parts})
    return sections


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T[\d:.]+([+-]\d{2}:\d{2}|Z)?)?$")


def _shown(value, choices=None) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if isinstance(value, list):
        return ", ".join(_shown(item, choices) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_shown(item)}" for key, item in sorted(value.items()))
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, str) and _ISO_DATE.match(value):
        return _date_shown(value)
    return str(value)


def _date_shown(value: str) -> str:
    if "T" not in value:
        return formats.date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
    moment = timezone.localtime(datetime.datetime.fromisoformat(value.replace("Z", "+00:00")))
    return formats.date_format(moment, "DATETIME_FORMAT")


# The members app's own part.


def _memberships(user):
    return list(
        Membership.objects.filter(user=user)
        .select_related("cooperative", "partner_organisation")
        .order_by("cooperative__slug")
    )


def _events(memberships) -> list[dict]:
    rows = []
    for membership in memberships:
        reference = f"member:{membership.member_number}"
        events = (
            AuditEvent.objects.filter(cooperative_id=membership.cooperative_id)
            .filter(
                Q(actor=reference)
                | Q(on_behalf_of=reference)
                | Q(subject=subject_reference(membership))
            )
            .order_by("seq")
        )
        rows.extend(
            {
                "cooperative": membership.cooperative.slug,
                "seq": event.seq,
                "time": event.time,
                "action": event.action,
                "actor": event.actor,
                "on_behalf_of": event.on_behalf_of,
                "subject": event.subject,
                "payload": event.payload,
            }
            for event in events
        )
    return rows


def export(user) -> dict:
    memberships = _memberships(user)
    invitations = Invitation.objects.select_related("cooperative").order_by("created_at", "pk")
    if user.email:
        invitations = invitations.filter(Q(email__iexact=user.email) | Q(accepted_by=user))
    else:
        invitations = invitations.filter(accepted_by=user)
    return plain(
        {
            "person": {
                "full_name": user.full_name,
                "email": user.email,
                "phone": user.phone,
                "street_address": user.street_address,
                "postcode": user.postcode,
                "city": user.city,
                "preferred_language": user.preferred_language,
                "date_joined": user.date_joined,
                "last_login": user.last_login,
                "is_active": user.is_active,
                "has_password": user.has_usable_password(),
                "has_api_token": Token.objects.filter(user=user).exists(),
                "authenticator_apps": TOTPDevice.objects.filter(user=user).count(),
            },
            "memberships": [
                {
                    "cooperative": m.cooperative.slug,
                    "member_number": m.member_number,
                    "status": m.status,
                    "joined_on": m.joined_on,
                    "roles": sorted(m.roles),
                    "partner_organisation": m.partner_organisation.name
                    if m.partner_organisation
                    else None,
                }
                for m in memberships
            ],
            "invitations": [
                {
                    "cooperative": invitation.cooperative.slug,
                    "email": invitation.email,
                    "roles": invitation.roles,
                    "created_at": invitation.created_at,
                    "expires_at": invitation.expires_at,
                    "accepted_at": invitation.accepted_at,
                    "revoked_at": invitation.revoked_at,
                }
                for invitation in invitations
            ],
            "audit_events": _events(memberships),
        }
    )


def forget(user, *, memberships) -> None:
    """Erase the person's identity: the account's name (the pseudonym instead), e-mail address,
    phone and address, in the row and in every historical row of it; the login (password,
    API token, authenticator apps, sessions, failed-login records); their address on
    invitations. Member numbers stay: the ledger and the audit chain name people by them."""
    name = pseudonym(memberships)
    email = user.email
    if email:
        Invitation.objects.filter(email__iexact=email).update(email="")
        Invitation.history.filter(email__iexact=email).update(email="")
        _forget_login_attempts(email)
    Token.objects.filter(user=user).delete()
    TOTPDevice.objects.filter(user=user).delete()
    _end_sessions(user)
    erased = {
        "full_name": name,
        "email": None,
        "phone": "",
        "street_address": "",
        "postcode": "",
        "city": "",
    }
    for field, value in erased.items():
        setattr(user, field, value)
    user.set_unusable_password()
    user.is_active = False
    user._change_reason = "forgotten"
    user.save()
    User.history.filter(id=user.pk).update(**erased)
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=name)


def _forget_login_attempts(email: str) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=email).delete()


def _end_sessions(user) -> None:
    """Sessions are not indexed by person, so each open one is read; forgetting is rare."""
    key = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == key:
            session.delete()


def blockers(user) -> list[str]:
    """A cooperative always keeps a board member: its only one must hand the role on first."""
    reasons = []
    for membership in Membership.objects.filter(
        user=user, status=MembershipStatus.ACTIVE, is_board=True
    ).select_related("cooperative"):
        others = Membership.objects.filter(
            cooperative_id=membership.cooperative_id, status=MembershipStatus.ACTIVE, is_board=True
        ).exclude(pk=membership.pk)
        if not others.exists():
            reasons.append(
                gettext(
                    "You are the only board member of %(name)s. The cooperative needs one: "
                    "give the role to someone else first."
                )
                % {"name": membership.cooperative.name}
            )
    return reasons
