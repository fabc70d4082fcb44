"""Fixtures shared by the cross-app tests."""

import datetime

import pytest
from django.utils import timezone

from budgets import services as budget_services
from members import services
from members.models import Role, Sector
from tests.authorization_matrix import Samples


@pytest.fixture
def samples(hood):
    invitation, token = services.invite_member(
        hood.cooperative, actor=None, email="new@example.org", roles=[Role.RESIDENT]
    )
    stream = _stream_elsewhere(hood.other)
    return Samples(
        slug=hood.cooperative.slug,
        member_number=hood.membership("alice").member_number,
        invitation_pk=invitation.pk,
        invitation_token=token,
        stream_slug=hood.other.slug,
        stream_pk=stream.pk,
        funder_pk=stream.funder_id,
    )


def _stream_elsewhere(cooperative):
    """A funding stream of `cooperative`, from a fund of its own, for the open pages."""
    fund = services.add_partner_organisation(
        cooperative, actor=None, name="Buurtfonds Elders", sector=Sector.NEIGHBOURHOOD
    )
    today = timezone.localdate()
    return budget_services.add_funding_stream(
        cooperative,
        actor=None,
        funder=fund,
        name="Buurtbudget",
        committed="5000",
        starts_on=datetime.date(today.year, 1, 1),
        ends_on=datetime.date(today.year, 12, 31),
    )
