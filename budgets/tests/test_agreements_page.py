"""Agreements for adopted proposals: who does what by when, and marking them done."""

import datetime

import pytest
from django.utils import timezone

from budgets import services
from budgets.models import Agreement
from budgets.tests.conftest import end, written
from budgets.tests.page_helpers import BASE, client, page

pytestmark = pytest.mark.django_db

URL = f"{BASE}/agreements/"


@pytest.fixture
def adopted(hood, budget_vote):
    services.cast_ballot(budget_vote, actor=hood.alice, approvals=["1"])
    end(budget_vote)
    services.close_vote(budget_vote, actor=hood.carol)
    return budget_vote.proposals.get(number=1)


def _form(proposal, hood, **fields):
    due = timezone.localdate() + datetime.timedelta(days=30)
    return {
        "proposal": proposal.pk,
        "what": "Kookgerei kopen",
        "responsible": str(hood.membership("bob").member_number),
        "due_on": due.isoformat(),
    } | fields


def test_the_board_writes_down_an_agreement(hood, adopted):
    response = client(hood, "carol").post(URL, _form(adopted, hood), follow=True)

    agreement = Agreement.objects.get()
    assert (agreement.what, agreement.responsible) == ("Kookgerei kopen", hood.membership("bob"))
    assert "The agreement has been written down." in page(response)


def test_the_person_responsible_marks_it_done(hood, adopted):
    agreement = services.add_agreement(
        adopted,
        actor=hood.carol,
        what="Kookgerei kopen",
        responsible=hood.membership("bob"),
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )

    client(hood, "bob").post(f"{URL}{agreement.pk}/done/")

    agreement.refresh_from_db()
    assert agreement.done_on == timezone.localdate()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"what": ""}, "Say what is to be done."),
        ({"responsible": "999"}, "There is no member with this number."),
        ({"due_on": "2020-01-01"}, "The date has already passed."),
    ],
)
def test_bad_input_is_shown_and_nothing_is_written(hood, adopted, fields, message):
    before = written(hood.cooperative)

    response = client(hood, "carol").post(URL, _form(adopted, hood, **fields))

    assert response.status_code == 400
    assert message in page(response)
    assert written(hood.cooperative) == before
