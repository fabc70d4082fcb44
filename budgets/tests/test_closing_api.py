"""The closing API: closed periods, closing a month or a year, the reconciliation of a bank
account, and the audit file."""

import datetime
from xml.etree import ElementTree as ET

import pytest

from budgets.tests.api_helpers import API, api
from budgets.tests.closing_books import books
from budgets.tests.test_closing_page import _written
from wijkbv.ledger import xaf
from wijkbv.ledger.models import PeriodClose
from wijkbv.ledger.services import close_period
from wijkbv.testing import today

pytestmark = pytest.mark.django_db

PERIODS = f"{API}closing/periods/"
AUDIT_FILE = f"{API}closing/audit-file/"


def _reconciliation(account):
    return f"{API}closing/bank-accounts/{account.pk}/reconciliation/"


def test_the_closed_periods_are_listed(hood):
    close_period(hood.cooperative, actor=hood.dave, until=datetime.date(2026, 1, 31))

    body = api(hood, "erin").get(PERIODS).json()

    assert [period["until"] for period in body] == ["2026-01-31"]


def test_the_treasurer_closes_a_year(hood):
    response = api(hood, "dave").post(PERIODS, {"year": 2025}, format="json")

    assert response.status_code == 201
    assert response.json()["until"] == "2025-12-31"


def test_open_items_must_be_confirmed_and_nothing_is_written_until_then(hood):
    books(hood)
    before = _written(hood)
    client = api(hood, "dave")

    refused = client.post(PERIODS, {"year": 2026, "month": 3}, format="json")

    assert refused.status_code == 400
    assert refused.json()["code"] == "open_items"
    assert "Something is still open in this period" in refused.json()["detail"]
    assert _written(hood) == before
    confirmed = client.post(
        PERIODS, {"year": 2026, "month": 3, "confirm_open_items": True}, format="json"
    )
    assert confirmed.status_code == 201 and confirmed.json()["until"] == "2026-03-31"


@pytest.mark.parametrize(
    "body, message",
    [
        ({"year": lambda: today().year}, "Only a period that has ended can be closed."),
        ({"year": 2026, "month": 1}, "already closed up to 2026-03-31"),
    ],
)
def test_a_period_that_cannot_be_closed_is_refused_with_the_ledgers_reason(hood, body, message):
    close_period(hood.cooperative, actor=hood.dave, until=datetime.date(2026, 3, 31))
    before = _written(hood)
    body = {key: value() if callable(value) else value for key, value in body.items()}

    response = api(hood, "dave").post(PERIODS, body, format="json")

    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert _written(hood) == before


@pytest.mark.parametrize("body", [{"year": "twee"}, {"year": 2026, "month": 13}, {}])
def test_a_body_that_does_not_parse_is_400(hood, body):
    before = _written(hood)

    response = api(hood, "dave").post(PERIODS, body, format="json")

    assert response.status_code == 400
    assert _written(hood) == before


def test_the_board_may_not_close(hood):
    before = _written(hood)

    response = api(hood, "carol").post(PERIODS, {"year": 2025}, format="json")

    assert response.status_code == 403
    assert "Only treasurer may do this." in response.json()["detail"]
    assert _written(hood) == before


def test_the_reconciliation_as_json(hood):
    bank = books(hood)

    body = api(hood, "carol").get(_reconciliation(bank), {"on": "2026-03-02"}).json()

    assert (body["ledger_balance"], body["bank_balance"], body["difference"]) == (
        "157.50",
        "135.00",
        "22.50",
    )
    assert body["explained"] is True and body["unexplained"] == "0.00"
    assert sorted(item["kind"] for item in body["items"]) == [
        "not_booked",
        "not_in_bank",
        "not_in_bank",
        "opening",
    ]


def test_the_reconciliation_at_the_end_of_a_closed_period(hood):
    bank = books(hood)
    period = close_period(hood.cooperative, actor=hood.dave, until=datetime.date(2026, 3, 1))

    body = api(hood, "erin").get(_reconciliation(bank), {"period": period.pk}).json()

    assert body["on"] == "2026-03-01" and body["ledger_balance"] == "100.00"


@pytest.mark.parametrize(
    "query, message",
    [
        ({"on": "gisteren"}, "Fill in a date as 2026-01-31."),
        ({"on": "2026-02-30"}, "Fill in a date as 2026-01-31."),
        ({"period": "999"}, "Choose a closed period from the list."),
        ({"period": "x"}, "Choose a closed period from the list."),
    ],
)
def test_a_bad_date_or_period_is_400(hood, query, message):
    bank = books(hood)

    response = api(hood, "dave").get(_reconciliation(bank), query)

    assert response.status_code == 400
    assert response.json()["detail"] == message


def test_another_cooperatives_bank_account_is_not_found(hood):
    bank = books(hood)

    assert api(hood, "olivia").get(_reconciliation(bank)).status_code == 403
    assert (
        api(hood, "dave").get(f"{API}closing/bank-accounts/9999/reconciliation/").status_code == 404
    )
    # Olivia is on the board of her own cooperative: through it, our account does not exist.
    other = f"/api/v1/c/elders/budgets/closing/bank-accounts/{bank.pk}/reconciliation/"
    assert api(hood, "olivia").get(other).status_code == 404


def test_the_audit_file_of_a_year(hood):
    books(hood)

    response = api(hood, "erin").get(AUDIT_FILE, {"year": "2026"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert 'filename="teststad-2026.xaf"' in response["Content-Disposition"]
    root = ET.fromstring(b"".join(response.streaming_content))
    assert root.find(f"{{{xaf.NAMESPACE}}}header/{{{xaf.NAMESPACE}}}fiscalYear").text == "2026"


@pytest.mark.parametrize("year", ["twee", "1800", "2999"])
def test_a_year_outside_the_books_is_400(hood, year):
    response = api(hood, "dave").get(AUDIT_FILE, {"year": year})

    assert response.status_code == 400
    assert "Choose a year of the books" in response.json()["detail"]


def test_the_board_does_not_get_the_audit_file(hood):
    assert api(hood, "carol").get(AUDIT_FILE).status_code == 403
    assert not PeriodClose.objects.exists()
