import pytest

from members import services
from members.models import User
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.testing import assert_history
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db

VALUES = dict(
    full_name="Alice de Boer",
    email="alice.deboer@example.org",
    preferred_language="en",
    phone="06 1234 5678",
    street_address="Moerweg 3",
    postcode="2533ab",
    city="Den Haag",
)


def test_a_person_edits_their_own_details(hood):
    events_before = AuditEvent.objects.count()
    user = services.update_profile(hood.alice, actor=hood.alice, **VALUES)
    user.refresh_from_db()
    assert user.full_name == "Alice de Boer"
    assert user.postcode == "2533 AB"
    assert user.preferred_language == "en"
    # An edit of one's own details is history, not a decision of the cooperative.
    assert_history(user, reason="profile edited")
    assert AuditEvent.objects.count() == events_before


def test_it_refuses_an_email_address_someone_else_has(hood):
    with pytest.raises(DomainError, match="already an account") as info:
        services.update_profile(
            hood.alice, actor=hood.alice, **(VALUES | {"email": "BOB@example.org"})
        )
    assert info.value.field == "email"
    assert User.objects.get(pk=hood.alice.pk).full_name == "Alice Test"


def test_it_refuses_an_empty_email_for_someone_who_logs_in_with_it(hood):
    with pytest.raises(DomainError, match="cannot be empty"):
        services.update_profile(hood.alice, actor=hood.alice, **(VALUES | {"email": ""}))
    assert User.objects.get(pk=hood.alice.pk).email == "alice@example.org"


def test_it_refuses_an_invalid_postcode(hood):
    with pytest.raises(DomainError, match="not a Dutch postcode"):
        services.update_profile(hood.alice, actor=hood.alice, **(VALUES | {"postcode": "99"}))
    assert User.objects.get(pk=hood.alice.pk).postcode == ""


def test_nobody_edits_someone_elses_details(hood):
    with pytest.raises(NotAllowed):
        services.update_profile(hood.alice, actor=hood.bob, **VALUES)
    assert User.objects.get(pk=hood.alice.pk).full_name == "Alice Test"
