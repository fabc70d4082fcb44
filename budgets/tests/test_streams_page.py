"""The money page: every stream with committed, received, allocated and left, and the reserve."""

import pytest

from budgets import services
from budgets.tests.conftest import end
from budgets.tests.page_helpers import BASE, client, page

pytestmark = pytest.mark.django_db

URL = f"{BASE}/money/"


def test_a_member_reads_what_each_stream_has_left(hood, stream, proposals, budget_vote):
    services.cast_ballot(budget_vote, actor=hood.alice, approvals=["1", "2"])
    end(budget_vote)
    services.close_vote(budget_vote, actor=hood.carol)

    text = page(client(hood, "alice").get(URL))

    row = text.split("Wijkbudget", 1)[1].split("</tr>", 1)[0]
    assert "Gemeente Teststad" in row
    assert "€20,000.00" in row  # committed
    assert "€10,000.00" in row  # received
    assert "€5,500.00" in row  # allocated
    assert "€4,500.00" in row  # left
    assert "Reinvestment reserve" in text


def test_the_treasurer_is_offered_to_record_money(hood, stream):
    assert f"{URL}{stream.pk}/received/" in page(client(hood, "dave").get(URL))
    assert f"{URL}{stream.pk}/received/" not in page(client(hood, "alice").get(URL))
