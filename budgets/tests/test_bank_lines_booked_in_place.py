"""Booking a bank line rewrites it within its page and touches none of its indexes, on
PostgreSQL (migration budgets 0010, ADR 0069): neither the status nor the transaction of a line
is in an index, and its pages keep room for the booked version."""

import pytest

from budgets import services
from budgets.models import BankLineStatus
from budgets.tests.bank_lines import bank_account, import_lines, other, pays, subscription
from shares import services as share_services
from wijkbv.ledger.models import Account, AccountType
from wijkbv.postgres_testing import storage_options, updates_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_matching_books_lines_without_writing_their_indexes(hood):
    bank_account(hood)
    paid = subscription(hood)
    part_paid = share_services.subscribe_to_shares(paid.share_class, actor=hood.alice, count=2)
    lines = import_lines(hood, pays(paid), pays(part_paid, "5.00"), other("-30.00"))
    with updates_of("budgets_bankline") as updates:
        result = services.match_bank_lines(hood.cooperative, actor=hood.dave)
    assert result["booked"] == 1 and result["suggested"] == 1
    assert updates.all >= 2
    assert updates.in_place == updates.all
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
    costs = Account.objects.filter(cooperative=hood.cooperative, type=AccountType.EXPENSE)
    with updates_of("budgets_bankline") as updates:
        booked = services.book_bank_line(line, actor=hood.dave, account=costs.first())
    assert booked.pk and updates.all == 1 and updates.in_place == 1


def test_pages_of_lines_keep_half_their_room():
    assert storage_options("budgets_bankline") == ["fillfactor=50"]
