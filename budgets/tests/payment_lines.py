"""Bank lines of the cooperative's own payments, of advances returned and of Stripe payouts, for
the matching tests: alice's claim and advance approved by dave and carol and paid in one batch,
an advance settled with money to return, and payouts on their way from Stripe."""

import datetime

import stripe

from budgets import services
from budgets.models import Advance, BankAccount, BankLine, BankStatement, Expense
from budgets.tests.expense_helpers import (
    ALICE_IBAN,
    COOPERATIVE_IBAN,
    approved,
    ask_advance,
    bank,
    claim,
    expense_written,
    pdf_bytes,
)
from budgets.tests.statement_files import camt, line, statement
from wijkbv.ledger.models import Transaction
from wijkbv.payments import services as payment_services
from wijkbv.payments import stripe_api
from wijkbv.payments.models import Payout
from wijkbv.testing import today

STRIPE_IBAN = "IE89CITI99005000000000"


def bank_account(hood) -> BankAccount:
    return BankAccount.objects.filter(cooperative=hood.cooperative).first() or bank(hood)


def paid_batch(hood, budget, *, expense="45.50", advance="100.00"):
    """Alice's claim and her advance, each approved by dave and carol, paid in one batch
    today: (batch, expense, advance)."""
    claimed = approved(hood, claim(hood, budget, amount=expense))
    asked = approved(hood, ask_advance(hood, budget, amount=advance))
    batch = services.make_payment_batch(
        hood.cooperative,
        actor=hood.dave,
        bank_account=bank_account(hood),
        expenses=[claimed],
        advances=[asked],
    )
    claimed.refresh_from_db()
    asked.refresh_from_db()
    return batch, claimed, asked


def owed_advance(hood, budget, *, amount="100.00", spent="60"):
    """An advance paid on its own and settled with less spent: € 40.00 to return."""
    asked = approved(hood, ask_advance(hood, budget, amount=amount))
    services.make_payment_batch(
        hood.cooperative, actor=hood.dave, bank_account=bank_account(hood), advances=[asked]
    )
    asked.refresh_from_db()
    return services.settle_advance(
        asked, actor=hood.alice, spent=spent, receipts_files=[(pdf_bytes(), "bon.pdf")]
    )


def recorded_return(hood, budget):
    """€ 40.00 returned of an advance, recorded by hand today before its bank line came:
    (the advance, the booking)."""
    owed = owed_advance(hood, budget)
    return owed, services.record_advance_return(owed, actor=hood.dave)


def stripe_payouts(hood, settings, monkeypatch, *made):
    """Payouts `made` as (id, cents, cooperative), expected today, read by a fetch of each
    cooperative: the Payout rows, in the order given."""
    settings.STRIPE_SECRET_KEY = "sk_test_wijkbv"
    noon = datetime.datetime.combine(today(), datetime.time(12), tzinfo=datetime.UTC)
    listed = [
        stripe.Payout.construct_from(
            {
                "id": stripe_id,
                "object": "payout",
                "amount": amount,
                "currency": "eur",
                "status": "paid",
                "arrival_date": int(noon.timestamp()),
                "created": int(noon.timestamp()) - 86_400,
                "metadata": {"wijkbv_cooperative": cooperative.slug},
            },
            "sk_test",
        )
        for stripe_id, amount, cooperative in made
    ]
    monkeypatch.setattr(stripe_api, "balance_transactions_since", lambda created_from: [])
    monkeypatch.setattr(stripe_api, "all_payouts", lambda: listed)
    for cooperative in {each[2].pk: each[2] for each in made}.values():
        payment_services.fetch_stripe_balance(cooperative, actor=None)
    return [Payout.objects.get(stripe_id=stripe_id) for stripe_id, _amount, _coop in made]


def import_lines(hood, *lines) -> list[BankLine]:
    """A statement of the cooperative's account with `lines`, following on from the one before:
    the lines it stored, in order."""
    bank_account(hood)
    previous = (
        BankStatement.objects.filter(bank_account__cooperative=hood.cooperative)
        .order_by("closing_date", "pk")
        .last()
    )
    before = BankLine.objects.count()
    number = BankStatement.objects.count() + 1
    services.import_statement(
        hood.cooperative,
        actor=hood.dave,
        data=camt(
            statement(
                number,
                previous.closing_balance if previous else "1000.00",
                list(lines),
                iban=COOPERATIVE_IBAN,
            )
        ),
        file_name=f"afschrift-{number}.xml",
    )
    return list(BankLine.objects.order_by("pk")[before:])


def paid_out(item, *, amount=None, end_to_end=None, iban=None, remittance=None):
    """The line of our payment of `item`, as the bank shows it."""
    return line(
        -(item.amount if amount is None else amount),
        name="A. Jansen",
        remittance=f"Betaling {item.number}" if remittance is None else remittance,
        iban=item.payee_iban if iban is None else iban,
        end_to_end=item.end_to_end_id if end_to_end is None else end_to_end,
        on=today(),
    )


def batch_out(batch, *, remittance=None):
    """A batch booked by the bank as one line of its total."""
    return line(
        -batch.total,
        name="",
        remittance=f"Verzamelbetaling {batch.message_id}" if remittance is None else remittance,
        on=today(),
    )


def returned(advance, *, amount=None, iban=ALICE_IBAN, remittance="Terug van het voorschot"):
    return line(
        advance.to_return if amount is None else amount,
        name="A. Jansen",
        remittance=remittance,
        iban=iban,
        on=today(),
    )


def payout_in(payout, *, amount=None, name="Stripe Technology Europe", remittance=None, on=None):
    return line(
        payout.amount.amount if amount is None else amount,
        name=name,
        remittance=f"STRIPE PAYOUT {payout.stripe_id}" if remittance is None else remittance,
        iban=STRIPE_IBAN,
        on=on or today(),
    )


def payments_written(hood) -> dict:
    """Every row a booking of these lines may write or change."""
    return expense_written(hood.cooperative) | {
        "transactions": Transaction.objects.filter(cooperative=hood.cooperative).count(),
        "lines": list(BankLine.objects.order_by("pk").values_list("status", "booked_transaction")),
        "reconciled": list(Expense.objects.order_by("pk").values_list("reconciled_line", flat=True))
        + list(Advance.objects.order_by("pk").values_list("reconciled_line", "returned_on")),
        "payouts": list(Payout.objects.order_by("pk").values_list("arrived_on", flat=True)),
    }
