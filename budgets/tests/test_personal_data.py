"""What budgets shows a person of their own data: proposals, agreements and votes, never what
they voted; and the "my data" page shows it."""

import json

import pytest
from django.utils import timezone

from budgets import services
from budgets.tests.conftest import end
from members.selectors import export_personal_data

pytestmark = pytest.mark.django_db


def test_proposals_agreements_and_votes_without_the_ballot(hood, budget_vote, proposals):
    services.give_proxy(budget_vote, actor=hood.alice, to=hood.membership("bob"))
    receipt = services.cast_ballot(
        budget_vote, actor=hood.bob, approvals=["2"], for_member=hood.membership("alice")
    )
    end(budget_vote)
    services.close_vote(budget_vote, actor=hood.carol)
    proposals[1].refresh_from_db()
    services.add_agreement(
        proposals[1],
        actor=hood.carol,
        what="Plantjes kopen",
        responsible=hood.membership("alice"),
        due_on=timezone.localdate(),
    )
    data = export_personal_data(hood.alice)["apps"]["budgets"]
    assert [p["title"] for p in data["proposals"]] == [
        "Buurtmaaltijd",
        "Geveltuinen",
        "Maatjesproject",
    ]
    assert data["agreements"][0]["what"] == "Plantjes kopen"
    (vote,) = data["votes"]
    assert (vote["vote"], vote["voted"], vote["weight"]) == ("Wijkbudget 2026", True, 1)
    assert vote["proxy_given_to"] == hood.membership("bob").member_number
    text = json.dumps(export_personal_data(hood.alice), ensure_ascii=False)
    assert receipt.tracker not in text
    assert "approvals" not in text


def test_the_my_data_page_has_a_section_for_deciding(hood, budget_vote):
    response = hood.client_for("alice").get("/account/my-data/")
    assert response.status_code == 200
    assert "Samen beslissen" in response.text
    assert "Wijkbudget 2026" in response.text
