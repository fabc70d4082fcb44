"""The treasurer accepts a waiting line's suggestion on the lines page; a refusal is shown
there and books nothing."""

import pytest

from budgets import services
from budgets.models import BankLineStatus
from budgets.tests.bank_action_helpers import line_elsewhere, lines_url, waiting_for_stream
from budgets.tests.bank_lines import (
    bank_account,
    fund_balance,
    import_lines,
    other,
    pays,
    subscription,
    written,
)
from budgets.tests.page_helpers import client, page
from budgets.tests.statement_files import DAY
from wijkbv.ledger.services import close_period

pytestmark = pytest.mark.django_db


def _accept(hood, account, line, name="dave"):
    url = f"{lines_url(account)}lines/{line.pk}/accept/"
    return client(hood, name).post(url, follow=True)


def test_accepting_books_the_line_as_its_suggestion_says(hood):
    account, stream, waiting = waiting_for_stream(hood)

    response = _accept(hood, account, waiting)

    assert response.redirect_chain == [(lines_url(account), 302)]
    assert "The suggestion has been accepted and the line booked." in page(response)
    waiting.refresh_from_db()
    assert waiting.status == BankLineStatus.BOOKED
    assert waiting.booked_transaction.action == "budget.stream_received"
    assert fund_balance(stream) == 1500


def test_the_lines_page_offers_the_treasurer_to_accept(hood):
    account, _stream, waiting = waiting_for_stream(hood)
    action = f"{lines_url(account)}lines/{waiting.pk}/accept/"

    assert action in page(client(hood, "dave").get(lines_url(account)))
    for name in ("carol", "erin"):
        assert action not in page(client(hood, name).get(lines_url(account)))


def _refused(hood, account, line, message):
    before = written(hood)
    response = _accept(hood, account, line)
    assert response.redirect_chain == [(lines_url(account), 302)]
    assert message in page(response)
    assert written(hood) == before


def test_a_line_booked_already_is_refused(hood):
    account, _stream, waiting = waiting_for_stream(hood)
    services.accept_suggestion(waiting, actor=hood.dave)
    _refused(hood, account, waiting, "This bank line has already been booked.")


def test_a_line_without_a_suggestion_is_refused(hood):
    account = bank_account(hood)
    (unknown,) = import_lines(hood, other("5.00"))
    _refused(hood, account, unknown, "no suggestion to accept: book it to an account.")


def test_a_suggestion_of_the_wrong_amount_is_refused(hood):
    account = bank_account(hood)
    wanted = subscription(hood)
    (short,) = import_lines(hood, pays(wanted, "15.00"))
    services.match_bank_lines(hood.cooperative, actor=hood.dave)
    _refused(hood, account, short, "is not what the subscription costs.")


def test_a_line_in_a_closed_period_is_refused(hood):
    account, _stream, waiting = waiting_for_stream(hood)
    close_period(hood.cooperative, actor=hood.dave, until=DAY)
    _refused(hood, account, waiting, "The books are closed up to 2026-03-02")


def test_a_line_of_another_cooperative_is_not_found(hood):
    account, _stream, _waiting = waiting_for_stream(hood)
    elsewhere = line_elsewhere(hood)
    before = written(hood)

    assert _accept(hood, account, elsewhere).status_code == 404
    assert _accept(hood, elsewhere.bank_account, elsewhere).status_code == 404
    assert written(hood) == before


@pytest.mark.parametrize("name", ["carol", "erin"])
def test_only_the_treasurer_accepts(hood, name):
    account, _stream, waiting = waiting_for_stream(hood)
    before = written(hood)

    assert _accept(hood, account, waiting, name).status_code == 403
    assert written(hood) == before
