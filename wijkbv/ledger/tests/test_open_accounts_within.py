"""Accounts opened inside another decision: rows and zero balances, and no event of their own
(the decision that opens them records them in its one event)."""

import pytest

from wijkbv.audit.testing import captures_events
from wijkbv.ledger.models import Account, Balance, Purpose
from wijkbv.ledger.services import open_accounts_within

pytestmark = pytest.mark.django_db


def test_accounts_open_with_a_zero_balance_and_no_event_of_their_own(hood):
    with captures_events(hood.cooperative) as events:
        fund, budget = open_accounts_within(
            hood.cooperative,
            [
                {"code": "2001", "name": "Fonds", "type": "liability", "purpose": "funding_stream"},
                {
                    "code": "210001",
                    "name": "Budget",
                    "type": "liability",
                    "purpose": Purpose.PROJECT_BUDGET,
                    "stands_for": "budgets.proposal:1",
                },
            ],
        )
    assert events == []
    assert (fund.currency, fund.stands_for) == ("EUR", "")
    assert budget.stands_for == "budgets.proposal:1"
    assert Balance.objects.get(pk=budget.pk).amount == 0
    assert (
        Account.objects.filter(cooperative=hood.cooperative, code__in=["2001", "210001"]).count()
        == 2
    )
