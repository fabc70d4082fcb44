"""Eight fetches of the same Stripe balance at once, on the real PostgreSQL server: the
cooperative's row lock makes each see what the one before it stored, so each fee and each
payout is booked once."""

import pytest
import stripe
from moneyed import Money

from wijkbv.audit.chain import verify_chain
from wijkbv.audit.models import AuditEvent
from wijkbv.ledger.models import Account
from wijkbv.ledger.selectors import balance
from wijkbv.payments import services, stripe_api
from wijkbv.payments.models import BalanceFetch, Payment, Payout, StripeFee
from wijkbv.racing import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACERS = 8


def test_eight_fetches_at_once_book_each_fee_and_payout_once(hood, settings, monkeypatch):
    settings.STRIPE_SECRET_KEY = "sk_test_wijkbv"
    for n in range(5):
        Payment.objects.create(
            cooperative=hood.cooperative,
            payer=hood.alice,
            subject="paytest.thing:1",
            description="Shares",
            amount=Money("12.50", "EUR"),
            stripe_payment_intent_id=f"pi_{n}",
        )
    transactions = [
        stripe.BalanceTransaction.construct_from(
            {
                "id": f"txn_{n}",
                "type": "charge",
                "currency": "eur",
                "fee": 40 + n,
                "created": 1_800_000_000 + n,
                "source": {"id": f"ch_{n}", "object": "charge", "payment_intent": f"pi_{n}"},
            },
            "sk_test",
        )
        for n in range(5)
    ]
    payouts = [
        stripe.Payout.construct_from(
            {
                "id": f"po_{n}",
                "amount": 1000 * (n + 1),
                "currency": "eur",
                "status": "in_transit",
                "arrival_date": 1_800_100_000,
                "created": 1_800_000_000,
                "metadata": {"wijkbv_cooperative": "teststad"},
            },
            "sk_test",
        )
        for n in range(3)
    ]
    monkeypatch.setattr(stripe_api, "balance_transactions_since", lambda since: transactions)
    monkeypatch.setattr(stripe_api, "all_payouts", lambda: payouts)

    refused, failures = race(
        lambda n: services.fetch_stripe_balance(hood.cooperative, actor=hood.dave), RACERS
    )

    assert failures == []
    assert refused == {}
    assert StripeFee.objects.count() == 5
    assert Payout.objects.count() == 3
    assert BalanceFetch.objects.count() == RACERS
    assert AuditEvent.objects.filter(action="stripe.balance_fetched").count() == RACERS
    costs = Account.objects.get(cooperative=hood.cooperative, code="4100")
    in_transit = Account.objects.get(cooperative=hood.cooperative, code="1200")
    assert balance(costs) == Money("2.10", "EUR")
    assert balance(in_transit) == Money("60.00", "EUR")
    assert verify_chain(hood.cooperative).broken is None
