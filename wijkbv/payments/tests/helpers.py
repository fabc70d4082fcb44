"""Starting payments in the tests, and watching what is sent to Stripe."""

from urllib.parse import parse_qs

import stripe
from moneyed import Money

from wijkbv.payments import services, stripe_api
from wijkbv.payments.tests.conftest import TEST_SUBJECT


def start(hood, *, payer="alice", amount="12.50", thing=1):
    return services.start_stripe_payment(
        hood.cooperative,
        actor=hood.people[payer],
        subject=f"{TEST_SUBJECT}:{thing}",
        amount=Money(amount, "EUR"),
        description="Two shares",
    )


def record_requests(monkeypatch) -> list[tuple[str, str, dict, dict]]:
    """Make the site's Stripe client note (method, url, headers, form fields) of every request
    it sends."""
    sent = []

    class Recording(type(stripe.new_default_http_client())):
        def request(self, method, url, headers, post_data=None):
            fields = parse_qs(
                post_data.decode() if isinstance(post_data, bytes) else post_data or ""
            )
            sent.append((method.upper(), url, dict(headers or {}), fields))
            return super().request(method, url, headers, post_data)

    monkeypatch.setattr(stripe_api, "http_client", Recording())
    return sent


def stripe_written(cooperative) -> dict:
    """Counts that a refused fetch or arrival must leave as they were."""
    from wijkbv.audit.models import AuditEvent
    from wijkbv.ledger.models import Posting
    from wijkbv.payments.models import BalanceFetch, Payout, StripeFee

    return {
        "events": AuditEvent.objects.filter(cooperative=cooperative).count(),
        "postings": Posting.objects.filter(account__cooperative=cooperative).count(),
        "fetches": BalanceFetch.objects.filter(cooperative=cooperative).count(),
        "fees": StripeFee.objects.filter(cooperative=cooperative).count(),
        "payouts": Payout.objects.filter(cooperative=cooperative).count(),
        "arrived": Payout.objects.filter(
            cooperative=cooperative, arrival_transaction__isnull=False
        ).count(),
    }


def create_payout(amount=1000, *, cooperative="teststad", **fields):
    """A payout made at Stripe (by its schedule or in its dashboard) for `cooperative`."""
    from wijkbv.payments.testing import stripe_client

    metadata = {"wijkbv_cooperative": cooperative} if cooperative else {}
    return stripe_client().v1.payouts.create(
        {"amount": amount, "currency": "eur", "metadata": metadata} | fields
    )
