import pytest

from members import services as members
from wijkbv.audit.testing import assert_history

pytestmark = pytest.mark.django_db


def test_it_passes_for_the_reason_the_change_was_recorded_with():
    cooperative = members.create_cooperative(actor=None, name="Wijk-BV Noord", slug="noord")
    record = assert_history(cooperative, reason="founded")
    assert record.name == "Wijk-BV Noord"


def test_it_fails_for_another_reason():
    cooperative = members.create_cooperative(actor=None, name="Wijk-BV Noord", slug="noord")
    with pytest.raises(AssertionError, match="recorded as 'founded', not 'renamed'"):
        assert_history(cooperative, reason="renamed")
