"""A resident asks for money before they buy something for a project."""

import pytest

from budgets.models import AdvanceStatus
from budgets.tests.expense_helpers import ALICE_IBAN, ask_advance, expense_written
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_a_resident_asks_for_an_advance(hood, project_budget):
    with captures_events(hood.cooperative) as events:
        advance = ask_advance(hood, project_budget, payee_iban="nl02 abna 0123 4567 89")
    assert advance.number == 1
    assert advance.status == AdvanceStatus.REQUESTED
    assert advance.holder == hood.membership("alice")
    assert advance.payee_iban == ALICE_IBAN
    assert_audit_event(
        events,
        action="advance.requested",
        actor=hood.alice,
        subject=advance,
        payload={
            "number": 1,
            "budget": project_budget.code,
            "amount": "100.00",
            "currency": "EUR",
            "holder": hood.membership("alice").member_number,
        },
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "-5"}, "more than zero"),
        ({"amount": "abc"}, "euros and cents"),
        ({"payee_iban": "NL00ABNA0123456789"}, "not a valid IBAN"),
        ({"purpose": ""}, "what you will buy"),
        ({"budget": None}, "project budgets"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(hood, project_budget, changes, message):
    before = expense_written(hood.cooperative)
    with pytest.raises(DomainError, match=message):
        ask_advance(hood, **({"project_budget": project_budget} | changes))
    assert expense_written(hood.cooperative) == before


@pytest.mark.parametrize("name", ["frank", "olivia"])
def test_funders_and_outsiders_do_not_ask(hood, project_budget, name):
    before = expense_written(hood.cooperative)
    with pytest.raises(NotAllowed):
        ask_advance(hood, project_budget, by=name)
    assert expense_written(hood.cooperative) == before
