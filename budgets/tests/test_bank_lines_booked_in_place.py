"""Booking a bank line rewrites it within its page and touches none of its indexes, on
PostgreSQL (migration budgets 0010, ADR 0069): neither the status nor the transaction of a line
is in an index, and its pages keep room for the booked version."""

import pytest
from django.db import connection

from budgets import services
from budgets.models import BankLineStatus
from budgets.tests.bank_lines import bank_account, import_lines, other, pays, subscription
from shares import services as share_services
from wijkbv.ledger.models import Account, AccountType

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _updates() -> tuple[int, int]:
    """The bank lines this transaction updated: in all, and within their page alone."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables "
            "WHERE relname = 'budgets_bankline'"
        )
        return cursor.fetchone()


def test_matching_books_lines_without_writing_their_indexes(hood):
    bank_account(hood)
    paid = subscription(hood)
    part_paid = share_services.subscribe_to_shares(paid.share_class, actor=hood.alice, count=2)
    lines = import_lines(hood, pays(paid), pays(part_paid, "5.00"), other("-30.00"))
    before = _updates()
    result = services.match_bank_lines(hood.cooperative, actor=hood.dave)
    assert result["booked"] == 1 and result["suggested"] == 1
    updated, in_place = (after - earlier for after, earlier in zip(_updates(), before))
    assert updated >= 2
    assert in_place == updated
    for line in lines:
        line.refresh_from_db()
    assert [line.status for line in lines] == [
        BankLineStatus.BOOKED,
        BankLineStatus.MATCHED,
        BankLineStatus.UNMATCHED,
    ]


def test_booking_a_line_by_hand_writes_no_index_either(hood):
    bank_account(hood)
    (line,) = import_lines(hood, other("-30.00"))
    before = _updates()
    costs = Account.objects.filter(cooperative=hood.cooperative, type=AccountType.EXPENSE)
    booked = services.book_bank_line(line, actor=hood.dave, account=costs.first())
    updated, in_place = (after - earlier for after, earlier in zip(_updates(), before))
    assert booked.pk and updated == 1 and in_place == 1


def test_pages_of_lines_keep_half_their_room():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'budgets_bankline'")
        assert cursor.fetchone()[0] == ["fillfactor=50"]
