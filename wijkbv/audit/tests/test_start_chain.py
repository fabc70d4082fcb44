import pytest

from members import services as members
from wijkbv.audit.canonical import GENESIS_HASH
from wijkbv.audit.models import AuditEvent, ChainHead

pytestmark = pytest.mark.django_db


def test_a_new_cooperative_starts_its_chain_and_records_its_founding_first():
    cooperative = members.create_cooperative(actor=None, name="Wijk-BV Noord", slug="noord")
    head = ChainHead.objects.get(cooperative=cooperative)
    first = AuditEvent.objects.get(cooperative=cooperative)
    assert head.label == "noord"
    assert (first.seq, first.prev_hash, first.action) == (1, GENESIS_HASH, "cooperative.created")
    assert (head.seq, head.hash) == (1, first.hash)


def test_the_chain_keeps_its_label_when_the_cooperative_is_renamed():
    cooperative = members.create_cooperative(actor=None, name="Wijk-BV Noord", slug="noord")
    cooperative.slug = "noord-oost"
    cooperative.save()
    event = AuditEvent.objects.get(cooperative=cooperative)
    assert event.as_chain_dict()["cooperative"] == "noord"
