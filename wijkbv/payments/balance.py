"""What Stripe's balance transactions and payouts say, read into plain values before anything is
booked: the fee of each balance transaction (with the PaymentIntent or payout that names whose
it is) and each payout. Reading asks Stripe, so it happens before the fetch takes its locks.

Only the fee of a balance transaction is read here. The gross amount of a payment was booked
when it succeeded (its subject's handler), and a payout's amount is read from the payouts list,
keyed by the payout's id, so a payout's own balance transaction never books it a second time.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from moneyed import Money

from wijkbv.payments import stripe_api

# A payout names the cooperative it pays out for in its metadata, by the cooperative's slug.
COOPERATIVE_METADATA = "wijkbv_cooperative"


@dataclass(frozen=True)
class FeeSeen:
    """The fee of one balance transaction; negative when Stripe gives a fee back."""

    stripe_id: str
    kind: str
    source_id: str
    fee: Money
    created: int
    payment_intent: str | None = None
    cooperative_slug: str = ""


@dataclass(frozen=True)
class PayoutSeen:
    stripe_id: str
    amount: Money
    status: str
    arrival_date: datetime.date
    created: int
    cooperative_slug: str = ""


def fees_of(transactions) -> list[FeeSeen]:
    """The balance transactions that carry a fee, as FeeSeen, in the order given."""
    fees = []
    for item in transactions:
        if not item.fee:
            continue
        source = item.source
        source_id = source if isinstance(source, str) else getattr(source, "id", "")
        fees.append(
            FeeSeen(
                stripe_id=item.id,
                kind=item.type,
                source_id=source_id or "",
                fee=stripe_api.from_minor_units(item.fee, item.currency),
                created=item.created,
                payment_intent=_payment_intent_of(source),
                cooperative_slug=_cooperative_slug(source),
            )
        )
    return fees


def payouts_of(payouts) -> list[PayoutSeen]:
    return [
        PayoutSeen(
            stripe_id=payout.id,
            amount=stripe_api.from_minor_units(payout.amount, payout.currency),
            status=payout.status,
            arrival_date=local_date(payout.arrival_date),
            created=payout.created,
            cooperative_slug=_cooperative_slug(payout),
        )
        for payout in payouts
    ]


def moment(seconds: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


def local_date(seconds: int) -> datetime.date:
    return timezone.localdate(moment(seconds))


def _payment_intent_of(source) -> str | None:
    """The PaymentIntent a charge, refund or dispute belongs to. A refund made on a charge (not
    on its PaymentIntent) names only the charge, which is asked for."""
    if source is None or isinstance(source, str):
        return None
    intent = _id(getattr(source, "payment_intent", None))
    if intent:
        return intent
    charge = getattr(source, "charge", None)
    if isinstance(charge, str) and charge:
        charge = stripe_api.retrieve_charge(charge)
    return _id(getattr(charge, "payment_intent", None)) if charge is not None else None


def _cooperative_slug(obj) -> str:
    metadata = getattr(obj, "metadata", None) if not isinstance(obj, str) else None
    if not metadata:
        return ""
    try:
        return str(metadata[COOPERATIVE_METADATA] or "")
    except KeyError:
        return ""


def _id(value) -> str | None:
    if value is None or isinstance(value, str):
        return value or None
    return getattr(value, "id", None)
