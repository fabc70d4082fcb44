import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from budgets.models import (
    Agreement,
    BallotRecord,
    Channel,
    FundingStream,
    Outcome,
    Proposal,
    ProposalStatus,
    Vote,
    Voter,
    YearClose,
)
from budgets.reminders import send_agreement_reminders
from members.models import Cooperative
from wijkbv.audit.chain import verify_chain
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.references import subject_reference
from wijkbv.ledger.models import Balance, Posting, Purpose, Transaction

pytestmark = pytest.mark.django_db

RESIDENT = "bewoner@moerwijk-oost.example"


@pytest.fixture
def demo():
    call_command("demo", stdout=io.StringIO())
    return Cooperative.objects.get(slug="moerwijk-oost")


def credit_of(account):
    return -Balance.objects.get(pk=account.pk).amount


def test_it_gives_the_demo_funding_streams_with_money_received_and_proposals(demo):
    streams = FundingStream.objects.filter(cooperative=demo)
    assert {s.funder.name for s in streams} == {
        "Gemeente Den Haag",
        "Zorgverzekeraar Zuidwest",
        "Fonds 1818",
    }
    assert all(credit_of(stream.account) > 0 for stream in streams)
    proposals = Proposal.objects.filter(cooperative=demo)
    refused = proposals.filter(status=ProposalStatus.REFUSED)
    assert refused.count() == 2
    assert all(proposal.refusal_reason for proposal in refused)
    assert proposals.filter(status=ProposalStatus.SUBMITTED).get().proposed_by.user.email == (
        RESIDENT
    )


def test_the_closed_round_moved_the_adopted_projects_money_to_their_budgets(demo):
    closed = Vote.objects.get(cooperative=demo, kind="budget", closed_at__isnull=False)
    assert closed.rule == "mes-complete"
    assert closed.outcome == Outcome.BUDGET_DECIDED
    adopted = list(closed.proposals.filter(status=ProposalStatus.ADOPTED))
    assert adopted and closed.proposals.filter(status=ProposalStatus.NOT_ADOPTED).exists()
    assert sorted(p.number for p in adopted) == sorted(closed.tally["adopted"])
    for proposal in adopted:
        assert credit_of(proposal.budget_account) == proposal.amount
    booking = Transaction.objects.get(cooperative=demo, cause=subject_reference(closed))
    assert booking.postings.count() == len(adopted) + 1
    turnout = closed.tally["turnout"]
    assert turnout["voted"] * 2 > turnout["voters"]
    assert turnout["paper"] > 0 and turnout["proxy"] > 0
    assert BallotRecord.objects.filter(vote=closed, seal__isnull=False).count() == 0


def test_an_open_round_waits_for_the_demo_resident_and_the_other_logins(demo):
    (open_round,) = Vote.objects.filter(cooperative=demo, closed_at__isnull=True)
    assert open_round.state == "open"
    assert (open_round.closes_at - timezone.now()).days >= 7
    assert BallotRecord.objects.filter(vote=open_round).exists()
    resident = Voter.objects.get(vote=open_round, membership__user__email=RESIDENT)
    assert not resident.voted
    assert resident.proxies_held.filter(voted=False).count() == 1
    assert Voter.objects.filter(vote=open_round, channel=Channel.PAPER).exists()
    logins = [
        f"{name}@moerwijk-oost.example"
        for name in ("coordinator", "bestuur", "penningmeester", "kascommissie")
    ]
    voters = Voter.objects.filter(vote=open_round, membership__user__email__in=logins)
    assert voters.count() == len(logins)
    assert not voters.filter(voted=True).exists()


def test_last_years_result_paid_for_a_yes_no_vote_from_the_reserve(demo):
    year = YearClose.objects.get(cooperative=demo)
    assert year.year == timezone.localdate().year - 1
    assert year.result > 0
    vote = Vote.objects.get(cooperative=demo, kind="yes_no")
    assert vote.stream is None
    assert vote.outcome == Outcome.ADOPTED
    (proposal,) = vote.proposals.all()
    reserve = Posting.objects.filter(
        account__cooperative=demo, account__purpose=Purpose.REINVESTMENT_RESERVE
    )
    assert -sum(p.amount for p in reserve) == year.result - proposal.amount


def test_one_agreement_is_due_within_the_week_and_gets_its_reminder(demo):
    agreements = Agreement.objects.filter(proposal__cooperative=demo)
    assert agreements.filter(done_on__isnull=False).exists()

    assert send_agreement_reminders() == 1

    (message,) = mail.outbox
    assert message.to == [RESIDENT]


def test_the_audit_chain_and_the_books_are_in_order(demo):
    assert AuditEvent.objects.filter(cooperative=demo, action="budget.ballot_cast").exists()
    assert verify_chain(demo).broken is None
    out = io.StringIO()
    call_command("ledger", "check", "--cooperative", demo.slug, stdout=out)
    assert "in order" in out.getvalue()


def test_running_it_twice_changes_nothing(demo):
    before = (Proposal.objects.count(), BallotRecord.objects.count(), AuditEvent.objects.count())

    call_command("demo", stdout=io.StringIO())

    assert (
        Proposal.objects.count(),
        BallotRecord.objects.count(),
        AuditEvent.objects.count(),
    ) == before
