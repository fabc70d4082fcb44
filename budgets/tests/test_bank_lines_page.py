"""The statements and lines of a bank account, newest first, with "not booked yet"."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets import services
from budgets.models import BankLine, BankLineStatus
from budgets.tests.bank_page_helpers import add_account
from budgets.tests.page_helpers import BASE, client, page
from budgets.tests.statement_files import camt, line, many_lines, statement

pytestmark = pytest.mark.django_db


def _import(hood, data):
    return services.import_statement(
        hood.cooperative, actor=hood.dave, data=data, file_name="afschrift.xml"
    )


def _url(account):
    return f"{BASE}/money/bank/{account.pk}/"


@pytest.mark.parametrize("name", ["dave", "carol", "erin"])
def test_the_statements_and_lines_are_shown(hood, name):
    account = add_account(hood)
    _import(hood, camt(statement(1, "100.00", [line("25.50", name="Buurtkas", remittance="Huur")])))

    text = page(client(hood, name).get(_url(account)))

    assert "100.00" in text and "125.50" in text
    assert "Buurtkas" in text and "Huur" in text and "Not matched yet" in text


def test_the_filter_shows_only_lines_not_booked_yet(hood):
    account = add_account(hood)
    lines = [
        line("1", remittance="Eerste"),
        line("2", remittance="Tweede"),
        line("3", remittance="Derde"),
    ]
    _import(hood, camt(statement(1, "0", lines)))
    BankLine.objects.filter(remittance="Eerste").update(status=BankLineStatus.BOOKED)
    BankLine.objects.filter(remittance="Derde").update(status=BankLineStatus.MATCHED)

    text = page(client(hood, "dave").get(_url(account) + "?status=open"))

    assert "Tweede" in text and "Derde" in text and "Eerste" not in text


def test_lines_are_paginated_by_fifty(hood):
    account = add_account(hood)
    _import(hood, many_lines(60))

    first = page(client(hood, "dave").get(_url(account)))
    second = page(client(hood, "dave").get(_url(account) + "?page=2"))

    assert first.count("<td>") - second.count("<td>") > 0
    assert "Page 1 of 2" in first and "Page 2 of 2" in second


def test_the_page_takes_as_many_queries_for_sixty_lines_as_for_ten(hood, django_assert_num_queries):
    account = add_account(hood)
    _import(hood, many_lines(10))
    browser = client(hood, "dave")
    browser.get(_url(account))
    # Ten lines, then sixty: more than one page of lines.
    with CaptureQueriesContext(connection) as few:
        browser.get(_url(account))
    _import_many(hood, account)
    with django_assert_num_queries(len(few)):
        browser.get(_url(account))


def _import_many(hood, account):
    """Fifty lines more on the same account, in a statement that follows on."""
    last = account.statements.order_by("-closing_date").first()
    lines = [line(f"{n + 1}.00", reference=f"B-{n}", on=last.closing_date) for n in range(50)]
    _import(
        hood,
        camt(
            statement(
                2,
                str(last.closing_balance),
                lines,
                opens=last.closing_date,
                closes=last.closing_date,
            )
        ),
    )
