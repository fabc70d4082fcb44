import pytest

from reciprocity import services
from reciprocity.models import Contribution
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def _logged(hood, activity, name="alice", **fields):
    return services.log_contribution(
        hood.cooperative, actor=hood.people[name], activity=activity, hours="2", **fields
    )


def _to_carol(hood, activity):
    return _logged(
        hood, activity, beneficiary="member", beneficiary_member=hood.membership("carol")
    )


def test_a_coordinator_confirms_time_given_to_the_neighbourhood(hood, activity):
    contribution = _logged(hood, activity)
    with captures_events(hood.cooperative) as events:
        services.confirm_contribution(contribution, actor=hood.bob)
    contribution.refresh_from_db()
    assert contribution.status == "confirmed"
    assert contribution.decided_by == hood.bob
    assert contribution.decided_at is not None
    event = assert_audit_event(
        events, action="contribution.confirmed", actor=hood.bob, subject=contribution
    )
    assert event.payload["member_number"] == hood.membership("alice").member_number
    assert event.payload["hours"] == "2.00"


def test_the_receiving_member_confirms(hood, activity):
    contribution = _to_carol(hood, activity)
    services.confirm_contribution(contribution, actor=hood.carol)
    contribution.refresh_from_db()
    assert contribution.status == "confirmed"


def test_a_coordinator_may_confirm_an_exchange_between_members(hood, activity):
    contribution = _to_carol(hood, activity)
    services.confirm_contribution(contribution, actor=hood.bob)
    assert Contribution.objects.get().status == "confirmed"


def test_a_coordinator_confirms_what_they_logged_for_someone_else(hood, activity):
    contribution = _logged(hood, activity, name="bob", contributor=hood.membership("alice"))
    services.confirm_contribution(contribution, actor=hood.bob)
    assert Contribution.objects.get().status == "confirmed"


def test_nobody_confirms_their_own_contribution(hood, activity):
    contribution = _logged(hood, activity)
    with pytest.raises(NotAllowed, match="your own contribution"):
        services.confirm_contribution(contribution, actor=hood.alice)
    assert Contribution.objects.get().status == "logged"


def test_not_even_a_coordinator_confirms_their_own(hood, activity):
    contribution = _logged(hood, activity, name="bob")
    with captures_events(hood.cooperative) as events:
        with pytest.raises(NotAllowed, match="your own contribution"):
            services.confirm_contribution(contribution, actor=hood.bob)
    assert events == []
    assert Contribution.objects.get().status == "logged"


def test_another_resident_may_not_confirm(hood, activity):
    contribution = _to_carol(hood, activity)
    with pytest.raises(NotAllowed, match="Only the member who received this"):
        services.confirm_contribution(contribution, actor=hood.dave)
    assert Contribution.objects.get().status == "logged"


def test_a_resident_may_not_confirm_for_the_neighbourhood(hood, activity):
    contribution = _logged(hood, activity)
    with pytest.raises(NotAllowed):
        services.confirm_contribution(contribution, actor=hood.carol)


def test_an_outsider_may_not_confirm(hood, activity):
    contribution = _logged(hood, activity)
    with pytest.raises(NotAllowed, match="not a member"):
        services.confirm_contribution(contribution, actor=hood.olivia)


def test_confirming_twice_is_refused(hood, activity):
    contribution = _logged(hood, activity)
    services.confirm_contribution(contribution, actor=hood.bob)
    with captures_events(hood.cooperative) as events:
        with pytest.raises(DomainError, match="already been confirmed") as refused:
            services.confirm_contribution(contribution, actor=hood.bob)
    assert refused.value.code == "already_confirmed"
    assert events == []


def test_a_declined_contribution_cannot_be_confirmed(hood, activity):
    contribution = _logged(hood, activity)
    services.decline_contribution(contribution, actor=hood.bob, reason="Dubbel ingevoerd")
    with pytest.raises(DomainError, match="was declined"):
        services.confirm_contribution(contribution, actor=hood.bob)
    assert Contribution.objects.get().status == "declined"
