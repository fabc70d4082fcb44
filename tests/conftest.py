"""Fixtures shared by the cross-app tests."""

import pytest

from members import services
from members.models import Role
from tests.authorization_matrix import Samples


@pytest.fixture
def samples(hood):
    invitation, token = services.invite_member(
        hood.cooperative, actor=None, email="new@example.org", roles=[Role.RESIDENT]
    )
    return Samples(
        slug=hood.cooperative.slug,
        member_number=hood.membership("alice").member_number,
        invitation_pk=invitation.pk,
        invitation_token=token,
    )
