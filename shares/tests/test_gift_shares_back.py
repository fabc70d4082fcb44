import pytest

from shares import services
from shares.models import Cancellation
from shares.selectors import holding
from shares.tests.conftest import give_shares
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.selectors import balance
from wijkbv.ledger.testing import account, euros

pytestmark = pytest.mark.django_db


def test_the_board_accepts_shares_given_back(hood, b_class):
    give_shares(hood, b_class, "alice", 2)

    with captures_events(hood.cooperative) as events:
        cancellation = services.gift_shares_back(
            hood.membership("alice"), actor=hood.carol, share_class=b_class, count=2
        )

    assert holding(hood.membership("alice")) == []
    assert balance(account(hood.cooperative, "1000")) == euros("100.00")
    assert balance(account(hood.cooperative, "3100")) == euros("-100.00")
    event = assert_audit_event(
        events, action="shares.gifted_back", actor=hood.carol, subject=cancellation.transaction
    )
    assert event.payload["lines"] == [["3000", "100.00"], ["3100", "-100.00"]]


def test_it_refuses_shares_the_member_does_not_hold(hood, b_class):
    with pytest.raises(DomainError, match="holds only 0"):
        services.gift_shares_back(
            hood.membership("alice"), actor=hood.carol, share_class=b_class, count=1
        )

    assert not Cancellation.objects.exists()


def test_only_the_board_accepts_a_gift(hood, b_class):
    give_shares(hood, b_class, "alice", 1)

    with pytest.raises(NotAllowed):
        services.gift_shares_back(
            hood.membership("alice"), actor=hood.alice, share_class=b_class, count=1
        )
