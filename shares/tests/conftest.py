"""Fixtures for the shares tests: the personas' cooperative with an A class (one vote per share,
at most 5 per member) and a B class without votes, and a way to give someone shares."""

import datetime

import pytest

from shares import services
from wijkbv.ledger.testing import euros

DEED = {"deed_date": datetime.date(2026, 1, 15), "notary": "Mr. J. de Notaris"}


@pytest.fixture
def a_class(hood):
    return services.create_share_class(
        hood.cooperative,
        actor=hood.carol,
        code="A",
        name="Resident shares",
        nominal_value=euros("10.00"),
        authorised_shares=100,
        votes_per_share=1,
        max_per_member=5,
        is_transferable=True,
    )


@pytest.fixture
def b_class(hood):
    return services.create_share_class(
        hood.cooperative,
        actor=hood.carol,
        code="B",
        name="Supporter shares",
        nominal_value=euros("50.00"),
        authorised_shares=20,
        votes_per_share=0,
        is_transferable=False,
    )


def give_shares(hood, share_class, name, count, *, issued_on=None):
    """`name` subscribes, dave records the payment, carol approves (the system, when it is
    carol's own subscription) and dave issues the shares."""
    subscription = services.subscribe_to_shares(share_class, actor=hood.people[name], count=count)
    services.record_subscription_payment(subscription, actor=hood.dave)
    approver = None if name == "carol" else hood.carol
    services.approve_subscription(subscription, actor=approver, **DEED)
    return services.issue_shares(subscription, actor=hood.dave, issued_on=issued_on)
