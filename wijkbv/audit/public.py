"""Which events of the audit chain everyone may read (docs/decisions/0064-the-public-chain.md).

An allowlist: an action is public only when it is named here, so a new kind of decision stays
out of the public chain until someone has read what its event holds. A public event names no
resident who is not acting in an office, holds no one's account number and no free text written
about a person; everything else is redacted: its place and hashes are published, its content not.
"""

# Decisions of the cooperative as a whole and of the people it chose for an office (the board,
# the treasurer, a project's lead approving its spending): the money's way in and out.
PUBLIC_ACTIONS = frozenset(
    {
        "cooperative.created",
        "cooperative.updated",
        "place.added",
        "partner.added",
        "shares.class_created",
        "budget.stream_added",
        "budget.stream_received",
        "budget.proposal_checked",
        "budget.vote_opened",
        "budget.vote_closed",
        "budget.year_closed",
        "expense.approved",
        "advance.approved",
        "advance.returned",
        "payment.batch_made",
        "payment.reconciled",
        "bank.account_added",
        "bank.csv_mapping_saved",
        "bank.statement_imported",
        "bank.lines_matched",
        "bank.line_booked",
        "ledger.account_opened",
        "ledger.posted",
        "ledger.period_closed",
        "stripe.balance_fetched",
        "stripe.payout_arrived",
    }
)


def _supplier_invoice(payload: dict) -> bool:
    # A supplier's invoice is entered by the treasurer, the board or a coordinator and names no
    # resident; a claim names the member it is paid back to.
    return payload.get("kind") == "invoice" and payload.get("claimant") is None


# Actions public only for some of their events, decided by what the event itself holds.
PUBLIC_WHEN = {
    "expense.submitted": _supplier_invoice,
}


def is_public(action: str, payload) -> bool:
    """Whether an event with this action and payload may be read by everyone."""
    if action in PUBLIC_ACTIONS:
        return True
    rule = PUBLIC_WHEN.get(action)
    return rule is not None and isinstance(payload, dict) and rule(payload)
