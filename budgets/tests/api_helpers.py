"""Building blocks for the budgets API tests: an API client per persona, a funding stream that
has received money, eligible proposals, votes open now, and the counts a refusal must leave
as they were."""

import datetime

from django.utils import timezone
from rest_framework.test import APIClient

from budgets import services
from budgets.models import (
    Agreement,
    BallotRecord,
    FundingStream,
    Proposal,
    RollCall,
    Vote,
    Voter,
    YearClose,
)
from members.models import PartnerOrganisation
from wijkbv.audit.models import AuditEvent
from wijkbv.ledger.models import Account, Posting

API = "/api/v1/c/teststad/budgets/"


def api(hood, name=None) -> APIClient:
    """A client of the API as `name`, reading answers in English (Dutch is the default)."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if name:
        client.force_authenticate(hood.people[name])
    return client


def add_stream(hood, *, name="Wijkbudget", received="10000", earmark=("care", "green")):
    """A stream of the municipality: committed € 20.000, `received` already in its fund."""
    stream = services.add_funding_stream(
        hood.cooperative,
        actor=hood.carol,
        funder=PartnerOrganisation.objects.get(cooperative=hood.cooperative),
        name=name,
        committed="20000",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        earmark=list(earmark),
    )
    if received:
        services.record_stream_receipt(stream, actor=hood.dave, amount=received)
    return stream


def propose(hood, stream, title="Buurtmaaltijd", amount="3000", theme="care", by="alice"):
    return services.submit_proposal(
        hood.cooperative,
        actor=hood.people[by],
        title=title,
        description=f"{title} voor de buurt.",
        amount=amount,
        theme=theme,
        stream=stream,
    )


def eligible(hood, stream, title="Buurtmaaltijd", amount="3000", theme="care"):
    proposal = propose(hood, stream, title, amount, theme)
    return services.check_proposal(proposal, actor=hood.carol, eligible=True)


def window(hours=1) -> dict:
    now = timezone.now()
    return {
        "opens_at": now - datetime.timedelta(minutes=1),
        "closes_at": now + datetime.timedelta(hours=hours),
    }


def open_budget(hood, stream, proposals, *, budget="7000", **options) -> Vote:
    settings = {
        "title": "Wijkbudget 2026",
        "kind": "budget",
        "electorate": "members",
        "weighting": "per_member",
        "proposals": proposals,
        "rule": "greedy",
        "stream": stream,
        "budget_limit": budget,
    }
    return services.open_vote(hood.cooperative, actor=hood.carol, **(settings | window() | options))


def open_yes_no(hood, proposal, stream, **options) -> Vote:
    settings = {
        "title": "Doen we de buurtmaaltijd?",
        "kind": "yes_no",
        "electorate": "members",
        "weighting": "per_member",
        "proposals": [proposal],
        "threshold": "simple",
        "stream": stream,
    }
    return services.open_vote(hood.cooperative, actor=hood.carol, **(settings | window() | options))


def end(vote) -> Vote:
    """Move a vote's times into the past, as if its closing time has come."""
    now = timezone.now()
    Vote.objects.filter(pk=vote.pk).update(
        opens_at=now - datetime.timedelta(hours=2), closes_at=now - datetime.timedelta(seconds=1)
    )
    vote.refresh_from_db()
    return vote


def counts(cooperative) -> dict:
    """Every row a budgets decision may write, and the audit events: a refusal leaves them."""
    return {
        "events": AuditEvent.objects.filter(cooperative=cooperative).count(),
        "streams": FundingStream.objects.filter(cooperative=cooperative).count(),
        "proposals": list(
            Proposal.objects.filter(cooperative=cooperative)
            .order_by("number")
            .values_list("number", "status", "refusal_reason")
        ),
        "votes": list(
            Vote.objects.filter(cooperative=cooperative)
            .order_by("pk")
            .values_list("pk", "closed_at", "outcome")
        ),
        "voters": list(
            Voter.objects.filter(vote__cooperative=cooperative)
            .order_by("pk")
            .values_list("pk", "voted", "channel", "proxy_holder")
        ),
        "ballots": BallotRecord.objects.filter(vote__cooperative=cooperative).count(),
        "roll_calls": RollCall.objects.filter(voter__vote__cooperative=cooperative).count(),
        "agreements": list(
            Agreement.objects.filter(proposal__cooperative=cooperative).values_list("pk", "done_on")
        ),
        "years": YearClose.objects.filter(cooperative=cooperative).count(),
        "accounts": Account.objects.filter(cooperative=cooperative).count(),
        "postings": Posting.objects.filter(account__cooperative=cooperative).count(),
    }
