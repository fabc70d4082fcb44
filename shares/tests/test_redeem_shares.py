import pytest

from shares import services
from shares.models import Cancellation
from shares.selectors import holding, share_classes
from shares.tests.conftest import give_shares
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.selectors import balance
from wijkbv.ledger.testing import account, euros, ledger_rows

pytestmark = pytest.mark.django_db


def test_the_treasurer_buys_shares_back_and_pays_them_out(hood, a_class):
    give_shares(hood, a_class, "alice", 3)

    with captures_events(hood.cooperative) as events:
        cancellation = services.redeem_shares(
            hood.membership("alice"), actor=hood.dave, share_class=a_class, count=2
        )

    assert [lot.certificates for lot in holding(hood.membership("alice"))] == ["1"]
    assert balance(account(hood.cooperative, "1000")) == euros("10.00")
    assert balance(account(hood.cooperative, "3000")) == euros("-10.00")
    assert share_classes(hood.cooperative)[0].issued == 1
    event = assert_audit_event(
        events, action="shares.redeemed", actor=hood.dave, subject=cancellation.transaction
    )
    assert event.payload["lines"] == [["3000", "20.00"], ["1000", "-20.00"]]
    assert event.payload["certificates"] == [[2, 3]]
    assert event.payload["member_number"] == hood.membership("alice").member_number


def test_it_refuses_more_than_the_member_holds(hood, a_class):
    give_shares(hood, a_class, "alice", 1)
    before = ledger_rows(hood.cooperative)

    with pytest.raises(DomainError, match="holds only 1"):
        services.redeem_shares(
            hood.membership("alice"), actor=hood.dave, share_class=a_class, count=2
        )

    assert ledger_rows(hood.cooperative) == before
    assert not Cancellation.objects.exists()


def test_only_the_treasurer_redeems(hood, a_class):
    give_shares(hood, a_class, "alice", 1)

    with pytest.raises(NotAllowed):
        services.redeem_shares(
            hood.membership("alice"), actor=hood.alice, share_class=a_class, count=1
        )
