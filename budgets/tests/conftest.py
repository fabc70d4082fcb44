"""Fixtures for the budgets tests: the personas' cooperative with a funding stream of the
municipality that has received money, eligible proposals, and votes that are open now."""

import datetime

import pytest
from django.utils import timezone

from budgets import services
from budgets.models import Vote
from members import services as member_services
from members.models import PartnerOrganisation

START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 12, 31)


@pytest.fixture
def funder(hood):
    return PartnerOrganisation.objects.get(cooperative=hood.cooperative)


def wijkbudget(hood, funder, *, starts_on=START, ends_on=END):
    """Wijkbudget: committed € 20.000, € 10.000 received, for care and green projects."""
    stream = services.add_funding_stream(
        hood.cooperative,
        actor=hood.carol,
        funder=funder,
        name="Wijkbudget",
        committed="20000",
        starts_on=starts_on,
        ends_on=ends_on,
        earmark=["care", "green"],
    )
    services.record_stream_receipt(stream, actor=hood.dave, amount="10000")
    return stream


@pytest.fixture
def stream(hood, funder):
    return wijkbudget(hood, funder)


@pytest.fixture
def place(hood):
    return member_services.add_place(
        hood.cooperative, actor=hood.bob, name="Buurtkamer", kind="community_room"
    )


def eligible(hood, stream, title, amount, theme="care", by="alice"):
    proposal = services.submit_proposal(
        hood.cooperative,
        actor=hood.people[by],
        title=title,
        description=f"{title} voor de buurt.",
        amount=amount,
        theme=theme,
        stream=stream,
    )
    return services.check_proposal(proposal, actor=hood.carol, eligible=True)


@pytest.fixture
def proposals(hood, stream):
    """Three eligible proposals: #1 € 3.000, #2 € 2.500 (green), #3 € 4.000."""
    return [
        eligible(hood, stream, "Buurtmaaltijd", "3000"),
        eligible(hood, stream, "Geveltuinen", "2500", theme="green"),
        eligible(hood, stream, "Maatjesproject", "4000"),
    ]


def times(hours=1):
    now = timezone.now()
    return {
        "opens_at": now - datetime.timedelta(minutes=1),
        "closes_at": now + datetime.timedelta(hours=hours),
    }


def open_budget(hood, *args, rule="mes", budget="7000", **options):
    """A budget vote on `proposals` paid from `stream`, open now; `options` change any setting
    (a "stream" or "proposals" among them replaces the positional ones)."""
    stream, proposals = args
    settings = (
        {
            "title": "Wijkbudget 2026",
            "kind": "budget",
            "electorate": "members",
            "weighting": "per_member",
            "proposals": proposals,
            "rule": rule,
            "stream": stream,
            "budget_limit": budget,
        }
        | times()
        | options
    )
    return services.open_vote(hood.cooperative, actor=hood.carol, **settings)


def open_yes_no(hood, proposal=None, stream=None, **options):
    settings = (
        {
            "title": "Doen we dit?",
            "kind": "yes_no",
            "electorate": "members",
            "weighting": "per_member",
            "proposals": [proposal] if proposal else [],
            "threshold": "simple",
            "stream": stream,
        }
        | times()
        | options
    )
    return services.open_vote(hood.cooperative, actor=hood.carol, **settings)


def end(vote):
    """Move a vote's times into the past, as if its closing time has come."""
    now = timezone.now()
    Vote.objects.filter(pk=vote.pk).update(
        opens_at=now - datetime.timedelta(hours=2), closes_at=now - datetime.timedelta(seconds=1)
    )
    vote.refresh_from_db()
    return vote


@pytest.fixture
def budget_vote(hood, stream, proposals):
    return open_budget(hood, stream, proposals)


def written(cooperative):
    """Counts that must not change when a decision is refused."""
    from budgets.models import Agreement, BallotRecord, FundingStream, Proposal, Voter
    from wijkbv.audit.models import AuditEvent
    from wijkbv.ledger.models import Account, Posting

    return {
        "events": AuditEvent.objects.filter(cooperative=cooperative).count(),
        "streams": FundingStream.objects.filter(cooperative=cooperative).count(),
        "proposals": Proposal.objects.filter(cooperative=cooperative).count(),
        "votes": Vote.objects.filter(cooperative=cooperative).count(),
        "voters": Voter.objects.filter(vote__cooperative=cooperative).count(),
        "ballots": BallotRecord.objects.filter(vote__cooperative=cooperative).count(),
        "agreements": Agreement.objects.filter(proposal__cooperative=cooperative).count(),
        "accounts": Account.objects.filter(cooperative=cooperative).count(),
        "postings": Posting.objects.filter(account__cooperative=cooperative).count(),
    }


# Expenses, advances and payment batches: a project with its budget, and receipts kept in a
# temporary directory for every test.
from budgets.tests.expense_helpers import project, project_budget, receipts_in_tmp  # noqa: E402, F401
