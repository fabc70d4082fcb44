import pytest

from members import services
from members.models import MembershipStatus
from members.permissions import has_role
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError

pytestmark = pytest.mark.django_db


def test_the_board_ends_a_membership_with_a_reason(hood):
    membership = hood.membership("alice")
    with captures_events(hood.cooperative) as events:
        services.set_membership_status(
            membership, actor=hood.carol, status=MembershipStatus.ENDED, reason="Moved away"
        )
    membership.refresh_from_db()
    assert membership.status == "ended"
    assert not has_role(hood.alice, hood.cooperative)
    assert membership.history.first().history_change_reason == "Moved away"
    assert_audit_event(
        events,
        action="member.status_changed",
        actor=hood.carol,
        subject=membership,
        payload={
            "member_number": membership.member_number,
            "before": "active",
            "after": "ended",
            "reason": "Moved away",
        },
    )


@pytest.mark.parametrize(
    ("status", "reason", "message"),
    [
        ("ended", "", "Give a reason"),
        ("gone", "x", "Unknown status"),
        ("active", "x", "already has"),
    ],
)
def test_it_refuses_bad_input(hood, status, reason, message):
    membership = hood.membership("alice")
    with captures_events(hood.cooperative) as events, pytest.raises(DomainError, match=message):
        services.set_membership_status(membership, actor=hood.carol, status=status, reason=reason)
    membership.refresh_from_db()
    assert membership.status == "active"
    assert events == []
