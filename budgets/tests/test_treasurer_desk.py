"""The treasurer's desk on the money page and the pages of deciding together: what waits (lines
to match, expenses and advances to approve, open advances with their age, payments to make) and
a link to each page of the money work, only for those who may open it."""

import datetime
import re

import pytest
from django.utils import timezone

from budgets import services
from budgets.desk import desk
from budgets.models import Advance, BankLine
from budgets.tests.expense_helpers import (
    COOPERATIVE_IBAN,
    approved,
    ask_advance,
    bank,
    claim,
    pay,
)
from budgets.tests.page_helpers import BASE, client, page
from budgets.tests.statement_files import camt, line, statement

pytestmark = pytest.mark.django_db

MONEY_PAGES = [f"{BASE}/money/", f"{BASE}/", f"{BASE}/board/"]


def _desk_links(html: str) -> list[str]:
    found = re.search(r'<nav class="desk".*?</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', found.group(0)) if found else []


def _lines(hood, account, amounts):
    services.import_statement(
        hood.cooperative,
        actor=hood.dave,
        data=camt(
            statement(
                account.pk,
                "500.00",
                [line(amount, remittance=f"Regel {n}") for n, amount in enumerate(amounts)],
                iban=COOPERATIVE_IBAN,
            )
        ),
        file_name=f"afschrift-{len(amounts)}.xml",
    )


@pytest.fixture
def month(hood, project_budget):
    """Two claims waiting (one approved once), one approved to pay, an advance asked for, two
    paid advances (one of them settled with money to return), and three bank lines of which one
    waits with a suggestion."""
    account = bank(hood)
    claim(hood, project_budget)
    services.approve_expense(claim(hood, project_budget, amount="12.00"), actor=hood.dave)
    approved(hood, claim(hood, project_budget, amount="30.00"))
    ask_advance(hood, project_budget, amount="20.00")
    paid = [approved(hood, ask_advance(hood, project_budget, amount=a)) for a in ("50", "60")]
    pay(hood, advances=paid, bank_account=account)
    services.settle_advance(paid[1], actor=hood.alice, spent="0")
    _lines(hood, account, ["10.00", "-4.50", "25.00"])
    BankLine.objects.filter(remittance="Regel 2").update(
        status="matched", suggested_kind="stream", suggested_key="1", suggested_confidence=0.6
    )
    return account


def test_it_counts_what_waits_for_the_treasurer(hood, month):
    Advance.objects.filter(status="paid").update(
        paid_on=timezone.localdate() - datetime.timedelta(days=40)
    )

    found = desk(hood.cooperative, hood.membership("dave"))

    assert (found.expenses_to_approve, found.advances_to_approve) == (2, 1)
    assert (found.advances_open, found.oldest_advance_days) == (2, 40)
    assert found.to_pay == 1
    (account,) = found.bank_accounts
    assert (account.to_match, account.suggested) == (3, 1)
    assert found.lines_to_match == 3


def test_the_money_page_shows_the_counts_with_links(hood, month):
    html = page(client(hood, "dave").get(f"{BASE}/money/"))

    assert "Betaalrekening: 3 lines to match" in html
    assert "(1 with a suggestion)" in html
    assert "2 expenses wait for approval" in html
    assert "1 advance waits for approval" in html
    assert "2 advances are open" in html
    assert "(the oldest was paid 0 days ago)" in html
    assert "1 approved payment to make" in html
    assert f"{BASE}/money/bank/{month.pk}/" in _desk_links(html)


@pytest.mark.parametrize("name", ["dave", "carol", "erin"])
def test_every_link_on_the_desk_opens_for_who_sees_it(hood, month, name):
    browser = client(hood, name)
    shown = 0
    for url in MONEY_PAGES:
        response = browser.get(url)
        if response.status_code == 403:  # the board's page is not the audit committee's
            continue
        links = _desk_links(page(response))
        assert links, url
        shown += 1
        for link in links:
            assert browser.get(link).status_code == 200, link
    assert shown >= 2


def test_each_person_gets_the_links_their_role_opens(hood, month):
    def paths(name):
        return {
            link.split("?")[0] for link in _desk_links(page(client(hood, name).get(BASE + "/")))
        }

    money = f"{BASE}/money"
    treasurer, board, audit = paths("dave"), paths("carol"), paths("erin")
    assert {f"{money}/bank/import/", f"{money}/close-year/", f"{money}/closing/audit-file/"} <= (
        treasurer
    )
    assert f"{money}/bank/import/" not in board | audit
    assert f"{money}/close-year/" not in board | audit
    assert f"{money}/closing/audit-file/" not in board
    assert f"{money}/closing/audit-file/" in audit
    for link in treasurer - board:
        assert client(hood, "carol").get(link).status_code == 403, link


@pytest.mark.parametrize("name", ["alice", "bob"])
def test_residents_and_coordinators_see_no_desk(hood, month, name):
    for url in MONEY_PAGES:
        response = client(hood, name).get(url)
        if response.status_code == 200:
            assert 'class="desk"' not in page(response), url
    assert desk(hood.cooperative, hood.membership(name)) is None


def test_it_reads_the_desk_in_the_same_number_of_queries_at_two_sizes(
    hood, month, project_budget, django_assert_max_num_queries
):
    dave = hood.membership("dave")
    with django_assert_max_num_queries(3):
        small = desk(hood.cooperative, dave)
    for _ in range(5):
        claim(hood, project_budget, amount="1.00")
    services.add_bank_account(
        hood.cooperative, actor=hood.dave, iban="NL91ABNA0417164300", name="Spaarrekening"
    )
    with django_assert_max_num_queries(3):
        large = desk(hood.cooperative, dave)
    assert (small.expenses_to_approve, large.expenses_to_approve) == (2, 7)
    assert len(large.bank_accounts) == 2
