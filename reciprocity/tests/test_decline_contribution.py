import pytest

from reciprocity import services
from reciprocity.models import Contribution
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def _to_carol(hood, activity):
    return services.log_contribution(
        hood.cooperative,
        actor=hood.alice,
        activity=activity,
        hours="1",
        beneficiary="member",
        beneficiary_member=hood.membership("carol"),
    )


def test_the_receiving_member_declines_with_a_reason(hood, activity):
    contribution = _to_carol(hood, activity)
    with captures_events(hood.cooperative) as events:
        services.decline_contribution(contribution, actor=hood.carol, reason="  Was een uur  ")
    contribution.refresh_from_db()
    assert contribution.status == "declined"
    assert contribution.decline_reason == "Was een uur"
    assert contribution.decided_by == hood.carol
    event = assert_audit_event(
        events, action="contribution.declined", actor=hood.carol, subject=contribution
    )
    # The reason is free text: it stays on the row, out of the chain that can never change.
    assert "Was een uur" not in str(event.payload)


def test_a_coordinator_declines(hood, activity):
    contribution = _to_carol(hood, activity)
    services.decline_contribution(contribution, actor=hood.bob, reason="Niet gebeurd")
    assert Contribution.objects.get().status == "declined"


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_reason_is_needed(hood, activity, reason):
    contribution = _to_carol(hood, activity)
    with pytest.raises(DomainError, match="Give a reason") as refused:
        services.decline_contribution(contribution, actor=hood.carol, reason=reason)
    assert refused.value.field == "reason"
    assert Contribution.objects.get().status == "logged"


def test_a_long_reason_is_refused(hood, activity):
    contribution = _to_carol(hood, activity)
    with pytest.raises(DomainError, match="at most 300 characters"):
        services.decline_contribution(contribution, actor=hood.carol, reason="x" * 301)


def test_declining_a_confirmed_contribution_is_refused(hood, activity):
    contribution = _to_carol(hood, activity)
    services.confirm_contribution(contribution, actor=hood.carol)
    with pytest.raises(DomainError, match="already been confirmed, so it cannot be declined"):
        services.decline_contribution(contribution, actor=hood.carol, reason="Toch niet")
    contribution.refresh_from_db()
    assert contribution.status == "confirmed"
    assert contribution.decline_reason == ""


def test_declining_twice_is_refused(hood, activity):
    contribution = _to_carol(hood, activity)
    services.decline_contribution(contribution, actor=hood.carol, reason="Nee")
    with pytest.raises(DomainError, match="already been declined"):
        services.decline_contribution(contribution, actor=hood.carol, reason="Nee")


def test_the_contributor_may_not_decline(hood, activity):
    contribution = _to_carol(hood, activity)
    with pytest.raises(NotAllowed, match="your own contribution"):
        services.decline_contribution(contribution, actor=hood.alice, reason="Oeps")
    assert Contribution.objects.get().status == "logged"


def test_another_resident_may_not_decline(hood, activity):
    contribution = _to_carol(hood, activity)
    with pytest.raises(NotAllowed):
        services.decline_contribution(contribution, actor=hood.dave, reason="Nee")
