import pytest

from budgets import services
from budgets.models import BankAccount
from wijkbv.audit.models import AuditEvent
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


def _add(hood, actor="dave", **changes):
    fields = {"iban": "nl91 abna 0417 1643 00", "name": "Betaalrekening"} | changes
    return services.add_bank_account(hood.cooperative, actor=hood.people[actor], **fields)


def _written(hood):
    return (
        BankAccount.objects.filter(cooperative=hood.cooperative).count(),
        AuditEvent.objects.filter(cooperative=hood.cooperative).count(),
    )


def test_the_treasurer_adds_an_account_stored_compact_and_booked_on_the_bank(hood):
    with captures_events(hood.cooperative) as events:
        account = _add(hood)
    assert account.iban == "NL91ABNA0417164300"
    assert account.ledger_account.code == "1000"
    assert_audit_event(
        events,
        action="bank.account_added",
        actor=hood.dave,
        subject=account,
        payload={
            "account_iban": "NL91ABNA0417164300",
            "name": "Betaalrekening",
            "ledger_account": "1000",
        },
    )


def test_the_board_adds_an_account_too(hood):
    assert _add(hood, actor="carol").name == "Betaalrekening"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"iban": "NL91ABNA0417164301"}, "not a valid IBAN"),
        ({"iban": ""}, "not a valid IBAN"),
        ({"iban": None}, "not a valid IBAN"),
        ({"name": "  "}, "Fill in a name"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(hood, changes, message):
    before = _written(hood)
    with pytest.raises(DomainError, match=message):
        _add(hood, **changes)
    assert _written(hood) == before


def test_an_account_is_added_once(hood):
    _add(hood)
    before = _written(hood)
    with pytest.raises(DomainError, match="already been added"):
        _add(hood, iban="NL91ABNA0417164300", name="Nog eens")
    assert _written(hood) == before


@pytest.mark.parametrize("name", ["alice", "bob", "erin", "frank", "olivia"])
def test_only_the_treasurer_and_board_add_accounts(hood, name):
    with pytest.raises(NotAllowed):
        _add(hood, actor=name)
    assert not BankAccount.objects.exists()
