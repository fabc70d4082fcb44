"""The numbers of the reports, against bookings made with the real services: the balance sheet
balances, the result of income and expenditure is the change in equity, and each funding
stream's received, allocated, spent and left add up."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets import services
from budgets.reports import books
from budgets.tests.report_helpers import (
    a_year_of_books,
    adopt,
    book,
    last_year_closed,
)
from wijkbv.ledger.services import reverse_transaction
from wijkbv.testing import last_year, today

pytestmark = pytest.mark.django_db


def this_year_start() -> datetime.date:
    return today().replace(month=1, day=1)


def last_year_start() -> datetime.date:
    return datetime.date(last_year(), 1, 1)


def last_year_end() -> datetime.date:
    return datetime.date(last_year(), 12, 31)


def _amounts(section):
    return {line.code: line.amount.amount for line in section.lines}


def _stream(report, name):
    (line,) = [line for line in report.lines if line.name == name]
    return [
        line.received.amount,
        line.allocated.amount,
        line.spent.amount,
        line.left_in_fund.amount,
        line.left_in_budgets.amount,
    ]


def _equity(hood, on):
    """Equity with the result not yet closed: what income and expenditure changes."""
    return books.balance_sheet(hood.cooperative, on).total_equity.amount


# The balance sheet


def test_the_balance_sheet_shows_each_account_in_its_part(hood, stream):
    proposal = a_year_of_books(hood, stream)

    sheet = books.balance_sheet(hood.cooperative, today())

    assert _amounts(sheet.assets) == {"1000": Decimal("9750.00")}
    assert _amounts(sheet.liabilities[0]) == {"2001": Decimal("7300.00")}
    assert _amounts(sheet.liabilities[1]) == {proposal.budget_account.code: Decimal("1500.00")}
    assert sheet.liabilities[2].lines == []
    assert _amounts(sheet.equity) == {"3100": Decimal("900.00"), "": Decimal("50.00")}
    assert sheet.result_not_closed.amount == Decimal("50.00")


def test_the_balance_sheet_balances_with_the_result_not_yet_closed(hood, stream):
    a_year_of_books(hood, stream)

    sheet = books.balance_sheet(hood.cooperative, today())

    assert sheet.assets.total.amount == Decimal("9750.00")
    assert sheet.total_liabilities_and_equity.amount == Decimal("9750.00")
    assert sheet.balances and not sheet.difference.amount


def test_the_balance_sheet_reads_the_book_as_it_was_on_the_date(hood, stream):
    a_year_of_books(hood, stream)

    sheet = books.balance_sheet(hood.cooperative, datetime.date(last_year(), 6, 30))

    assert _amounts(sheet.assets) == {"1000": Decimal("900.00")}
    # The year was not closed yet on that day: its result so far stands apart.
    assert _amounts(sheet.equity) == {"": Decimal("900.00")}
    assert sheet.balances


def test_accounts_with_nothing_on_them_are_left_out(hood):
    sheet = books.balance_sheet(hood.cooperative, today())

    assert [section.lines for section in sheet.sections] == [[]] * 5
    assert sheet.balances


def test_share_capital_is_equity(hood):
    book(hood, "1000", "3000", "250")

    sheet = books.balance_sheet(hood.cooperative, today())

    assert _amounts(sheet.equity) == {"3000": Decimal("250.00")}
    assert sheet.balances


# Income and expenditure


def test_income_and_expenditure_of_a_closed_year_leaves_out_the_closing(hood):
    last_year_closed(hood)

    report = books.income_and_expenditure(hood.cooperative, last_year_start(), last_year_end())

    assert _amounts(report.income) == {"8100": Decimal("1200.00")}
    assert _amounts(report.expenses) == {"4200": Decimal("300.00")}
    assert report.result.amount == Decimal("900.00")


def test_the_result_is_the_change_in_equity(hood, stream):
    a_year_of_books(hood, stream)
    for start, end in [(last_year_start(), last_year_end()), (last_year_start(), today())]:
        report = books.income_and_expenditure(hood.cooperative, start, end)
        change = _equity(hood, end) - _equity(hood, start - datetime.timedelta(days=1))

        assert report.result.amount == change


def test_only_the_period_counts(hood):
    book(hood, "1000", "8100", "40", datetime.date(last_year(), 2, 28))
    book(hood, "1000", "8100", "60", datetime.date(last_year(), 3, 1))
    book(hood, "4100", "1000", "5", datetime.date(last_year(), 3, 31))
    book(hood, "1000", "8200", "70", datetime.date(last_year(), 4, 1))

    march = books.income_and_expenditure(
        hood.cooperative, datetime.date(last_year(), 3, 1), datetime.date(last_year(), 3, 31)
    )

    assert _amounts(march.income) == {"8100": Decimal("60.00")}
    assert _amounts(march.expenses) == {"4100": Decimal("5.00")}
    assert march.result.amount == Decimal("55.00")


def test_a_reversal_takes_its_booking_back(hood):
    booking = book(hood, "1000", "8100", "80", datetime.date(last_year(), 3, 1))
    reverse_transaction(
        booking, actor=hood.dave, booking_date=datetime.date(last_year(), 3, 2), reason="Dubbel"
    )

    report = books.income_and_expenditure(hood.cooperative, last_year_start(), last_year_end())

    assert report.income.lines == [] and not report.result.amount


# Per funding stream


def test_each_stream_received_allocated_spent_and_left(hood, stream):
    a_year_of_books(hood, stream)

    report = books.funding_streams(hood.cooperative, this_year_start(), today())

    assert _stream(report, "Wijkbudget") == [10000, 2700, 1200, 7300, 1500]
    assert _stream(report, "Reinvestment reserve") == [0, 0, 0, 900, 0]
    assert report.totals.received.amount == 10000 and report.totals.left.amount == 9700


def test_the_numbers_of_a_stream_add_up(hood, stream):
    a_year_of_books(hood, stream)
    before = books.funding_streams(hood.cooperative, last_year_start(), last_year_end())
    report = books.funding_streams(hood.cooperative, this_year_start(), today())

    for earlier, line in zip(before.lines, report.lines, strict=True):
        assert line.left_in_fund == earlier.left_in_fund + line.received - line.allocated
        assert line.left_in_budgets == earlier.left_in_budgets + line.allocated - line.spent


def test_what_is_left_is_on_the_balance_sheet(hood, stream):
    a_year_of_books(hood, stream)

    report = books.funding_streams(hood.cooperative, this_year_start(), today())
    sheet = books.balance_sheet(hood.cooperative, today())

    funds, budgets, _other = sheet.liabilities
    reserve = _amounts(sheet.equity)["3100"]
    assert report.totals.left_in_fund.amount == funds.total.amount + reserve
    assert report.totals.left_in_budgets == budgets.total


def test_a_project_from_the_reserve_counts_for_the_reserve(hood):
    last_year_closed(hood)
    proposal = adopt(hood, None, title="Bankje", amount="400")
    book(hood, proposal.budget_account.code, "1000", "150")

    report = books.funding_streams(hood.cooperative, last_year_start(), today())

    assert _stream(report, "Reinvestment reserve") == [900, 400, 150, 500, 250]


def test_a_reversed_expense_is_no_longer_spent(hood, stream):
    proposal = adopt(hood, stream)
    paid = book(hood, proposal.budget_account.code, "1000", "500")
    reverse_transaction(paid, actor=hood.dave, reason="Verkeerd project")

    report = books.funding_streams(hood.cooperative, this_year_start(), today())

    assert _stream(report, "Wijkbudget") == [10000, 3000, 0, 7000, 3000]


def test_a_refund_to_the_funder_lowers_what_was_received(hood, stream):
    book(hood, stream.account.code, "1000", "1000", description="Terug naar de gemeente")

    report = books.funding_streams(hood.cooperative, this_year_start(), today())

    assert _stream(report, "Wijkbudget") == [9000, 0, 0, 9000, 0]


def test_one_stream_can_be_asked_for(hood, stream, funder):
    other = services.add_funding_stream(
        hood.cooperative,
        actor=hood.carol,
        funder=funder,
        name="Zorgfonds",
        committed="5000",
        starts_on=this_year_start(),
        ends_on=today(),
    )
    services.record_stream_receipt(other, actor=hood.dave, amount="700")

    report = books.funding_streams(hood.cooperative, this_year_start(), today(), stream=other)

    assert [line.name for line in report.lines] == ["Zorgfonds"]
    assert report.totals.received.amount == 700


# Queries


def _more_books(hood, stream, times):
    for number in range(times):
        proposal = adopt(hood, stream, title=f"Project {number}", amount="10")
        book(hood, proposal.budget_account.code, "1000", "4")
        book(hood, "1000", "8100", "3")
        book(hood, "4200", "1000", "2")


@pytest.mark.parametrize(
    "report",
    [
        lambda c: books.balance_sheet(c, today()),
        lambda c: books.income_and_expenditure(c, last_year_start(), today()),
        lambda c: books.funding_streams(c, last_year_start(), today()),
    ],
    ids=["balance_sheet", "income_and_expenditure", "funding_streams"],
)
def test_a_report_takes_as_many_queries_for_many_bookings_as_for_few(
    hood, stream, report, django_assert_num_queries
):
    _more_books(hood, stream, 1)
    with CaptureQueriesContext(connection) as few:
        report(hood.cooperative)
    _more_books(hood, stream, 6)
    with django_assert_num_queries(len(few)):
        report(hood.cooperative)
    assert len(few) <= 2
