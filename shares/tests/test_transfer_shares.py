import datetime

import pytest

from shares import services
from shares.models import ShareLot, Transfer
from shares.selectors import holding, register_lines
from shares.tests.conftest import DEED, give_shares
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.testing import euros

pytestmark = pytest.mark.django_db

ISSUED = datetime.date(2026, 1, 10)
MOVED = datetime.date(2026, 3, 1)


@pytest.fixture
def alice_holds_three(hood, a_class):
    return give_shares(hood, a_class, "alice", 3, issued_on=ISSUED)


def _transfer(hood, a_class, count, to="erin", actor="carol", **changes):
    values = (
        {
            "share_class": a_class,
            "count": count,
            "to_member_number": hood.membership(to).member_number if to else 999,
            "transferred_on": MOVED,
        }
        | DEED
        | changes
    )
    return services.transfer_shares(hood.membership("alice"), actor=hood.people[actor], **values)


def test_the_board_approves_a_transfer_with_its_deed(hood, a_class, alice_holds_three):
    with captures_events(hood.cooperative) as events:
        transfer = _transfer(hood, a_class, 2)

    assert [lot.certificates for lot in holding(hood.membership("alice"))] == ["1"]
    (received,) = holding(hood.membership("erin"))
    assert (received.certificates, received.acquired_on) == ("2–3", MOVED)
    assert_audit_event(
        events,
        action="shares.transferred",
        actor=hood.carol,
        subject=transfer,
        payload={
            "share_class": "A",
            "count": 2,
            "from_member_number": hood.membership("alice").member_number,
            "to_member_number": hood.membership("erin").member_number,
            "certificates": [[2, 3]],
            "transferred_on": "2026-03-01",
            "deed_date": "2026-01-15",
            "notary": "Mr. J. de Notaris",
        },
    )


def test_the_register_before_the_transfer_still_shows_the_old_holder(
    hood, a_class, alice_holds_three
):
    _transfer(hood, a_class, 2)

    before = register_lines(hood.cooperative, at=MOVED - datetime.timedelta(days=1))
    assert [(line.member_number, line.certificates) for line in before] == [
        (hood.membership("alice").member_number, "1–3")
    ]
    assert before[0].acquired_on == ISSUED


def _nothing_changed(lots_before):
    assert ShareLot.objects.count() == lots_before
    assert not Transfer.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"count": 4}, "holds only 3 shares A"),
        ({"count": 0}, "whole number"),
        ({"count": 1.5}, "whole number"),
        ({"to": None}, "no active member with number 999"),
        ({"to": "alice"}, "to another member"),
        ({"notary": ""}, "notary"),
    ],
)
def test_it_refuses_bad_input(hood, a_class, alice_holds_three, changes, message):
    lots = ShareLot.objects.count()
    events = AuditEvent.objects.count()
    count = changes.pop("count", 2)

    with pytest.raises(DomainError, match=message):
        _transfer(hood, a_class, count, **changes)

    _nothing_changed(lots)
    assert AuditEvent.objects.count() == events


def test_it_refuses_a_member_of_another_cooperative(hood, a_class, alice_holds_three):
    olivia = hood.olivia.memberships.get().member_number

    with pytest.raises(DomainError):
        services.transfer_shares(
            hood.membership("alice"),
            actor=hood.carol,
            share_class=a_class,
            count=1,
            to_member_number=olivia + 100,
            **DEED,
        )


def test_it_keeps_the_receivers_cap(hood, a_class, alice_holds_three):
    give_shares(hood, a_class, "erin", 4)
    lots = ShareLot.objects.count()

    with pytest.raises(DomainError, match="at most 5 shares A"):
        _transfer(hood, a_class, 2)

    _nothing_changed(lots)


def test_shares_of_a_blocked_class_cannot_be_transferred(hood, b_class):
    give_shares(hood, b_class, "alice", 1)

    with pytest.raises(DomainError, match="cannot be transferred"):
        _transfer(hood, b_class, 1)


def test_a_board_member_may_not_approve_a_transfer_to_themselves(hood, a_class, alice_holds_three):
    with pytest.raises(NotAllowed, match="part of"):
        _transfer(hood, a_class, 1, to="carol")


def test_only_the_board_approves_a_transfer_where_the_class_asks_for_it(
    hood, a_class, alice_holds_three
):
    with pytest.raises(NotAllowed):
        _transfer(hood, a_class, 1, actor="dave")


def test_the_treasurer_records_a_transfer_where_the_class_needs_no_approval(hood):
    free = services.create_share_class(
        hood.cooperative,
        actor=hood.carol,
        code="C",
        name="Free shares",
        nominal_value=euros("5.00"),
        authorised_shares=10,
        requires_board_approval=False,
    )
    give_shares(hood, free, "alice", 2, issued_on=ISSUED)

    transfer = _transfer(hood, free, 1, actor="dave")

    assert transfer.approved_by == hood.dave
