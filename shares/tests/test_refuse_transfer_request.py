import pytest

from shares import services
from shares.models import TransferRequestStatus
from shares.tests.conftest import DEED, give_shares
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(hood, a_class):
    give_shares(hood, a_class, "alice", 2)
    return services.ask_to_transfer_shares(
        a_class, actor=hood.alice, count=1, to_member_number=hood.membership("erin").member_number
    )


def test_the_board_refuses_with_a_reason(hood, request_):
    with captures_events(hood.cooperative) as events:
        services.refuse_transfer_request(
            request_, actor=hood.carol, reason="The receiver did not agree."
        )

    request_.refresh_from_db()
    assert request_.status == TransferRequestStatus.REFUSED
    assert request_.reason == "The receiver did not agree."
    assert_audit_event(
        events,
        action="shares.transfer_request_refused",
        actor=hood.carol,
        subject=request_,
        payload={
            "request": request_.pk,
            "share_class": "A",
            "count": 1,
            "from_member_number": hood.membership("alice").member_number,
            "to_member_number": hood.membership("erin").member_number,
            "reason": "The receiver did not agree.",
        },
    )


def test_a_reason_is_required(hood, request_):
    events = AuditEvent.objects.count()

    with pytest.raises(DomainError) as error:
        services.refuse_transfer_request(request_, actor=hood.carol, reason="  ")

    assert error.value.field == "reason"
    request_.refresh_from_db()
    assert request_.is_open
    assert AuditEvent.objects.count() == events


def test_only_the_board_refuses(hood, request_):
    with pytest.raises(NotAllowed):
        services.refuse_transfer_request(request_, actor=hood.dave, reason="No.")

    request_.refresh_from_db()
    assert request_.is_open


def test_a_request_carried_out_cannot_be_refused(hood, a_class, request_):
    services.transfer_shares(
        hood.membership("alice"),
        actor=hood.carol,
        share_class=a_class,
        count=1,
        to_member_number=hood.membership("erin").member_number,
        request=request_,
        **DEED,
    )

    with pytest.raises(DomainError, match="Transferred already|transferred already"):
        services.refuse_transfer_request(request_, actor=hood.carol, reason="No.")
