import pytest

from members import services
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_a_coordinator_withdraws_an_invitation(hood):
    invitation, _token = services.invite_member(hood.cooperative, actor=hood.bob)
    with captures_events(hood.cooperative) as events:
        services.revoke_invitation(invitation, actor=hood.bob)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert_audit_event(
        events, action="invitation.revoked", actor=hood.bob, subject=invitation, payload={}
    )


def test_it_refuses_to_withdraw_twice(hood):
    invitation, _token = services.invite_member(hood.cooperative, actor=hood.bob)
    services.revoke_invitation(invitation, actor=hood.bob)
    with captures_events(hood.cooperative) as events:
        with pytest.raises(DomainError, match="withdrawn"):
            services.revoke_invitation(invitation, actor=hood.bob)
    assert events == []


def test_a_resident_may_not_withdraw(hood):
    invitation, _token = services.invite_member(hood.cooperative, actor=hood.bob)
    with pytest.raises(NotAllowed):
        services.revoke_invitation(invitation, actor=hood.alice)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
