import datetime

import pytest
from django.utils import timezone

from members import services
from members.invitations import token_hash
from members.models import Invitation, Role
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_a_coordinator_invites_a_resident(hood):
    with captures_events(hood.cooperative) as events:
        invitation, token = services.invite_member(
            hood.cooperative, actor=hood.bob, email="Nieuw@Example.org"
        )
    assert invitation.email == "nieuw@example.org"
    assert invitation.roles == ["resident"]
    # Only the hash is stored: the link cannot be read back from the database.
    assert invitation.token_hash == token_hash(token) != token
    assert invitation.expires_at - timezone.now() > datetime.timedelta(days=13)
    assert_audit_event(
        events,
        action="invitation.created",
        actor=hood.bob,
        subject=invitation,
        payload={"roles": ["resident"], "expires_at": invitation.expires_at.isoformat()},
    )


def test_the_board_may_invite_a_treasurer(hood):
    invitation, _token = services.invite_member(
        hood.cooperative, actor=hood.carol, roles=[Role.TREASURER, Role.RESIDENT]
    )
    assert invitation.roles == ["resident", "treasurer"]


def test_a_coordinator_may_not_invite_a_board_member(hood):
    with pytest.raises(NotAllowed, match="Only board member"):
        services.invite_member(hood.cooperative, actor=hood.bob, roles=[Role.BOARD])
    assert not Invitation.objects.exists()


def test_it_refuses_to_invite_an_existing_member(hood):
    with pytest.raises(DomainError, match="already a member") as info:
        services.invite_member(hood.cooperative, actor=hood.bob, email="alice@example.org")
    assert info.value.field == "email"
    assert not Invitation.objects.exists()


def test_it_refuses_no_roles(hood):
    with pytest.raises(DomainError, match="at least one role"):
        services.invite_member(hood.cooperative, actor=hood.carol, roles=[])
    assert not Invitation.objects.exists()
