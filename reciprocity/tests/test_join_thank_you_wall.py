import pytest

from reciprocity import selectors, services
from reciprocity.models import ThanksListing
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_a_resident_chooses_to_be_thanked_by_name(hood):
    alice = hood.membership("alice")
    with captures_events(hood.cooperative) as events:
        listing = services.join_thank_you_wall(alice, actor=hood.alice, display_name=" Alice T. ")
    assert listing.display_name == "Alice T."
    assert selectors.thanks_wall(hood.cooperative) == ["Alice T."]
    assert_audit_event(
        events,
        action="thanks_wall.joined",
        actor=hood.alice,
        subject=listing,
        payload={"member_number": alice.member_number},
    )


def test_the_name_stays_out_of_the_audit_chain(hood):
    with captures_events(hood.cooperative) as events:
        services.join_thank_you_wall(hood.membership("alice"), actor=hood.alice, display_name="Al")
    assert "Al" not in str(events[0].payload).replace("alice", "")


def test_joining_again_changes_the_name(hood):
    alice = hood.membership("alice")
    services.join_thank_you_wall(alice, actor=hood.alice, display_name="Alice")
    with captures_events(hood.cooperative) as events:
        services.join_thank_you_wall(alice, actor=hood.alice, display_name="Tante Alice")
    assert_audit_event(events, action="thanks_wall.renamed", actor=hood.alice)
    assert selectors.thanks_wall(hood.cooperative) == ["Tante Alice"]


def test_joining_again_with_the_same_name_is_refused(hood):
    alice = hood.membership("alice")
    services.join_thank_you_wall(alice, actor=hood.alice, display_name="Alice")
    with pytest.raises(DomainError, match="already on the thank-you wall"):
        services.join_thank_you_wall(alice, actor=hood.alice, display_name="Alice")


def test_a_coordinator_records_it_on_behalf_of_a_resident(hood):
    with captures_events(hood.cooperative) as events:
        services.join_thank_you_wall(hood.membership("alice"), actor=hood.bob, display_name="Alice")
    assert_audit_event(events, action="thanks_wall.joined", actor=hood.bob, on_behalf_of=hood.alice)


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Fill in the name"), ("  ", "Fill in the name"), ("x" * 61, "at most 60")],
)
def test_it_refuses_a_bad_name(hood, name, message):
    with pytest.raises(DomainError, match=message) as refused:
        services.join_thank_you_wall(hood.membership("alice"), actor=hood.alice, display_name=name)
    assert refused.value.field == "display_name"
    assert not ThanksListing.objects.exists()


def test_it_takes_a_name_of_60_characters(hood):
    services.join_thank_you_wall(hood.membership("alice"), actor=hood.alice, display_name="x" * 60)
    assert ThanksListing.objects.exists()


@pytest.mark.parametrize("name", ["carol", "olivia"])
def test_nobody_else_puts_a_resident_on_the_wall(hood, name):
    with pytest.raises(NotAllowed):
        services.join_thank_you_wall(
            hood.membership("alice"), actor=hood.people[name], display_name="Alice"
        )
    assert not ThanksListing.objects.exists()
