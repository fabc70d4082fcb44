import datetime

import pytest

from wijkbv.ledger import services
from wijkbv.ledger.chart import STANDARD_CHART
from wijkbv.ledger.lines import credit, debit
from wijkbv.ledger.selectors import balance, balance_as_of, balances, balances_by_type, natural
from wijkbv.ledger.testing import account, euros


def _gift(hood, day, amount):
    services.post_transaction(
        hood.cooperative,
        actor=None,
        booking_date=day,
        description="Gift",
        lines=[
            debit(account(hood.cooperative, "1000"), euros(amount)),
            credit(account(hood.cooperative, "8000"), euros(amount)),
        ],
    )


def _days(first, count):
    return [first + datetime.timedelta(days=n) for n in range(count)]


@pytest.mark.parametrize("postings", [2, 40])
def test_a_balance_is_one_query_whatever_the_number_of_postings(
    hood, django_assert_num_queries, postings
):
    for day in _days(datetime.date(2026, 1, 1), postings):
        _gift(hood, day, 1)
    bank = account(hood.cooperative, "1000")
    with django_assert_num_queries(1):
        assert balance(bank) == euros(postings)


def test_a_balance_as_of_a_date_counts_the_postings_up_to_that_day(hood):
    for day in _days(datetime.date(2026, 1, 1), 10):
        _gift(hood, day, 2)
    bank = account(hood.cooperative, "1000")
    assert balance_as_of(bank, datetime.date(2025, 12, 31)) == euros(0)
    assert balance_as_of(bank, datetime.date(2026, 1, 3)) == euros(6)
    assert balance_as_of(bank, datetime.date(2026, 2, 1)) == euros(20)


def test_a_balance_as_of_a_date_starts_from_the_last_closing(hood, django_assert_max_num_queries):
    for day in _days(datetime.date(2026, 1, 1), 10):
        _gift(hood, day, 2)
    services.close_period(hood.cooperative, actor=hood.dave, until=datetime.date(2026, 1, 5))
    bank = account(hood.cooperative, "1000")
    with django_assert_max_num_queries(2):
        assert balance_as_of(bank, datetime.date(2026, 1, 7)) == euros(14)
    assert balance_as_of(bank, datetime.date(2026, 1, 5)) == euros(10)
    assert balance_as_of(bank, datetime.date(2026, 1, 2)) == euros(4)


def test_balances_by_type_add_up_the_accounts_of_each_type(hood):
    _gift(hood, datetime.date(2026, 1, 1), 30)
    totals = balances_by_type(hood.cooperative)
    assert totals == {
        "asset": euros(30),
        "liability": euros(0),
        "equity": euros(0),
        "income": euros(-30),
        "expense": euros(0),
    }


@pytest.mark.parametrize("extra_accounts", [0, 20])
def test_the_list_of_balances_is_one_query(hood, django_assert_num_queries, extra_accounts):
    for n in range(extra_accounts):
        services.open_account(
            hood.cooperative, actor=None, code=f"9{n:03}", name=f"Extra {n}", type="expense"
        )
    with django_assert_num_queries(1):
        listed = balances(hood.cooperative)
    assert len(listed) == len(STANDARD_CHART) + extra_accounts


def test_a_natural_balance_reads_the_way_people_say_it(hood):
    _gift(hood, datetime.date(2026, 1, 1), 30)
    bank = account(hood.cooperative, "1000")
    gifts = account(hood.cooperative, "8000")
    assert natural(bank, balance(bank)) == euros(30)
    assert natural(gifts, balance(gifts)) == euros(30)
