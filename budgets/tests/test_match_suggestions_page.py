"""The bank lines page says what a waiting line may pay: our own payment, an advance returned or
a Stripe payout, with the reason; a booked line shows no suggestion."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets import services
from budgets.tests.page_helpers import BASE, client, page
from budgets.tests.payment_lines import (
    bank_account,
    batch_out,
    import_lines,
    owed_advance,
    paid_batch,
    paid_out,
    payout_in,
    returned,
    stripe_payouts,
)

pytestmark = pytest.mark.django_db


def _text(hood, name="dave"):
    return page(client(hood, name).get(f"{BASE}/money/bank/{bank_account(hood).pk}/"))


@pytest.mark.parametrize("name", ["dave", "erin"])
def test_a_waiting_expense_and_batch_are_named_with_their_amounts(hood, project_budget, name):
    batch, expense, _advance = paid_batch(hood, project_budget)
    import_lines(
        hood, paid_out(expense, end_to_end=""), batch_out(batch, remittance="Verzamelbetaling")
    )
    services.match_bank_lines(hood.cooperative, actor=hood.dave)
    text = _text(hood, name)
    assert "Suggestion: Expense 1 — €45.50. A known bank account and the exact amount" in text
    assert "Suggestion: Payment batch 1, 2 payments — €145.50" in text


def test_a_waiting_return_and_payout_are_named(hood, project_budget, settings, monkeypatch):
    owed = owed_advance(hood, project_budget)
    (payout,) = stripe_payouts(hood, settings, monkeypatch, ("po_9Xyz", 4020, hood.cooperative))
    import_lines(
        hood,
        returned(owed, iban="NL20INGB0001234567"),
        payout_in(payout, name="Betaaldienst", remittance="Uitbetaling"),
    )
    services.match_bank_lines(hood.cooperative, actor=hood.dave)
    text = _text(hood)
    assert "Suggestion: Returned of advance 1 — €40.00" in text
    assert "Suggestion: Stripe payout po_9Xyz — €40.20" in text


def test_a_booked_line_shows_no_suggestion(hood, project_budget):
    _batch, expense, _advance = paid_batch(hood, project_budget)
    import_lines(hood, paid_out(expense))
    services.match_bank_lines(hood.cooperative, actor=hood.dave)
    assert "Suggestion:" not in _text(hood)


def test_suggestions_of_one_kind_take_as_many_queries_for_many_lines_as_for_one(
    hood, project_budget, django_assert_num_queries
):
    _batch, expense, advance = paid_batch(hood, project_budget)
    import_lines(hood, paid_out(expense, end_to_end=""))
    services.match_bank_lines(hood.cooperative, actor=hood.dave)
    browser = client(hood, "dave")
    url = f"{BASE}/money/bank/{bank_account(hood).pk}/"
    browser.get(url)
    with CaptureQueriesContext(connection) as few:
        browser.get(url)
    import_lines(hood, *(paid_out(expense, end_to_end="", remittance=f"R{n}") for n in range(5)))
    services.match_bank_lines(hood.cooperative, actor=hood.dave)
    with django_assert_num_queries(len(few)):
        browser.get(url)
