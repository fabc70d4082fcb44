"""A person's claims and advances, with the IBAN they gave, are in their own data; forgetting
them waits until these are paid and settled, then erases the IBAN and keeps the records."""

import pytest

from budgets.models import Advance, Expense
from budgets.tests.expense_helpers import ALICE_IBAN, approved, ask_advance, claim, pay
from members.models import RetainedIdentity
from members.selectors import export_personal_data
from members.services import forget_member
from wijkbv.errors import DomainError

pytestmark = pytest.mark.django_db


def test_claims_and_advances_are_in_my_data(hood, project_budget):
    claim(hood, project_budget)
    ask_advance(hood, project_budget)
    data = export_personal_data(hood.alice)["apps"]["budgets"]
    (expense,) = data["expenses"]
    assert (expense["number"], expense["amount"], expense["payee_iban"]) == (1, "45.50", ALICE_IBAN)
    (advance,) = data["advances"]
    assert (advance["status"], advance["payee_iban"]) == ("requested", ALICE_IBAN)


def test_the_my_data_page_shows_them(hood, project_budget):
    claim(hood, project_budget)
    response = hood.client_for("alice").get("/account/my-data/")
    assert "Boodschappen buurtmaaltijd" in response.text


def test_an_open_claim_holds_forgetting_back(hood, project_budget):
    claim(hood, project_budget)
    with pytest.raises(DomainError, match="has not been paid or settled yet"):
        forget_member(hood.alice, actor=hood.alice)
    assert Expense.objects.get().payee_iban == ALICE_IBAN


def test_forgetting_erases_the_iban_and_keeps_the_paid_records(hood, project_budget):
    expense = approved(hood, claim(hood, project_budget))
    pay(hood, expenses=[expense])
    forget_member(hood.alice, actor=hood.alice)
    expense.refresh_from_db()
    assert expense.payee_iban == ""
    assert not expense.history.filter(payee_iban=ALICE_IBAN).exists()
    assert expense.amount == 45.50
    # A paid claim is a financial record: the identity is kept apart for the retention period.
    assert RetainedIdentity.objects.filter(cooperative=hood.cooperative).exists()


def test_forgetting_erases_the_iban_of_a_rejected_advance(hood, project_budget):
    from budgets import services

    advance = ask_advance(hood, project_budget)
    services.reject_advance(advance, actor=hood.carol, reason="Nee")
    forget_member(hood.alice, actor=hood.alice)
    assert Advance.objects.get().payee_iban == ""
    assert not Advance.history.filter(payee_iban=ALICE_IBAN).exists()
