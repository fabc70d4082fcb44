"""Which events everyone may read: an allowlist, so anything not named stays private."""

import pytest

from wijkbv.audit.public import is_public


@pytest.mark.parametrize(
    "action",
    ["budget.vote_closed", "budget.stream_received", "payment.batch_made", "ledger.posted"],
)
def test_decisions_about_the_money_are_public(action):
    assert is_public(action, {})


@pytest.mark.parametrize(
    "action",
    [
        "contribution.logged",
        "thanks_wall.joined",
        "member.registered",
        "invitation.created",
        "shares.issued",
        "payment.succeeded",
        "budget.ballot_cast",
        "budget.proposal_submitted",
        "budget.agreement_made",
        "expense.rejected",
        "advance.requested",
        "ledger.reversed",
        "activity.added",
    ],
)
def test_events_about_a_person_are_not(action):
    assert not is_public(action, {})


def test_an_action_nobody_has_looked_at_yet_is_not_public():
    assert not is_public("something.new", {"total": "10.00"})


def test_a_suppliers_invoice_is_public_and_a_residents_claim_is_not():
    invoice = {"kind": "invoice", "claimant": None, "amount": "120.00"}
    claim = {"kind": "claim", "claimant": 17, "amount": "23.80"}

    assert is_public("expense.submitted", invoice)
    assert not is_public("expense.submitted", claim)
    assert not is_public("expense.submitted", {"kind": "invoice", "claimant": 17})
    assert not is_public("expense.submitted", None)
