"""Fixtures for the reciprocity tests: the personas' cooperative with an activity, a place and
its partner organisation (the municipality), and a way to log and confirm a contribution."""

import pytest

from members import services as member_services
from members.models import PartnerOrganisation
from reciprocity import services


@pytest.fixture
def activity(hood):
    return services.add_activity(hood.cooperative, actor=hood.bob, name="Gedeelde maaltijd")


@pytest.fixture
def place(hood):
    return member_services.add_place(
        hood.cooperative, actor=hood.bob, name="Buurtkamer", kind="community_room"
    )


@pytest.fixture
def partner(hood):
    return PartnerOrganisation.objects.get(cooperative=hood.cooperative)


def confirmed(hood, name, activity, hours="1.5", **fields):
    """`name` logs hours for the neighbourhood (or as `fields` say); the coordinator bob, or
    the system when it is bob's own, confirms them."""
    contribution = services.log_contribution(
        hood.cooperative, actor=hood.people[name], activity=activity, hours=hours, **fields
    )
    confirmer = None if name == "bob" else hood.bob
    return services.confirm_contribution(contribution, actor=confirmer)
