"""The reports through the API: the same numbers as the pages, as JSON, and a period that cannot
be read refused with 400 and the reason."""

import pytest

from budgets.tests.api_helpers import API, api
from budgets.tests.conftest import written
from budgets.tests.report_helpers import a_year_of_books
from wijkbv.testing import last_year

pytestmark = pytest.mark.django_db

REPORTS = f"{API}reports/"


def test_the_balance_sheet_as_json(hood, stream):
    proposal = a_year_of_books(hood, stream)

    body = api(hood, "erin").get(f"{REPORTS}balance-sheet/").json()

    sections = {section["key"]: section for section in body["sections"]}
    assert sections["assets"]["lines"] == [
        {"code": "1000", "name": "Bankrekening", "amount": "9750.00"}
    ]
    assert sections["budgets"]["lines"][0]["code"] == proposal.budget_account.code
    assert sections["equity"]["total"] == "950.00"
    assert body["result_not_closed"] == "50.00"
    assert (body["total_assets"], body["total_liabilities_and_equity"]) == ("9750.00", "9750.00")
    assert body["balances"] is True


def test_income_and_expenditure_as_json(hood, stream):
    a_year_of_books(hood, stream)

    body = api(hood, "carol").get(f"{REPORTS}income-and-expenditure/?period=last_year").json()

    assert (body["from"], body["to"]) == (f"{last_year()}-01-01", f"{last_year()}-12-31")
    assert body["income"]["lines"][0]["amount"] == "1200.00"
    assert body["expenses"]["total"] == "300.00"
    assert body["result"] == "900.00"


def test_the_stream_report_as_json(hood, stream):
    a_year_of_books(hood, stream)

    body = api(hood, "dave").get(f"{REPORTS}funding-streams/?stream={stream.pk}").json()

    assert body["streams"] == [
        {
            "stream": stream.pk,
            "name": "Wijkbudget",
            "received": "10000.00",
            "allocated": "2700.00",
            "spent": "1200.00",
            "left_in_fund": "7300.00",
            "left_in_budgets": "1500.00",
        }
    ]
    assert body["totals"]["received"] == "10000.00"


@pytest.mark.parametrize(
    "report, query, field, message",
    [
        ("income-and-expenditure", "from=2026-03-01&to=2026-02-01", "from", "comes after"),
        ("balance-sheet", "to=2026-13-01", "to", "This is not a date."),
        ("balance-sheet", "from=1900-01-01&to=2026-01-01", "from", "at most 10 years"),
        ("funding-streams", "period=soon", "period", "Choose a period from the list."),
        ("funding-streams", "stream=999", "stream", "There is no such funding stream."),
    ],
)
def test_a_period_that_cannot_be_read_is_refused(hood, stream, report, query, field, message):
    before = written(hood.cooperative)

    response = api(hood, "dave").get(f"{REPORTS}{report}/?{query}")

    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert response.json()["field"] == field
    assert written(hood.cooperative) == before


def test_a_funder_may_not_read_the_reports(hood):
    response = api(hood, "frank").get(f"{REPORTS}balance-sheet/")

    assert response.status_code == 403
