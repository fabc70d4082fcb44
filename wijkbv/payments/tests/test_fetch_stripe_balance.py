"""Fetching Stripe's balance transactions and payouts: fees and payouts booked once, end to end
against localstripe; nonzero fees (which localstripe never charges) with the official client's
own objects."""

import datetime

import pytest
import stripe
from django.utils import timezone
from moneyed import Money

from members import services as member_services
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.models import Account, Purpose
from wijkbv.ledger.selectors import balance
from wijkbv.payments import services, stripe_api
from wijkbv.payments.models import BalanceFetch, Payment, Payout, PayoutStatus, StripeFee
from wijkbv.payments.testing import construct, intent_event, pay_by_card, stripe_client
from wijkbv.payments.tests.helpers import create_payout, start, stripe_written

pytestmark = pytest.mark.django_db

NOW = 1_800_000_000


def account(cooperative, purpose=None, code=None):
    if code:
        return Account.objects.get(cooperative=cooperative, code=code)
    return Account.objects.get(cooperative=cooperative, purpose=purpose)


def paid(hood, amount="12.50"):
    payment = start(hood, amount=amount)
    pay_by_card(payment)
    services.handle_stripe_event(construct(intent_event(payment)))
    return payment


def fee_transaction(txn_id, fee, source, *, kind="charge", created=NOW):
    return stripe.BalanceTransaction.construct_from(
        {
            "id": txn_id,
            "object": "balance_transaction",
            "amount": 1250,
            "currency": "eur",
            "fee": fee,
            "net": 1250 - fee,
            "type": kind,
            "created": created,
            "source": source,
        },
        "sk_test",
    )


def charge(intent_id):
    return stripe.Charge.construct_from(
        {"id": f"ch_{intent_id}", "object": "charge", "payment_intent": intent_id}, "sk_test"
    )


def payout_object(payout_id, amount, *, status="pending", slug="teststad", created=NOW):
    return stripe.Payout.construct_from(
        {
            "id": payout_id,
            "object": "payout",
            "amount": amount,
            "currency": "eur",
            "status": status,
            "arrival_date": created + 2 * 86400,
            "created": created,
            "metadata": {"wijkbv_cooperative": slug} if slug else {},
        },
        "sk_test",
    )


@pytest.fixture
def stripe_says(settings, monkeypatch):
    """Stripe's answers as objects of the official client; records what the fetch asked for."""
    settings.STRIPE_SECRET_KEY = "sk_test_wijkbv"
    answers = {"transactions": [], "payouts": [], "asked_from": []}

    def transactions(created_from):
        answers["asked_from"].append(created_from)
        return [
            t for t in answers["transactions"] if created_from is None or t.created >= created_from
        ]

    monkeypatch.setattr(stripe_api, "balance_transactions_since", transactions)
    monkeypatch.setattr(stripe_api, "all_payouts", lambda: answers["payouts"])
    return answers


def payment_of(hood, intent_id, cooperative=None):
    return Payment.objects.create(
        cooperative=cooperative or hood.cooperative,
        payer=hood.alice if cooperative is None else hood.olivia,
        subject="paytest.thing:1",
        description="Two shares",
        amount=Money("12.50", "EUR"),
        stripe_payment_intent_id=intent_id,
    )


# End to end, against localstripe.


def test_it_books_a_payout_end_to_end(hood, stripe_server, booking_subject):
    paid(hood)
    paid(hood, amount="7.50")
    made = create_payout(2000)

    with captures_events(hood.cooperative) as events:
        fetched = services.fetch_stripe_balance(hood.cooperative, actor=hood.dave)

    (payout,) = fetched.payouts
    assert (payout.stripe_id, payout.amount, payout.status) == (
        made.id,
        Money("20.00", "EUR"),
        PayoutStatus.PENDING,
    )
    assert payout.transaction == fetched.transaction
    assert payout.in_transit
    assert balance(account(hood.cooperative, Purpose.STRIPE)) == Money("0.00", "EUR")
    assert balance(account(hood.cooperative, Purpose.IN_TRANSIT)) == Money("20.00", "EUR")
    assert fetched.fees == []  # localstripe charges no fees
    assert_audit_event(
        events,
        action="stripe.balance_fetched",
        actor=hood.dave,
        subject=fetched.transaction,
        payload={
            "transaction": fetched.transaction.pk,
            "booking_date": timezone.localdate().isoformat(),
            "currency": "EUR",
            "lines": [["1200", "20.00"], ["1100", "-20.00"]],
            "cause": f"payments.balancefetch:{fetched.fetch.pk}",
            "fetch": fetched.fetch.pk,
            "fees": [],
            "payouts": [[made.id, "20.00"]],
            "reversed": [],
            "statuses": [],
            "not_booked": 0,
        },
    )


def test_fetching_twice_books_nothing_new(hood, stripe_server, booking_subject):
    paid(hood)
    create_payout(1250)
    services.fetch_stripe_balance(hood.cooperative, actor=hood.dave)
    before = stripe_written(hood.cooperative)

    with captures_events(hood.cooperative) as events:
        again = services.fetch_stripe_balance(hood.cooperative, actor=None)

    assert (again.fees, again.payouts, again.reversed, again.transaction) == ([], [], [], None)
    assert_audit_event(
        events,
        action="stripe.balance_fetched",
        actor=None,
        subject=again.fetch,
        payload={
            "fetch": again.fetch.pk,
            "fees": [],
            "payouts": [],
            "reversed": [],
            "statuses": [],
            "not_booked": 0,
        },
    )
    after = stripe_written(hood.cooperative)
    assert after == before | {"events": before["events"] + 1, "fetches": before["fetches"] + 1}


def test_a_cancelled_payout_is_reversed(hood, stripe_server, booking_subject):
    paid(hood)
    made = create_payout(1250)
    services.fetch_stripe_balance(hood.cooperative, actor=hood.dave)
    stripe_client().v1.payouts.cancel(made.id)

    fetched = services.fetch_stripe_balance(hood.cooperative, actor=hood.dave)

    (payout,) = fetched.reversed
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.CANCELED
    assert payout.reversal == fetched.transaction
    assert not payout.in_transit
    assert balance(account(hood.cooperative, Purpose.IN_TRANSIT)) == Money("0.00", "EUR")
    assert balance(account(hood.cooperative, Purpose.STRIPE)) == Money("12.50", "EUR")
    # and it is reversed once
    assert services.fetch_stripe_balance(hood.cooperative, actor=hood.dave).reversed == []


def test_a_payout_of_another_cooperative_or_of_none_is_not_booked(hood, stripe_server):
    create_payout(500, cooperative="elders")
    create_payout(600, cooperative="")

    fetched = services.fetch_stripe_balance(hood.cooperative, actor=hood.dave)

    assert fetched.payouts == []
    assert fetched.not_booked == 1  # the one that names no cooperative
    assert BalanceFetch.objects.get().not_booked == 1
    assert not Payout.objects.exists()


def test_the_one_cooperative_of_a_site_owns_what_names_none(stripe_server):
    only = member_services.create_cooperative(
        actor=None, name="Wijk-BV Enig", slug="enig", kvk_number="11223344", area_postcodes=[]
    )
    made = create_payout(600, cooperative="")

    fetched = services.fetch_stripe_balance(only, actor=None)

    assert [payout.stripe_id for payout in fetched.payouts] == [made.id]
    assert fetched.not_booked == 0


# Fees, with the official client's objects.


def test_it_books_the_fee_of_a_charge_and_of_a_refund(hood, stripe_says):
    payment = payment_of(hood, "pi_one")
    refund = stripe.Refund.construct_from(
        {"id": "re_one", "object": "refund", "payment_intent": "pi_one", "charge": "ch_pi_one"},
        "sk_test",
    )
    stripe_says["transactions"] = [
        fee_transaction("txn_refund", 15, refund, kind="refund", created=NOW + 10),
        fee_transaction("txn_charge", 54, charge("pi_one")),
    ]

    fetched = services.fetch_stripe_balance(hood.cooperative, actor=hood.dave)

    fees = StripeFee.objects.order_by("stripe_id")
    assert [(f.stripe_id, f.kind, f.source_id, f.fee, f.payment) for f in fees] == [
        ("txn_charge", "charge", "ch_pi_one", Money("0.54", "EUR"), payment),
        ("txn_refund", "refund", "re_one", Money("0.15", "EUR"), payment),
    ]
    assert balance(account(hood.cooperative, code="4100")) == Money("0.69", "EUR")
    assert balance(account(hood.cooperative, Purpose.STRIPE)) == Money("-0.69", "EUR")
    assert fetched.transaction.booking_date == timezone.localdate()
    assert BalanceFetch.objects.get().seen_until == NOW + 10


def test_a_fee_given_back_is_booked_back(hood, stripe_says):
    payment_of(hood, "pi_one")
    stripe_says["transactions"] = [fee_transaction("txn_back", -20, charge("pi_one"))]

    services.fetch_stripe_balance(hood.cooperative, actor=hood.dave)

    assert balance(account(hood.cooperative, code="4100")) == Money("-0.20", "EUR")
    assert balance(account(hood.cooperative, Purpose.STRIPE)) == Money("0.20", "EUR")


def test_a_fee_is_booked_once_and_only_new_transactions_are_asked_for(hood, stripe_says):
    payment_of(hood, "pi_one")
    stripe_says["transactions"] = [fee_transaction("txn_charge", 54, charge("pi_one"))]
    services.fetch_stripe_balance(hood.cooperative, actor=hood.dave)

    again = services.fetch_stripe_balance(hood.cooperative, actor=hood.dave)

    assert again.fees == []
    assert StripeFee.objects.count() == 1
    assert stripe_says["asked_from"] == [None, NOW - services.OVERLAP_SECONDS]


def test_fees_of_another_cooperative_are_left_to_it_and_unknown_ones_are_counted(hood, stripe_says):
    payment_of(hood, "pi_theirs", cooperative=hood.other)
    stripe_says["transactions"] = [
        fee_transaction("txn_theirs", 54, charge("pi_theirs")),
        fee_transaction("txn_unknown", 30, charge("pi_unknown")),
    ]

    fetched = services.fetch_stripe_balance(hood.cooperative, actor=hood.dave)

    assert fetched.fees == []
    assert fetched.not_booked == 1
    assert fetched.transaction is None
    theirs = services.fetch_stripe_balance(hood.other, actor=None)
    assert [fee.stripe_id for fee in theirs.fees] == ["txn_theirs"]


def test_a_payout_first_seen_failed_is_not_booked(hood, stripe_says):
    stripe_says["payouts"] = [payout_object("po_failed", 1000, status="failed")]

    fetched = services.fetch_stripe_balance(hood.cooperative, actor=hood.dave)

    assert fetched.payouts == [] and fetched.transaction is None


def test_a_payout_that_arrived_is_not_reversed(hood, stripe_says):
    stripe_says["payouts"] = [payout_object("po_1", 1000)]
    (payout,) = services.fetch_stripe_balance(hood.cooperative, actor=hood.dave).payouts
    bank = account(hood.cooperative, Purpose.BANK)
    services.record_payout_arrival(
        payout, actor=hood.dave, bank_ledger_account=bank, booked_on=datetime.date.today()
    )
    stripe_says["payouts"] = [payout_object("po_1", 1000, status="failed")]

    fetched = services.fetch_stripe_balance(hood.cooperative, actor=hood.dave)

    payout.refresh_from_db()
    assert fetched.reversed == [] and payout.status == PayoutStatus.PENDING


def test_status_changes_are_kept(hood, stripe_says):
    stripe_says["payouts"] = [payout_object("po_1", 1000)]
    services.fetch_stripe_balance(hood.cooperative, actor=hood.dave)
    stripe_says["payouts"] = [payout_object("po_1", 1000, status="paid")]

    fetched = services.fetch_stripe_balance(hood.cooperative, actor=hood.dave)

    assert Payout.objects.get().status == PayoutStatus.PAID
    assert fetched.transaction is None
    assert Payout.objects.get().in_transit


# Refusals: a message, and nothing written.


def test_it_refuses_when_stripe_is_not_set_up(hood, settings):
    settings.STRIPE_SECRET_KEY = ""
    before = stripe_written(hood.cooperative)

    with pytest.raises(DomainError, match="Stripe is not set up for this site"):
        services.fetch_stripe_balance(hood.cooperative, actor=hood.dave)

    assert stripe_written(hood.cooperative) == before


def test_it_writes_nothing_when_stripe_cannot_be_reached(hood, stripe_server, settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    before = stripe_written(hood.cooperative)

    with pytest.raises(DomainError, match="Stripe could not be reached") as refused:
        services.fetch_stripe_balance(hood.cooperative, actor=hood.dave)

    assert refused.value.code == "stripe_unavailable"
    assert stripe_written(hood.cooperative) == before


@pytest.mark.parametrize("name", ["alice", "carol", "erin", "olivia"])
def test_only_the_treasurer_fetches(hood, stripe_says, name):
    before = stripe_written(hood.cooperative)

    with pytest.raises(NotAllowed):
        services.fetch_stripe_balance(hood.cooperative, actor=hood.people[name])

    assert stripe_written(hood.cooperative) == before
