import pytest

from shares import services
from shares.models import TransferRequestStatus
from shares.tests.conftest import give_shares
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


def test_the_member_withdraws_their_request(hood, request_):
    with captures_events(hood.cooperative) as events:
        services.withdraw_transfer_request(request_, actor=hood.alice)

    request_.refresh_from_db()
    assert request_.status == TransferRequestStatus.WITHDRAWN
    assert_audit_event(
        events,
        action="shares.transfer_request_withdrawn",
        actor=hood.alice,
        subject=request_,
        payload={
            "request": request_.pk,
            "share_class": "A",
            "count": 1,
            "from_member_number": hood.membership("alice").member_number,
            "to_member_number": hood.membership("erin").member_number,
        },
    )


def test_nobody_else_withdraws_it(hood, request_):
    events = AuditEvent.objects.count()

    with pytest.raises(NotAllowed):
        services.withdraw_transfer_request(request_, actor=hood.carol)

    request_.refresh_from_db()
    assert request_.is_open
    assert AuditEvent.objects.count() == events


def test_a_withdrawn_request_cannot_be_withdrawn_again(hood, request_):
    services.withdraw_transfer_request(request_, actor=hood.alice)
    events = AuditEvent.objects.count()

    with pytest.raises(DomainError, match="withdrawn already"):
        services.withdraw_transfer_request(request_, actor=hood.alice)

    assert AuditEvent.objects.count() == events
