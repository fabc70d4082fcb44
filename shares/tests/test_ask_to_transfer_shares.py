import datetime

import pytest

from shares import services
from shares.models import ShareLot, TransferRequest, TransferRequestStatus
from shares.tests.conftest import DEED, give_shares
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db

ISSUED = datetime.date(2026, 1, 10)


@pytest.fixture
def alice_holds_three(hood, a_class):
    return give_shares(hood, a_class, "alice", 3, issued_on=ISSUED)


def _ask(hood, a_class, count=2, to="erin", **more):
    number = hood.membership(to).member_number if to else 999
    return services.ask_to_transfer_shares(
        a_class, actor=hood.alice, count=count, to_member_number=number, **more
    )


def test_a_member_asks_the_board_to_transfer_their_shares(hood, a_class, alice_holds_three):
    with captures_events(hood.cooperative) as events:
        request = _ask(hood, a_class, note="My daughter takes over.")

    assert request.status == TransferRequestStatus.REQUESTED
    assert request.note == "My daughter takes over."
    assert ShareLot.objects.filter(held_until__isnull=True).get().membership == (
        hood.membership("alice")
    )
    assert_audit_event(
        events,
        action="shares.transfer_requested",
        actor=hood.alice,
        subject=request,
        payload={
            "request": request.pk,
            "share_class": "A",
            "count": 2,
            "from_member_number": hood.membership("alice").member_number,
            "to_member_number": hood.membership("erin").member_number,
        },
    )


def test_the_board_carries_out_the_request_with_the_deed(hood, a_class, alice_holds_three):
    request = _ask(hood, a_class)

    with captures_events(hood.cooperative) as events:
        transfer = services.transfer_shares(
            hood.membership("alice"),
            actor=hood.carol,
            share_class=a_class,
            count=2,
            to_member_number=hood.membership("erin").member_number,
            request=request,
            **DEED,
        )

    request.refresh_from_db()
    assert request.status == TransferRequestStatus.DONE
    assert request.transfer == transfer
    assert request.decided_by == hood.carol
    assert events[0].payload["request"] == request.pk
    assert len(events) == 1


def test_a_transfer_that_differs_from_the_request_is_refused(hood, a_class, alice_holds_three):
    request = _ask(hood, a_class, count=2)

    with pytest.raises(DomainError, match="not the one the member asked for"):
        services.transfer_shares(
            hood.membership("alice"),
            actor=hood.carol,
            share_class=a_class,
            count=3,
            to_member_number=hood.membership("erin").member_number,
            request=request,
            **DEED,
        )

    request.refresh_from_db()
    assert request.is_open


@pytest.mark.parametrize("count", [0, -1, "1.5", None, "abc"])
def test_it_refuses_a_count_that_is_not_a_whole_number(hood, a_class, alice_holds_three, count):
    events = AuditEvent.objects.count()

    with pytest.raises(DomainError) as error:
        _ask(hood, a_class, count=count)

    assert error.value.field == "count"
    assert not TransferRequest.objects.exists()
    assert AuditEvent.objects.count() == events


def test_it_refuses_more_shares_than_the_member_holds(hood, a_class, alice_holds_three):
    with pytest.raises(DomainError, match="at most 3 shares A"):
        _ask(hood, a_class, count=4)

    assert not TransferRequest.objects.exists()


def test_shares_already_asked_for_cannot_be_asked_for_again(hood, a_class, alice_holds_three):
    _ask(hood, a_class, count=2)

    with pytest.raises(DomainError, match="at most 1 share A"):
        _ask(hood, a_class, count=2)

    assert TransferRequest.objects.count() == 1


def test_it_refuses_a_receiver_who_is_not_a_member(hood, a_class, alice_holds_three):
    with pytest.raises(DomainError) as error:
        _ask(hood, a_class, to=None)

    assert error.value.field == "to_member_number"
    assert not TransferRequest.objects.exists()


def test_it_refuses_a_transfer_to_oneself(hood, a_class, alice_holds_three):
    with pytest.raises(DomainError, match="another member"):
        _ask(hood, a_class, to="alice")

    assert not TransferRequest.objects.exists()


def test_it_refuses_a_class_that_cannot_be_transferred(hood, b_class):
    give_shares(hood, b_class, "alice", 1)

    with pytest.raises(DomainError, match="cannot be transferred"):
        _ask(hood, b_class, count=1)

    assert not TransferRequest.objects.exists()


def test_a_member_of_another_cooperative_cannot_ask(hood, a_class, alice_holds_three):
    with pytest.raises(NotAllowed):
        services.ask_to_transfer_shares(a_class, actor=hood.olivia, count=1, to_member_number=1)

    assert not TransferRequest.objects.exists()
