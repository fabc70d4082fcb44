import pytest

from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger import services
from wijkbv.ledger.models import Account, AccountType, Balance, Purpose
from wijkbv.ledger.selectors import balance
from wijkbv.ledger.testing import euros


def _open(hood, actor="dave", **values):
    fields = dict(
        code="2101",
        name="Buurtmoestuin",
        type=AccountType.LIABILITY,
        purpose=Purpose.PROJECT_BUDGET,
    )
    fields.update(values)
    return services.open_account(hood.cooperative, actor=hood.people[actor], **fields)


def _refused(hood, message, error=DomainError, **values):
    before = Account.objects.count()
    with captures_events(hood.cooperative) as events:
        with pytest.raises(error, match=message):
            _open(hood, **values)
    assert Account.objects.count() == before
    assert events == []


def test_it_opens_an_account_with_a_zero_balance_and_records_it(hood):
    partner = hood.cooperative.partner_organisations.get()
    with captures_events(hood.cooperative) as events:
        opened = _open(hood, stands_for=partner)
    assert_audit_event(
        events,
        action="ledger.account_opened",
        actor=hood.dave,
        subject=opened,
        payload={
            "code": "2101",
            "name": "Buurtmoestuin",
            "type": "liability",
            "purpose": "project_budget",
            "currency": "EUR",
            "stands_for": f"members.partnerorganisation:{partner.pk}",
        },
    )
    assert balance(opened) == euros(0)
    assert Balance.objects.filter(account=opened).exists()


def test_it_refuses_a_code_that_is_taken(hood):
    _refused(hood, "There is already an account with this code", code="1000")


def test_it_refuses_a_project_budget_that_is_not_a_liability(hood):
    _refused(hood, "A project budget is money owed to the project", type=AccountType.ASSET)


def test_it_refuses_an_unknown_type(hood):
    _refused(hood, "Choose the type of account", type="loan")


def test_it_refuses_an_empty_name(hood):
    _refused(hood, "Fill in a name", name="")


def test_it_refuses_a_second_account_for_the_same_thing(hood):
    partner = hood.cooperative.partner_organisations.get()
    _open(hood, stands_for=partner)
    _refused(hood, "This already has an account", code="2102", stands_for=partner)


def test_a_resident_may_not_open_an_account(hood):
    _refused(hood, "Only treasurer or board member may do this", NotAllowed, actor="alice")
