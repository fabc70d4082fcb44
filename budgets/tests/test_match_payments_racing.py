"""Matching and accepting lines of our own payments, advances returned and Stripe payouts,
racing on the real PostgreSQL server: the cooperative's row and the line's row lock make each
run see the one before it, so every item is booked once, by one line."""

from collections import Counter

import pytest

from budgets import services
from budgets.models import BankLineStatus
from budgets.tests.payment_lines import (
    import_lines,
    owed_advance,
    paid_batch,
    paid_out,
    payout_in,
    returned,
    stripe_payouts,
)
from wijkbv.audit.chain import verify_chain
from wijkbv.audit.models import AuditEvent
from wijkbv.racing import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACERS = 8


def test_matching_run_at_once_books_each_payment_return_and_payout_once(
    hood, project_budget, settings, monkeypatch
):
    _batch, expense, _advance = paid_batch(hood, project_budget)
    owed = owed_advance(hood, project_budget, amount="50.00", spent="20")
    (payout,) = stripe_payouts(hood, settings, monkeypatch, ("po_Race", 12000, hood.cooperative))
    lines = import_lines(hood, paid_out(expense), returned(owed), payout_in(payout))
    refused, failures = race(
        lambda n: services.match_bank_lines(hood.cooperative, actor=hood.dave), RACERS
    )
    assert failures == []
    assert refused == Counter()
    for action in ("payment.reconciled", "advance.returned", "stripe.payout_arrived"):
        assert AuditEvent.objects.filter(action=action).count() == 1, action
    assert AuditEvent.objects.filter(action="bank.lines_matched").count() == RACERS
    for line in lines:
        line.refresh_from_db()
        assert line.status == BankLineStatus.BOOKED
    assert verify_chain(hood.cooperative).broken is None


def test_one_suggestion_accepted_at_once_is_booked_once(hood, project_budget):
    _batch, expense, _advance = paid_batch(hood, project_budget)
    (paying,) = import_lines(hood, paid_out(expense, end_to_end=""))
    services.match_bank_lines(hood.cooperative, actor=hood.dave)
    paying.refresh_from_db()
    assert paying.status == BankLineStatus.MATCHED
    refused, failures = race(lambda n: services.accept_suggestion(paying, actor=hood.dave), RACERS)
    assert failures == []
    assert refused == Counter({"already_booked": RACERS - 1})
    assert AuditEvent.objects.filter(action="payment.reconciled").count() == 1
    expense.refresh_from_db()
    assert expense.reconciled_line == paying
    assert verify_chain(hood.cooperative).broken is None
