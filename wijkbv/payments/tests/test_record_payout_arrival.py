"""A bank line shows a payout arriving: from Money in transit to the bank, once."""

import datetime

import pytest
import stripe
from moneyed import Money

from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.models import Account, Purpose
from wijkbv.ledger.selectors import balance
from wijkbv.payments import selectors, services, stripe_api
from wijkbv.payments.tests.helpers import stripe_written

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 11, 20)


def account(cooperative, purpose):
    return Account.objects.get(cooperative=cooperative, purpose=purpose)


@pytest.fixture
def payout(hood, settings, monkeypatch):
    """A payout of 120.00 booked by a fetch, as Stripe's official client reports it."""
    settings.STRIPE_SECRET_KEY = "sk_test_wijkbv"
    made = stripe.Payout.construct_from(
        {
            "id": "po_123",
            "object": "payout",
            "amount": 12000,
            "currency": "eur",
            "status": "paid",
            "arrival_date": 1_795_000_000,
            "created": 1_794_800_000,
            "metadata": {"wijkbv_cooperative": "teststad"},
        },
        "sk_test",
    )
    monkeypatch.setattr(stripe_api, "balance_transactions_since", lambda created_from: [])
    monkeypatch.setattr(stripe_api, "all_payouts", lambda: [made])
    (booked,) = services.fetch_stripe_balance(hood.cooperative, actor=hood.dave).payouts
    return booked


def test_it_books_the_arrival_and_marks_the_payout(hood, payout):
    bank = account(hood.cooperative, Purpose.BANK)

    with captures_events(hood.cooperative) as events:
        booked = services.record_payout_arrival(
            payout,
            actor=hood.dave,
            bank_ledger_account=bank,
            booked_on=ON,
            amount=Money("120.00", "EUR"),
            details={"line": 7},
        )

    payout.refresh_from_db()
    assert payout.arrival_transaction == booked and payout.arrived_on == ON
    assert balance(bank) == Money("120.00", "EUR")
    assert balance(account(hood.cooperative, Purpose.IN_TRANSIT)) == Money("0.00", "EUR")
    assert selectors.payouts_in_transit(hood.cooperative) == []
    assert_audit_event(
        events,
        action="stripe.payout_arrived",
        actor=hood.dave,
        subject=booked,
        payload={
            "transaction": booked.pk,
            "booking_date": "2026-11-20",
            "currency": "EUR",
            "lines": [["1000", "120.00"], ["1200", "-120.00"]],
            "cause": f"payments.payout:{payout.pk}",
            "payout": payout.pk,
            "stripe_payout": "po_123",
            "line": 7,
        },
    )


def test_the_selector_lists_it_in_transit_until_then(hood, payout):
    assert selectors.payouts_in_transit(hood.cooperative) == [
        selectors.PayoutInTransit(payout.pk, Money("120.00", "EUR"), payout.arrival_date, "po_123")
    ]
    assert selectors.payouts_in_transit(hood.other) == []


def refused(hood, payout, message, **overrides):
    arguments = {
        "actor": hood.dave,
        "bank_ledger_account": account(hood.cooperative, Purpose.BANK),
        "booked_on": ON,
    } | overrides
    before = stripe_written(hood.cooperative)
    with pytest.raises(DomainError, match=message) as error:
        services.record_payout_arrival(payout, **arguments)
    assert stripe_written(hood.cooperative) == before
    return error.value


def test_it_refuses_a_payout_that_already_arrived(hood, payout):
    services.record_payout_arrival(
        payout,
        actor=hood.dave,
        bank_ledger_account=account(hood.cooperative, Purpose.BANK),
        booked_on=ON,
    )

    error = refused(hood, payout, r"already arrived at the bank \(on 2026-11-20\)")
    assert error.code == "payout_arrived"


def test_it_refuses_another_amount(hood, payout):
    refused(
        hood,
        payout,
        "The payout is 120.00 EUR, but the bank shows 119.99.",
        amount=Money("119.99", "EUR"),
    )


def test_it_refuses_another_currency(hood, payout):
    refused(hood, payout, "the bank shows another currency", amount=Money("120.00", "USD"))


def test_it_refuses_an_account_that_is_not_a_bank_account(hood, payout):
    refused(
        hood,
        payout,
        "Choose a bank account of this cooperative",
        bank_ledger_account=account(hood.cooperative, Purpose.STRIPE),
    )


def test_it_refuses_a_bank_account_of_another_cooperative(hood, payout):
    refused(
        hood,
        payout,
        "Choose a bank account of this cooperative",
        bank_ledger_account=account(hood.other, Purpose.BANK),
    )


def test_it_refuses_a_payout_that_failed(hood, payout):
    payout.status = "failed"
    payout.save(update_fields=["status"])

    refused(hood, payout, "it will not arrive")


def test_only_the_treasurer_records_it(hood, payout):
    before = stripe_written(hood.cooperative)

    with pytest.raises(NotAllowed):
        services.record_payout_arrival(
            payout,
            actor=hood.carol,
            bank_ledger_account=account(hood.cooperative, Purpose.BANK),
            booked_on=ON,
        )

    assert stripe_written(hood.cooperative) == before
