import pytest

from members import services
from members.models import Membership, Role
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError

pytestmark = pytest.mark.django_db


def test_a_person_can_belong_to_two_cooperatives(hood):
    with captures_events(hood.other) as events:
        membership = services.add_member(
            hood.other, actor=hood.olivia, user=hood.bob, roles=[Role.COORDINATOR]
        )
    assert set(
        Membership.objects.filter(user=hood.bob).values_list("cooperative__slug", flat=True)
    ) == {
        "teststad",
        "elders",
    }
    assert_audit_event(
        events,
        action="member.added",
        actor=hood.olivia,
        subject=membership,
        payload={"member_number": membership.member_number, "roles": ["coordinator"]},
    )


def test_it_refuses_someone_who_is_already_a_member(hood):
    with captures_events(hood.cooperative) as events:
        with pytest.raises(DomainError, match="already a member"):
            services.add_member(
                hood.cooperative, actor=hood.carol, user=hood.alice, roles=["resident"]
            )
    assert events == []


def test_it_refuses_an_unknown_role(hood):
    with pytest.raises(DomainError, match="Unknown role: king"):
        services.add_member(hood.other, actor=None, user=hood.alice, roles=["king"])
    assert not Membership.objects.filter(user=hood.alice, cooperative=hood.other).exists()
