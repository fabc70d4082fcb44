import pytest

from members import services
from members.models import PartnerOrganisation
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_the_board_adds_a_partner(hood):
    with captures_events(hood.cooperative) as events:
        partner = services.add_partner_organisation(
            hood.cooperative, actor=hood.carol, name="Zorg Zuid", sector="neighbourhood"
        )
    assert_audit_event(
        events,
        action="partner.added",
        actor=hood.carol,
        subject=partner,
        payload={"name": "Zorg Zuid", "sector": "neighbourhood"},
    )


def test_it_refuses_an_unknown_sector(hood):
    before = PartnerOrganisation.objects.count()
    with pytest.raises(DomainError, match="Choose a sector"):
        services.add_partner_organisation(
            hood.cooperative, actor=hood.carol, name="X", sector="army"
        )
    assert PartnerOrganisation.objects.count() == before


def test_a_coordinator_may_not_add_a_partner(hood):
    before = PartnerOrganisation.objects.count()
    with pytest.raises(NotAllowed):
        services.add_partner_organisation(
            hood.cooperative, actor=hood.bob, name="X", sector="business"
        )
    assert PartnerOrganisation.objects.count() == before
