import datetime

import pytest
from django.utils import timezone

from members import services
from members.models import Invitation, Membership, User
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError

pytestmark = pytest.mark.django_db

GOOD = {
    "full_name": "Nadia Nieuw",
    "email": "nadia@example.org",
    "password": "lange-zin-als-wachtwoord",
}


@pytest.fixture
def invitation(hood):
    return services.invite_member(hood.cooperative, actor=hood.bob, email="nadia@example.org")


def test_a_newcomer_creates_an_account_and_joins(hood, invitation):
    invite, token = invitation
    with captures_events(hood.cooperative) as events:
        membership = services.accept_invitation(token, **GOOD)
    user = membership.user
    assert user.email == "nadia@example.org"
    assert user.check_password(GOOD["password"])
    assert membership.cooperative == hood.cooperative and membership.is_resident
    invite.refresh_from_db()
    assert invite.accepted_by == user and invite.accepted_at is not None
    assert_audit_event(
        events,
        action="member.joined",
        actor=user,
        subject=membership,
        payload={
            "member_number": membership.member_number,
            "roles": ["resident"],
            "invitation": invite.pk,
        },
    )


def test_a_logged_in_person_joins_as_themselves(hood):
    _invite, token = services.invite_member(hood.other, actor=hood.olivia)
    membership = services.accept_invitation(token, actor=hood.alice)
    assert membership.user == hood.alice
    assert Membership.objects.filter(user=hood.alice).count() == 2


def _assert_refused(token, message, *, code, **values):
    users, memberships = User.objects.count(), Membership.objects.count()
    with pytest.raises(DomainError, match=message) as info:
        services.accept_invitation(token, **(values or GOOD))
    assert info.value.code == code
    assert User.objects.count() == users
    assert Membership.objects.count() == memberships


def test_it_refuses_a_used_invitation(hood, invitation):
    _invite, token = invitation
    services.accept_invitation(token, **GOOD)
    with captures_events(hood.cooperative) as events:
        _assert_refused(
            token,
            "already been used",
            code="invitation_used",
            full_name="Tweede",
            email="tweede@example.org",
            password="nog-een-lange-zin",
        )
    assert events == []


def test_it_refuses_an_expired_invitation(hood, invitation):
    invite, token = invitation
    Invitation.objects.filter(pk=invite.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    _assert_refused(token, "expired", code="invitation_expired")


def test_it_refuses_a_withdrawn_invitation(hood, invitation):
    invite, token = invitation
    services.revoke_invitation(invite, actor=hood.bob)
    _assert_refused(token, "withdrawn", code="invitation_revoked")


def test_it_refuses_an_unknown_token(hood):
    _assert_refused("not-a-real-token", "not valid", code="invitation_unknown")


def test_it_refuses_a_duplicate_email_and_keeps_the_invitation_open(hood, invitation):
    invite, token = invitation
    _assert_refused(
        token,
        "already an account",
        code="duplicate_email",
        full_name="Alice Again",
        email="Alice@Example.org",
        password="lange-zin-als-wachtwoord",
    )
    invite.refresh_from_db()
    assert invite.accepted_at is None


def test_it_refuses_a_weak_password(hood, invitation):
    _invite, token = invitation
    _assert_refused(
        token,
        "too short",
        code="invalid",
        full_name="Nadia",
        email="n@example.org",
        password="kort",
    )


def test_it_refuses_a_member_joining_twice(hood):
    _invite, token = services.invite_member(hood.cooperative, actor=hood.bob)
    with pytest.raises(DomainError, match="already a member"):
        services.accept_invitation(token, actor=hood.alice)
