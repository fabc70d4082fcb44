"""Invitation tokens: how they are hashed and when one can still be used."""

import hashlib

from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Invitation
from wijkbv.errors import DomainError


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_invitation_open(invitation: Invitation | None) -> None:
    if invitation is None:
        raise DomainError(
            _("This invitation link is not valid. Check that you copied the whole link."),
            code="invitation_unknown",
        )
    if invitation.accepted_at is not None:
        raise DomainError(
            _("This invitation has already been used. Ask for a new one if you still need it."),
            code="invitation_used",
        )
    if invitation.revoked_at is not None:
        raise DomainError(_("This invitation was withdrawn."), code="invitation_revoked")
    if invitation.expires_at <= timezone.now():
        raise DomainError(
            _("This invitation has expired. Ask the person who invited you for a new one."),
            code="invitation_expired",
        )
