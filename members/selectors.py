"""Read queries for the members pages and API: each returns exactly what its page needs."""

from django.db.models import Count, Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from members.invitations import check_invitation_open, token_hash
from members.models import Invitation, Membership, MembershipStatus


def active_memberships(user) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
        .select_related("cooperative")
        .order_by("cooperative__name")
    )


def cooperative_counts(cooperative) -> dict:
    """Headline numbers for the member home page, in one query."""
    return cooperative.memberships.aggregate(
        members=Count("pk", filter=Q(status=MembershipStatus.ACTIVE)),
        residents=Count("pk", filter=Q(status=MembershipStatus.ACTIVE, is_resident=True)),
    ) | {
        "places": cooperative.places.filter(is_active=True).count(),
        "partners": cooperative.partner_organisations.filter(is_active=True).count(),
    }


def member_list(cooperative):
    return (
        Membership.objects.filter(cooperative=cooperative)
        .select_related("user", "partner_organisation")
        .order_by("member_number")
    )


def open_invitations(cooperative):
    return Invitation.objects.filter(
        cooperative=cooperative,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("-created_at")


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_api_token(user) -> bool:
    return Token.objects.filter(user=user).exists()


def totp_secret(device) -> str:
    """The key in the base32 form authenticator apps accept when typed by hand."""
    import base64

    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def totp_qr_data_uri(device) -> str:
    import segno

    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def open_invitation(token: str) -> Invitation:
    """The usable invitation for this token, or a DomainError saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("cooperative")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    check_invitation_open(invitation)
    return invitation


def export_personal_data(user) -> dict:
    """Everything recorded about the person, app by app (members/personal_data.py)."""
    from members.personal_data import export_personal_data as collect

    return collect(user)
