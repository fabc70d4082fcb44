import datetime

import pytest

from budgets import services
from budgets.models import FundingStream
from budgets.tests.conftest import END, START, written
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.models import Account, Purpose

pytestmark = pytest.mark.django_db


def _add(hood, partner, actor="carol", **changes):
    fields = {
        "funder": partner,
        "name": "Gezond in de wijk",
        "committed": "15000",
        "starts_on": START,
        "ends_on": END,
        "earmark": ["elderly", "care", "care"],
        "conditions": "Alleen voor activiteiten in de wijk.",
        "reporting": "Jaarverslag voor 1 maart.",
    } | changes
    return services.add_funding_stream(hood.cooperative, actor=hood.people[actor], **fields)


def test_the_board_adds_a_stream_with_its_own_fund_account(hood, funder):
    with captures_events(hood.cooperative) as events:
        stream = _add(hood, funder)
    assert stream.earmark == ["care", "elderly"]
    assert str(stream.committed) == "15000.00"
    account = stream.account
    assert account.purpose == Purpose.FUNDING_STREAM
    assert account.type == "liability"
    assert account.code == "2001"
    assert account.stands_for == f"budgets.fundingstream:{stream.pk}"
    assert_audit_event(
        events,
        action="budget.stream_added",
        actor=hood.carol,
        subject=stream,
        payload={
            "name": "Gezond in de wijk",
            "funder": funder.name,
            "committed": "15000.00",
            "currency": "EUR",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "earmark": ["care", "elderly"],
            "account": "2001",
            "payer_account_known": False,
        },
    )


def test_the_funders_account_is_stored_compact_and_kept_out_of_the_chain(hood, funder):
    with captures_events(hood.cooperative) as events:
        stream = _add(hood, funder, payer_iban="nl39 rabo 0300 0652 64")
    assert stream.payer_iban == "NL39RABO0300065264"
    assert events[-1].payload["payer_account_known"] is True
    assert "NL39RABO0300065264" not in str(events[-1].payload)


def test_each_stream_gets_the_next_fund_code(hood, funder):
    first = _add(hood, funder, actor="dave")
    second = _add(hood, funder, name="Fonds voor de buurt", earmark=[])
    assert (first.account.code, second.account.code) == ("2001", "2002")
    assert second.is_free


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": " "}, "Fill in a name"),
        ({"committed": "0"}, "Fill in an amount"),
        ({"committed": "12,345"}, "Fill in an amount"),
        ({"committed": "abc"}, "Fill in an amount"),
        ({"ends_on": datetime.date(2025, 12, 31)}, "end date comes before"),
        ({"starts_on": "not a date"}, "Fill in a date"),
        ({"earmark": ["care", "parking"]}, "themes from the list"),
        ({"earmark": "care"}, "themes from the list"),
        ({"funder": None}, "partner organisations"),
        ({"payer_iban": "NL39RABO0300065265"}, "not a valid IBAN"),
        ({"payer_iban": 12}, "not a valid IBAN"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(hood, funder, changes, message):
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match=message):
        _add(hood, funder, **changes)
    assert written(hood.cooperative) == before


def test_a_name_is_used_once(hood, funder):
    _add(hood, funder)
    before = written(hood.cooperative)
    with pytest.raises(DomainError, match="already a funding stream"):
        _add(hood, funder, name="gezond in de WIJK")
    assert written(hood.cooperative) == before


@pytest.mark.parametrize("name", ["alice", "bob", "erin", "frank"])
def test_only_the_board_and_treasurer_add_streams(hood, funder, name):
    with pytest.raises(NotAllowed):
        _add(hood, funder, actor=name)
    assert not FundingStream.objects.exists()
    assert not Account.objects.filter(purpose=Purpose.FUNDING_STREAM, code="2001").exists()


def test_a_funder_of_another_cooperative_is_refused(hood):
    from members.models import PartnerOrganisation
    from members.services import add_partner_organisation

    elsewhere = add_partner_organisation(hood.other, actor=None, name="Fonds", sector="business")
    assert isinstance(elsewhere, PartnerOrganisation)
    with pytest.raises(DomainError, match="partner organisations"):
        _add(hood, elsewhere)
