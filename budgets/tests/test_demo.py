import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from budgets.closing.reconciliation import reconcile
from budgets.demo import FIRST_ROUND_DAYS, _first_round_moments
from budgets.demo_month import OLD_ADVANCE_DAYS, bank_month
from budgets.demo_year import _months
from budgets.desk import desk
from budgets.models import (
    Advance,
    AdvanceStatus,
    Agreement,
    BallotRecord,
    BankAccount,
    BankLine,
    BankLineStatus,
    BankStatement,
    Channel,
    Expense,
    ExpenseStatus,
    FundingStream,
    Outcome,
    PaymentBatch,
    Proposal,
    ProposalStatus,
    ReceiptFile,
    Vote,
    Voter,
    YearClose,
)
from budgets.reminders import send_agreement_reminders
from budgets.transparency.selectors import money, spending_by_month
from members.models import Cooperative, Membership
from shares.models import Subscription, SubscriptionStatus
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
    closed = Vote.objects.filter(cooperative=demo, kind="budget", closed_at__isnull=False).latest(
        "closes_at"
    )
    assert closed.rule == "mes-complete"
    assert closed.outcome == Outcome.BUDGET_DECIDED
    adopted = list(closed.proposals.filter(status=ProposalStatus.ADOPTED))
    assert adopted and closed.proposals.filter(status=ProposalStatus.NOT_ADOPTED).exists()
    assert sorted(p.number for p in adopted) == sorted(closed.tally["adopted"])
    booking = Transaction.objects.get(cooperative=demo, cause=subject_reference(closed))
    assert booking.postings.count() == len(adopted) + 1
    for proposal in adopted:
        allocated = booking.postings.get(account=proposal.budget_account)
        assert -allocated.amount == proposal.amount
    turnout = closed.tally["turnout"]
    assert turnout["voted"] * 2 > turnout["voters"]
    assert turnout["paper"] > 0 and turnout["proxy"] > 0
    assert BallotRecord.objects.filter(vote=closed, seal__isnull=False).count() == 0


def test_the_first_round_of_the_year_was_decided_months_ago(demo):
    first = Vote.objects.filter(cooperative=demo, kind="budget").earliest("closes_at")
    today = timezone.localdate()
    closed_on = timezone.localdate(first.closes_at)
    assert first.closes_at < timezone.now() and closed_on.year == today.year
    if (today - datetime.timedelta(days=FIRST_ROUND_DAYS[0])).year == today.year:
        # One day more or less where summer time began or ended in between.
        assert abs((today - closed_on).days - FIRST_ROUND_DAYS[-1]) <= 1
    assert 3 <= len(first.tally["adopted"]) <= 4
    assert first.tally["turnout"]["voted"] >= 5
    booking = Transaction.objects.get(cooperative=demo, cause=subject_reference(first))
    assert booking.booking_date == closed_on
    for proposal in first.proposals.all():
        assert proposal.created_at < first.opens_at < first.closes_at


def test_the_projects_spend_month_by_month_within_their_budgets(demo):
    today = timezone.localdate()
    months = [amount for _month, amount in spending_by_month(demo)]
    assert len(months) == 12
    assert sum(1 for amount in months if amount > 0) >= min(6, today.month)
    for source in money(demo).sources:
        for project in source.projects:
            assert 0 <= project.spent <= project.allocated
    for batch in PaymentBatch.objects.filter(cooperative=demo):
        assert batch.transaction.booking_date == batch.execution_date
    paid = Expense.objects.filter(cooperative=demo, batch__isnull=False)
    assert paid.filter(kind="invoice").exclude(supplier_name="").exists()
    for expense in paid:
        assert expense.first_approver_id and expense.second_approver_id
        assert expense.first_approver_id != expense.second_approver_id
        assert 15 <= expense.amount <= 600
        assert expense.spent_on <= expense.batch.execution_date
    assert verify_chain(demo).broken is None
    out = io.StringIO()
    call_command("ledger", "check", "--cooperative", demo.slug, stdout=out)
    assert "in order" in out.getvalue()


@pytest.mark.parametrize(
    ("now", "first_day"),
    [
        # Far enough into the year: the story's own days.
        ((2026, 11, 23, 12), (2026, 4, 12)),
        # Early in the year: squeezed into it, from the morning of 2 January.
        ((2027, 3, 1, 12), (2027, 1, 2)),
        # On New Year's Day: from its start.
        ((2027, 1, 1, 8), (2027, 1, 1)),
    ],
)
def test_the_first_round_never_falls_in_last_year(now, first_day):
    now = timezone.make_aware(datetime.datetime(*now))
    proposed, opened, closed = _first_round_moments(now)
    assert timezone.localdate(proposed) == datetime.date(*first_day)
    assert proposed < opened < closed < now


@pytest.mark.parametrize(
    ("decided", "today", "months"),
    [
        ((2026, 5, 7), (2026, 11, 23), [(5, 8), (6, 1), (7, 1), (8, 1), (9, 1), (10, 1)]),
        # Decided too close to the month's batch: that month is left out.
        ((2026, 5, 24), (2026, 8, 2), [(6, 1), (7, 1)]),
        # In January the bank month is this month: nothing before it.
        ((2027, 1, 3), (2027, 1, 15), []),
        ((2027, 1, 6), (2027, 2, 10), [(1, 7)]),
    ],
)
def test_the_projects_spend_from_the_decision_up_to_last_month(decided, today, months):
    found = _months(datetime.date(*decided), datetime.date(*today))
    year = decided[0]
    assert found == [
        (datetime.date(year, month, day), datetime.date(year, month, 26)) for month, day in months
    ]


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


def test_last_months_bank_lines_are_imported_and_matched(demo):
    account = BankAccount.objects.get(cooperative=demo)
    lines = BankLine.objects.filter(bank_account=account)
    first, last = bank_month(timezone.localdate())
    assert 40 <= lines.count() <= 80
    assert lines.filter(booking_date__lt=first).count() == 0
    assert BankStatement.objects.filter(bank_account=account).count() == (
        2 if last < timezone.localdate() else 1
    )
    booked = lines.filter(status=BankLineStatus.BOOKED)
    assert booked.count() >= 10
    assert booked.filter(booked_transaction__isnull=True).count() == 0
    # A resident who paid their share twice: the second line waits for the treasurer.
    twice = lines.filter(status=BankLineStatus.MATCHED).get()
    assert twice.suggested_kind == "subscription"
    paid_first = Subscription.objects.get(pk=twice.suggested_key)
    assert paid_first.status == SubscriptionStatus.PAID
    assert lines.filter(status=BankLineStatus.UNMATCHED).count() >= 5
    paid = Subscription.objects.filter(
        cooperative=demo, status=SubscriptionStatus.PAID, method="bank"
    )
    assert paid.count() == 10
    fund = FundingStream.objects.get(cooperative=demo, funder__name="Fonds 1818")
    assert credit_of(fund.account) == 3000
    assert reconcile(account, last).is_explained


def test_expenses_and_advances_wait_in_every_state(demo):
    expenses = Expense.objects.filter(cooperative=demo)
    assert set(expenses.values_list("status", flat=True)) == set(ExpenseStatus.values)
    once = expenses.get(status=ExpenseStatus.SUBMITTED, first_approver__isnull=False)
    assert once.claimant.user.email == RESIDENT and once.second_approver is None
    assert expenses.get(status=ExpenseStatus.REJECTED).rejection_reason
    assert expenses.filter(status=ExpenseStatus.RECONCILED, reconciled_line__isnull=False).count()
    advances = Advance.objects.filter(cooperative=demo)
    old = advances.get(status=AdvanceStatus.PAID)
    assert (timezone.localdate() - old.paid_on).days == OLD_ADVANCE_DAYS
    assert advances.filter(status=AdvanceStatus.REQUESTED).exists()
    settled = advances.filter(status=AdvanceStatus.SETTLED)
    assert settled.count() == 2 and settled.filter(returned_on__isnull=False).count() == 1
    receipts = ReceiptFile.objects.filter(cooperative=demo)
    assert receipts.count() == expenses.count() + 2
    treasurer = Membership.objects.get(
        cooperative=demo, user__email="penningmeester@moerwijk-oost.example"
    )
    found = desk(demo, treasurer)
    assert (found.expenses_to_approve, found.advances_to_approve, found.to_pay) == (2, 1, 1)
    assert found.oldest_advance_days == OLD_ADVANCE_DAYS
    assert found.lines_to_match == BankLine.objects.exclude(status=BankLineStatus.BOOKED).count()


@pytest.mark.parametrize(
    ("today", "month"),
    [
        ((2026, 11, 23), ((2026, 10, 1), (2026, 10, 31))),
        ((2028, 3, 31), ((2028, 2, 1), (2028, 2, 29))),
        ((2027, 1, 15), ((2027, 1, 1), (2027, 1, 15))),
    ],
)
def test_the_bank_month_is_last_month_or_in_january_this_one(today, month):
    first, last = month
    assert bank_month(datetime.date(*today)) == (datetime.date(*first), datetime.date(*last))


def test_running_it_twice_changes_nothing(demo):
    before = (Proposal.objects.count(), BallotRecord.objects.count(), AuditEvent.objects.count())

    call_command("demo", stdout=io.StringIO())

    assert (
        Proposal.objects.count(),
        BallotRecord.objects.count(),
        AuditEvent.objects.count(),
    ) == before
