import pytest

from members import services
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_the_board_makes_a_resident_coordinator(hood):
    membership = hood.membership("alice")
    with captures_events(hood.cooperative) as events:
        services.set_member_roles(membership, actor=hood.carol, roles=["resident", "coordinator"])
    membership.refresh_from_db()
    assert membership.roles == {"resident", "coordinator"}
    assert_audit_event(
        events,
        action="member.roles_changed",
        actor=hood.carol,
        subject=membership,
        payload={
            "member_number": membership.member_number,
            "before": ["resident"],
            "after": ["coordinator", "resident"],
        },
    )


def test_it_keeps_at_least_one_board_member(hood):
    membership = hood.membership("carol")
    with captures_events(hood.cooperative) as events:
        with pytest.raises(DomainError, match="at least one board member"):
            services.set_member_roles(membership, actor=hood.carol, roles=["resident"])
    membership.refresh_from_db()
    assert membership.is_board
    assert events == []


def test_a_coordinator_may_not_change_roles(hood):
    membership = hood.membership("alice")
    with pytest.raises(NotAllowed, match="Only board member"):
        services.set_member_roles(membership, actor=hood.bob, roles=["board"])
    membership.refresh_from_db()
    assert not membership.is_board


def test_becoming_treasurer_withdraws_api_tokens_made_without_a_second_factor(hood):
    token = services.renew_api_token(hood.alice, actor=hood.alice)
    services.set_member_roles(hood.membership("alice"), actor=hood.carol, roles=["treasurer"])
    assert not type(token).objects.filter(user=hood.alice).exists()


def test_other_role_changes_keep_the_token(hood):
    services.renew_api_token(hood.alice, actor=hood.alice)
    services.set_member_roles(hood.membership("alice"), actor=hood.carol, roles=["coordinator"])
    assert hood.alice.auth_token
