"""The treasurer presses "Match the lines" on a bank account's lines page: sure matches are
booked, the page says how many were booked, wait with a suggestion and matched nothing."""

import pytest

from budgets.models import BankLine, BankLineStatus
from budgets.tests.bank_action_helpers import line_elsewhere, lines_url
from budgets.tests.bank_lines import bank_account, import_lines, other, pays, subscription, written
from budgets.tests.page_helpers import client, page
from shares.models import SubscriptionStatus

pytestmark = pytest.mark.django_db


def _three_lines(hood):
    """One line pays the subscription, one pays it with the wrong amount, one pays nothing."""
    account = bank_account(hood)
    wanted = subscription(hood)
    import_lines(hood, pays(wanted, "20.00"), pays(wanted, "15.00"), other("5.00"))
    return account, wanted


def test_it_books_sure_matches_and_says_what_waits(hood):
    account, wanted = _three_lines(hood)

    response = client(hood, "dave").post(lines_url(account) + "match/", follow=True)

    assert response.redirect_chain == [(lines_url(account), 302)]
    assert (
        "Matching is done. Booked: 1. Waiting for you with a suggestion: 1. Not matched yet: 1."
        in page(response)
    )
    wanted.refresh_from_db()
    assert wanted.status == SubscriptionStatus.PAID
    statuses = list(BankLine.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [BankLineStatus.BOOKED, BankLineStatus.MATCHED, BankLineStatus.UNMATCHED]


def test_the_button_is_shown_to_the_treasurer_only(hood):
    account, _wanted = _three_lines(hood)

    assert "Match the lines" in page(client(hood, "dave").get(lines_url(account)))
    for name in ("carol", "erin"):
        assert "Match the lines" not in page(client(hood, name).get(lines_url(account)))


@pytest.mark.parametrize("name", ["carol", "erin"])
def test_the_board_and_audit_committee_may_not_match(hood, name):
    account, _wanted = _three_lines(hood)
    before = written(hood)

    response = client(hood, name).post(lines_url(account) + "match/")

    assert response.status_code == 403
    assert written(hood) == before


def test_a_bank_account_of_another_cooperative_is_not_found(hood):
    _three_lines(hood)
    elsewhere = line_elsewhere(hood).bank_account
    before = written(hood)

    response = client(hood, "dave").post(lines_url(elsewhere) + "match/")

    assert response.status_code == 404
    assert written(hood) == before


def test_a_get_does_not_match(hood):
    account, _wanted = _three_lines(hood)
    before = written(hood)

    assert client(hood, "dave").get(lines_url(account) + "match/").status_code == 405
    assert written(hood) == before
