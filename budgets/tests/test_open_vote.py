import datetime

import pytest
from django.utils import timezone

from budgets import services
from budgets.models import Voter
from budgets.tests.conftest import eligible, open_budget, open_yes_no, times, written
from members.models import Cooperative
from shares.models import ShareClass
from shares.tests.conftest import DEED
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def test_the_board_opens_a_budget_vote_and_the_electorate_is_fixed(hood, stream, proposals):
    with captures_events(hood.cooperative) as events:
        vote = open_budget(hood, stream, proposals, rule="mes-complete")
    # Members: the five residents of the personas; the funder's representative does not vote.
    numbers = sorted(
        Voter.objects.filter(vote=vote).values_list("membership__user__email", "weight")
    )
    assert numbers == [(f"{n}@example.org", 1) for n in ("alice", "bob", "carol", "dave", "erin")]
    assert (vote.electorate_size, vote.electorate_weight) == (5, 5)
    assert {p.status for p in vote.proposals.all()} == {"in_vote"}
    event = assert_audit_event(events, action="budget.vote_opened", actor=hood.carol, subject=vote)
    assert event.payload["proposals"] == [1, 2, 3]
    assert event.payload["rule"] == "mes-complete"
    assert event.payload["budget_limit"] == "7000.00"
    assert event.payload["record_date"] == timezone.localdate().isoformat()
    assert (event.payload["voters"], event.payload["votes"]) == (5, 5)


def _shares(hood, holdings):
    """Give personas shares, as the shares issue does, through its services."""
    from shares import services as share_services
    from shares.tests.conftest import give_shares
    from wijkbv.ledger.testing import euros

    share_class = share_services.create_share_class(
        hood.cooperative,
        actor=hood.carol,
        code="A",
        name="Aandeel A",
        nominal_value=euros("10.00"),
        authorised_shares=100,
    )
    for name, count in holdings.items():
        give_shares(hood, share_class, name, count)
    return share_class


def test_shareholders_by_shares_are_frozen_at_the_record_date(hood, stream, proposals):
    _shares(hood, {"alice": 3, "bob": 1})
    vote = open_budget(hood, stream, proposals, electorate="shareholders", weighting="by_shares")
    weights = dict(Voter.objects.filter(vote=vote).values_list("membership__user__email", "weight"))
    assert weights == {"alice@example.org": 3, "bob@example.org": 1}
    assert vote.electorate_weight == 4


def test_a_later_transfer_does_not_change_the_electorate(hood, stream, proposals):
    from shares import services as share_services

    share_class = _shares(hood, {"alice": 3})
    vote = open_budget(hood, stream, proposals, electorate="shareholders", weighting="by_shares")
    share_services.transfer_shares(
        hood.membership("alice"),
        actor=hood.carol,
        share_class=share_class,
        count=2,
        to_member_number=hood.membership("bob").member_number,
        **DEED,
    )
    weights = dict(Voter.objects.filter(vote=vote).values_list("membership__user__email", "weight"))
    assert weights == {"alice@example.org": 3}


def test_a_yes_no_vote_on_one_proposal(hood, stream):
    proposal = eligible(hood, stream, "Bankjes", "800", theme="green")
    vote = open_yes_no(hood, proposal, stream, threshold="two_thirds", quorum=40, secrecy="open")
    assert (vote.kind, vote.threshold, vote.quorum, vote.secrecy) == (
        "yes_no",
        "two_thirds",
        40,
        "open",
    )
    assert vote.rule == ""
    proposal.refresh_from_db()
    assert proposal.status == "in_vote"


def test_a_question_without_proposal(hood):
    vote = open_yes_no(hood, title="Houden we een buurtfeest?")
    assert vote.proposals.count() == 0


def _bad(hood, stream, proposals):
    now = timezone.now()
    return [
        ({"title": ""}, "Fill in the question"),
        ({"kind": "ranked"}, "kind of vote"),
        ({"electorate": "everyone"}, "who may vote"),
        ({"weighting": "by_age"}, "how votes are weighed"),
        ({"secrecy": "maybe"}, "secret or an open vote"),
        ({"quorum": 101}, "quorum from 0 to 100"),
        ({"quorum": "50"}, "quorum from 0 to 100"),
        ({"rule": "borda"}, "how the budget is counted"),
        ({"budget_limit": "0"}, "Fill in an amount"),
        ({"budget_limit": "10000.01"}, "has €10,000.00 left that no other vote may spend"),
        ({"closes_at": now - datetime.timedelta(minutes=2)}, "closing time has already passed"),
        (
            {
                "opens_at": now + datetime.timedelta(days=3),
                "closes_at": now + datetime.timedelta(days=2),
            },
            "must close after it opens",
        ),
        (
            {"opens_at": now - datetime.timedelta(hours=3), "closes_at": now},
            "closing time has already passed",
        ),
        ({"opens_at": "morgen"}, "date and time"),
        ({"proposals": proposals[:1]}, "at least two proposals"),
        ({"proposals": [proposals[0], proposals[0]]}, "only once"),
        ({"stream": None}, "is paid from Wijkbudget, not from the reinvestment reserve"),
        ({"electorate": "shareholders"}, "Nobody may vote"),
    ]


def test_bad_settings_are_refused_and_nothing_is_written(hood, stream, proposals):
    for changes, message in _bad(hood, stream, proposals):
        before = written(hood.cooperative)
        with pytest.raises(DomainError, match=message):
            open_budget(hood, stream, proposals, **changes)
        assert written(hood.cooperative) == before, changes
    assert {p.status for p in type(proposals[0]).objects.all()} == {"eligible"}


def test_a_proposal_can_be_in_one_running_vote_only(hood, stream, proposals):
    open_budget(hood, stream, proposals, budget="3000")
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match="cannot be put to a vote: it is in a vote"):
        open_budget(hood, stream, proposals, budget="3000")
    assert written(hood.cooperative) == before


def test_a_yes_no_vote_needs_a_threshold_and_no_budget(hood, stream):
    proposal = eligible(hood, stream, "Bankjes", "800", theme="green")
    with pytest.raises(DomainError, match="majority needed"):
        open_yes_no(hood, proposal, stream, threshold="")
    with pytest.raises(DomainError, match="Only a participatory budget has a budget"):
        open_yes_no(hood, proposal, stream, budget_limit="800")
    with pytest.raises(DomainError, match="one proposal at most"):
        open_yes_no(hood, stream=stream, proposals=[proposal, proposal])


@pytest.mark.parametrize("name", ["alice", "bob", "dave", "erin", "frank", "olivia"])
def test_only_the_board_opens_votes(hood, stream, proposals, name):
    before = written(hood.cooperative)
    with pytest.raises(NotAllowed):
        services.open_vote(
            hood.cooperative,
            actor=hood.people[name],
            title="x",
            kind="yes_no",
            electorate="members",
            weighting="per_member",
            threshold="simple",
            **times(),
        )
    assert written(hood.cooperative) == before


def test_proposals_of_another_cooperative_are_refused(hood, stream, proposals):
    assert Cooperative.objects.count() == 2
    assert not ShareClass.objects.exists()
    with pytest.raises(DomainError, match="proposals of this cooperative"):
        services.open_vote(
            hood.other,
            actor=hood.olivia,
            title="x",
            kind="budget",
            electorate="members",
            weighting="per_member",
            rule="mes",
            budget_limit="100",
            proposals=proposals,
            **times(),
        )
