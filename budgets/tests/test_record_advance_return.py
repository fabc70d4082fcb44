"""The treasurer records the money a resident returned of an advance: bank debited, the
advances account credited, and the advance settled."""

import datetime

import pytest
from django.utils import timezone

from budgets import services
from budgets.models import AdvanceStatus
from budgets.tests.expense_helpers import approved, ask_advance, expense_written, pay, pdf_bytes
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.models import Account, Purpose
from wijkbv.ledger.selectors import balance

pytestmark = pytest.mark.django_db


@pytest.fixture
def owed(hood, project_budget):
    advance = approved(hood, ask_advance(hood, project_budget))
    pay(hood, advances=[advance])
    advance.refresh_from_db()
    return services.settle_advance(
        advance, actor=hood.alice, spent="60", receipts_files=[(pdf_bytes(), "bon.pdf")]
    )


def test_the_treasurer_records_the_return(hood, owed):
    with captures_events(hood.cooperative) as events:
        booked = services.record_advance_return(owed, actor=hood.dave)
    owed.refresh_from_db()
    assert (owed.status, owed.returned_on) == (AdvanceStatus.SETTLED, timezone.localdate())
    advances = Account.objects.get(cooperative=hood.cooperative, purpose=Purpose.ADVANCES)
    assert balance(advances).amount == 0
    event = assert_audit_event(events, action="advance.returned", actor=hood.dave, subject=booked)
    assert event.payload["lines"] == [["1000", "40.00"], ["1300", "-40.00"]]
    assert event.payload["returned"] == "40.00"


def _refused(hood, advance, message, error=DomainError, actor="dave", **options):
    before = expense_written(hood.cooperative)
    with pytest.raises(error, match=message):
        services.record_advance_return(advance, actor=hood.people[actor], **options)
    assert expense_written(hood.cooperative) == before


def test_a_return_is_recorded_once(hood, owed):
    services.record_advance_return(owed, actor=hood.dave)
    _refused(hood, owed, "Nothing is owed")


def test_a_date_to_come_is_refused(hood, owed):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    _refused(hood, owed, "has not come yet", received_on=tomorrow)


@pytest.mark.parametrize("name", ["alice", "carol"])
def test_only_the_treasurer_records_it(hood, owed, name):
    _refused(hood, owed, None, error=NotAllowed, actor=name)
