import datetime

import pytest
from django.utils import timezone

from budgets import rules, services
from budgets.models import BallotRecord, Proposal, RollCall, Vote
from budgets.tests.conftest import eligible, end, open_budget, open_yes_no, written
from wijkbv.audit.references import subject_reference
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.models import Account, Balance, Transaction
from wijkbv.ledger.services import close_period

pytestmark = pytest.mark.django_db


def _balance(account_pk):
    return Balance.objects.get(pk=account_pk).amount


def _closed_days_ago(vote, days):
    """The vote's closing time `days` ago; the board counts it only now."""
    closes_at = timezone.now() - datetime.timedelta(days=days)
    Vote.objects.filter(pk=vote.pk).update(
        opens_at=closes_at - datetime.timedelta(days=14), closes_at=closes_at
    )
    vote.refresh_from_db()
    return vote


def _ballots(hood, vote, ballots):
    for name, approvals in ballots.items():
        services.cast_ballot(vote, actor=hood.people[name], approvals=approvals)


def test_closing_a_budget_counts_decides_and_allocates(hood, stream, proposals, budget_vote):
    _ballots(hood, budget_vote, {"alice": ["1", "2"], "bob": ["1"], "carol": ["2", "3"]})
    end(budget_vote)
    with captures_events(hood.cooperative) as events:
        services.close_vote(budget_vote, actor=hood.carol)
    budget_vote.refresh_from_db()
    assert budget_vote.outcome == "budget_decided"
    assert budget_vote.tally["winners"] == ["1", "2"]
    assert budget_vote.tally["approvals"] == {"1": 2, "2": 2, "3": 1}
    assert budget_vote.tally["turnout"]["voted"] == 3
    assert budget_vote.tally["losses"]["3"]["reason"] == "supporters_short"
    statuses = dict(Proposal.objects.values_list("number", "status"))
    assert statuses == {1: "adopted", 2: "adopted", 3: "not_adopted"}
    first, second = (Proposal.objects.get(number=n) for n in (1, 2))
    assert (first.budget_account.code, first.budget_account.purpose) == ("210001", "project_budget")
    assert _balance(first.budget_account_id) == -3000
    assert _balance(second.budget_account_id) == -2500
    assert _balance(stream.account_id) == -4500
    event = assert_audit_event(events, action="budget.vote_closed", actor=hood.carol)
    assert event.payload["cause"] == f"budgets.vote:{budget_vote.pk}"
    assert event.payload["adopted"] == [1, 2]
    assert event.payload["outcome"] == "budget_decided"
    assert event.payload["allocations"] == {
        "1": {"account": "210001", "amount": "3000.00"},
        "2": {"account": "210002", "amount": "2500.00"},
    }
    assert sorted(event.payload["lines"]) == sorted(
        [["2001", "5500.00"], ["210001", "-3000.00"], ["210002", "-2500.00"]]
    )
    # The links between ballots and voters are gone.
    assert not BallotRecord.objects.filter(seal__isnull=False).exists()


@pytest.mark.parametrize("rule", ["greedy", "mes", "mes-complete"])
def test_the_tally_is_the_rule_s_own(hood, stream, proposals, rule):
    vote = open_budget(hood, stream, proposals, rule=rule, budget="6500")
    ballots = {"alice": ["3"], "bob": ["3"], "carol": ["1"], "dave": ["2", "3"], "erin": ["1"]}
    _ballots(hood, vote, ballots)
    end(vote)
    services.close_vote(vote, actor=hood.carol)
    vote.refresh_from_db()
    projects = [rules.Project(p.tally_id, p.amount) for p in proposals]
    expected = rules.RULES[rule](
        projects, [rules.Ballot(frozenset(a), 1) for a in ballots.values()], 6500
    )
    assert vote.tally["winners"] == expected.winners
    assert sorted(vote.tally["adopted"]) == sorted(int(w) for w in expected.winners)


def test_weights_count_in_the_tally(hood, stream, proposals):
    vote = open_budget(hood, stream, proposals, rule="greedy", budget="4000")
    from budgets.models import Voter

    Voter.objects.filter(vote=vote, membership=hood.membership("alice")).update(weight=5)
    _ballots(hood, vote, {"alice": ["1"], "bob": ["3"], "carol": ["3"]})
    end(vote)
    services.close_vote(vote, actor=hood.carol)
    vote.refresh_from_db()
    assert vote.tally["approvals"] == {"1": 5, "2": 0, "3": 2}
    assert vote.tally["winners"] == ["1"]


def _yes_no(hood, stream, choices, **options):
    proposal = eligible(hood, stream, "Bankjes", "800", theme="green")
    vote = open_yes_no(hood, proposal, stream, **options)
    for name, choice in choices.items():
        services.cast_ballot(vote, actor=hood.people[name], choice=choice)
    end(vote)
    with captures_events(hood.cooperative) as events:
        services.close_vote(vote, actor=hood.carol)
    vote.refresh_from_db()
    proposal.refresh_from_db()
    return vote, proposal, events


def test_a_yes_no_vote_adopts_with_more_than_half(hood, stream):
    vote, proposal, events = _yes_no(
        hood, stream, {"alice": "yes", "bob": "yes", "carol": "no", "dave": "abstain"}
    )
    assert vote.outcome == "adopted"
    assert vote.tally["totals"] == {"yes": 2, "no": 1, "abstain": 1}
    assert proposal.status == "adopted"
    assert _balance(proposal.budget_account_id) == -800
    assert events[0].action == "budget.vote_closed"


def test_a_tie_is_not_more_than_half(hood, stream):
    vote, proposal, events = _yes_no(hood, stream, {"alice": "yes", "bob": "no"})
    assert vote.outcome == "rejected"
    assert proposal.status == "not_adopted"
    assert proposal.budget_account is None
    assert_audit_event(events, action="budget.vote_closed", actor=hood.carol, subject=vote)


@pytest.mark.parametrize(
    ("choices", "threshold", "outcome"),
    [
        ({"alice": "yes", "bob": "yes", "carol": "no"}, "two_thirds", "adopted"),
        ({"alice": "yes", "bob": "yes", "carol": "no"}, "three_quarters", "rejected"),
        ({"alice": "yes", "bob": "yes", "carol": "yes", "dave": "no"}, "three_quarters", "adopted"),
    ],
)
def test_qualified_majorities(hood, stream, choices, threshold, outcome):
    vote, _proposal, _events = _yes_no(hood, stream, choices, threshold=threshold)
    assert vote.outcome == outcome


def test_without_quorum_nothing_is_adopted(hood, stream):
    vote, proposal, _events = _yes_no(hood, stream, {"alice": "yes", "bob": "yes"}, quorum=50)
    assert vote.outcome == "no_quorum"
    assert vote.tally["quorum_met"] is False
    assert proposal.status == "not_adopted"


def test_abstaining_counts_for_the_quorum(hood, stream):
    vote, _proposal, _events = _yes_no(
        hood, stream, {"alice": "yes", "bob": "abstain", "carol": "abstain"}, quorum=60
    )
    assert vote.outcome == "adopted"


def test_an_open_vote_keeps_its_roll_call(hood, stream):
    vote, _proposal, _events = _yes_no(
        hood, stream, {"alice": "yes", "carol": "no"}, secrecy="open"
    )
    calls = {
        call.voter.membership.user.email: call.ballot.choice
        for call in RollCall.objects.select_related("voter__membership__user", "ballot")
    }
    assert calls == {"alice@example.org": "yes", "carol@example.org": "no"}
    assert vote.outcome == "rejected"


def test_not_before_the_closing_time(hood, budget_vote):
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match="open until"):
        services.close_vote(budget_vote, actor=hood.carol)
    assert written(hood.cooperative) == before


def test_closed_once(hood, budget_vote):
    end(budget_vote)
    services.close_vote(budget_vote, actor=hood.carol)
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match="already been closed"):
        services.close_vote(budget_vote, actor=hood.carol)
    assert written(hood.cooperative) == before


def test_allocating_more_than_the_stream_has_is_refused(hood, stream, proposals, budget_vote):
    _ballots(hood, budget_vote, {"alice": ["1", "2"], "bob": ["1", "2"]})
    end(budget_vote)
    # The money went elsewhere meanwhile (a correction of the treasurer, say).
    from wijkbv.ledger.lines import credit, debit
    from wijkbv.ledger.services import post_transaction
    from wijkbv.ledger.testing import euros

    general = Account.objects.get(cooperative=hood.cooperative, code="8200")
    post_transaction(
        hood.cooperative,
        actor=hood.dave,
        booking_date=budget_vote.opened_at.date(),
        description="Terugbetaald aan de gemeente",
        lines=[debit(stream.account, euros("6000")), credit(general, euros("6000"))],
    )
    before = written(hood.cooperative)
    with pytest.raises(
        DomainError, match="has €4,000.00, and the adopted proposals need €5,500.00"
    ):
        services.close_vote(budget_vote, actor=hood.carol)
    assert written(hood.cooperative) == before
    budget_vote.refresh_from_db()
    assert budget_vote.closed_at is None
    assert BallotRecord.objects.filter(seal__isnull=False).count() == 2
    assert set(Proposal.objects.values_list("status", flat=True)) == {"in_vote"}


@pytest.mark.parametrize("name", ["alice", "bob", "dave", "erin", "frank", "olivia"])
def test_only_the_board_closes(hood, budget_vote, name):
    end(budget_vote)
    with pytest.raises(NotAllowed):
        services.close_vote(budget_vote, actor=hood.people[name])
    assert Vote.objects.get().closed_at is None


def test_the_money_moves_on_the_day_the_vote_closed(hood, stream, proposals, budget_vote):
    _ballots(hood, budget_vote, {"alice": ["1"], "bob": ["1"]})
    _closed_days_ago(budget_vote, 5)

    services.close_vote(budget_vote, actor=hood.carol)

    booking = Transaction.objects.get(cause=subject_reference(budget_vote))
    assert booking.booking_date == timezone.localdate(budget_vote.closes_at)
    assert booking.booking_date == timezone.localdate() - datetime.timedelta(days=5)


def test_the_money_moves_today_when_the_closing_day_is_in_a_closed_period(
    hood, stream, proposals, budget_vote
):
    _ballots(hood, budget_vote, {"alice": ["1"], "bob": ["1"]})
    _closed_days_ago(budget_vote, 5)
    closed_on = timezone.localdate(budget_vote.closes_at)
    close_period(hood.cooperative, actor=hood.dave, until=closed_on)

    services.close_vote(budget_vote, actor=hood.carol)

    booking = Transaction.objects.get(cause=subject_reference(budget_vote))
    assert booking.booking_date == timezone.localdate()
    proposal = Proposal.objects.get(number=1)
    assert _balance(proposal.budget_account_id) == -3000
