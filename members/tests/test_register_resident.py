import pytest

from members import services
from members.models import Membership, Role, User
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_a_coordinator_registers_a_resident_without_email(hood):
    with captures_events(hood.cooperative) as events:
        membership = services.register_resident(
            hood.cooperative, actor=hood.bob, full_name="Wilma Zonder Mail", postcode="1234ab"
        )
    user = membership.user
    assert user.email is None
    assert not user.has_usable_password()
    assert user.postcode == "1234 AB"
    assert user.registered_by == hood.bob
    assert membership.is_resident and membership.roles == {Role.RESIDENT}
    assert membership.member_number == 7  # after the six personas of Teststad
    assert_audit_event(
        events,
        action="member.registered",
        actor=hood.bob,
        subject=membership,
        payload={"member_number": 7, "roles": ["resident"], "has_email": False},
    )


def test_member_numbers_follow_on_within_a_cooperative(hood):
    first = services.register_resident(hood.cooperative, actor=hood.bob, full_name="A")
    second = services.register_resident(hood.cooperative, actor=hood.bob, full_name="B")
    other = services.register_resident(hood.other, actor=None, full_name="C")
    assert second.member_number == first.member_number + 1
    assert other.member_number == 2


def test_it_refuses_an_email_address_that_is_taken(hood):
    before = User.objects.count()
    with captures_events(hood.cooperative) as events:
        with pytest.raises(DomainError, match="already an account") as info:
            services.register_resident(
                hood.cooperative, actor=hood.bob, full_name="Dubbel", email="ALICE@example.org"
            )
    assert info.value.field == "email"
    assert User.objects.count() == before
    assert events == []


def test_it_refuses_an_invalid_postcode(hood):
    before = Membership.objects.count()
    with pytest.raises(DomainError, match="not a Dutch postcode"):
        services.register_resident(
            hood.cooperative, actor=hood.bob, full_name="Verkeerd", postcode="0000 XX"
        )
    assert Membership.objects.count() == before


def test_it_refuses_an_empty_name(hood):
    with pytest.raises(DomainError, match="Fill in a name"):
        services.register_resident(hood.cooperative, actor=hood.bob, full_name="  ")


def test_a_resident_may_not_register_anyone(hood):
    with pytest.raises(NotAllowed, match="Only coordinator or board member"):
        services.register_resident(hood.cooperative, actor=hood.alice, full_name="Nieuw")


def test_a_coordinator_may_not_make_someone_treasurer(hood):
    with pytest.raises(NotAllowed, match="Only board member"):
        services.register_resident(
            hood.cooperative, actor=hood.bob, full_name="Geld", roles=[Role.TREASURER]
        )


def test_a_member_of_another_cooperative_may_not_register_here(hood):
    with pytest.raises(NotAllowed, match="not a member of Wijk-BV Teststad"):
        services.register_resident(hood.cooperative, actor=hood.olivia, full_name="Binnendringer")


def test_it_refuses_an_email_address_longer_than_mail_allows(hood):
    before = User.objects.count()
    with pytest.raises(DomainError, match="at most 254 characters"):
        services.register_resident(
            hood.cooperative, actor=hood.bob, full_name="Lang", email="a" * 250 + "@example.org"
        )
    assert User.objects.count() == before
