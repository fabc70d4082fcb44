import pytest

from reciprocity import selectors, services
from reciprocity.models import ThanksListing
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(hood):
    return services.join_thank_you_wall(
        hood.membership("alice"), actor=hood.alice, display_name="Alice"
    )


def test_a_resident_takes_their_name_off_the_wall(hood, listed):
    alice = hood.membership("alice")
    with captures_events(hood.cooperative) as events:
        services.leave_thank_you_wall(alice, actor=hood.alice)
    assert selectors.thanks_wall(hood.cooperative) == []
    assert not ThanksListing.objects.exists()
    assert_audit_event(
        events,
        action="thanks_wall.left",
        actor=hood.alice,
        subject=f"reciprocity.thankslisting:{listed.pk}",
        payload={"member_number": alice.member_number},
    )


def test_a_coordinator_records_it_on_behalf_of_a_resident(hood, listed):
    with captures_events(hood.cooperative) as events:
        services.leave_thank_you_wall(hood.membership("alice"), actor=hood.bob)
    assert_audit_event(events, action="thanks_wall.left", actor=hood.bob, on_behalf_of=hood.alice)


def test_leaving_when_not_on_the_wall_is_refused(hood):
    with pytest.raises(DomainError, match="not on the thank-you wall"):
        services.leave_thank_you_wall(hood.membership("alice"), actor=hood.alice)


def test_nobody_else_takes_a_resident_off_the_wall(hood, listed):
    with pytest.raises(NotAllowed):
        services.leave_thank_you_wall(hood.membership("alice"), actor=hood.carol)
    assert ThanksListing.objects.exists()
