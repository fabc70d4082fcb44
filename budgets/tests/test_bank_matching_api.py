"""The bank API for matching and booking lines: the treasurer matches, accepts a waiting
line's suggestion and books a line to an account by its code; each refusal answers 400 with
its message and writes nothing, another cooperative's line is not found."""

import pytest

from budgets import services
from budgets.models import BankLine, BankLineStatus
from budgets.tests.api_helpers import API, api
from budgets.tests.bank_action_helpers import line_elsewhere, waiting_for_stream
from budgets.tests.bank_lines import (
    bank_account,
    fund_balance,
    import_lines,
    other,
    pays,
    subscription,
    written,
)
from budgets.tests.statement_files import DAY
from shares.models import SubscriptionStatus
from wijkbv.ledger.models import Posting
from wijkbv.ledger.services import close_period

pytestmark = pytest.mark.django_db

MATCH = f"{API}bank/match/"


def _accept(line):
    return f"{API}bank/lines/{line.pk}/accept/"


def _book(line):
    return f"{API}bank/lines/{line.pk}/book/"


def test_matching_books_sure_matches_and_answers_the_counts(hood):
    bank_account(hood)
    wanted = subscription(hood)
    import_lines(hood, pays(wanted, "20.00"), pays(wanted, "15.00"), other("5.00"))

    response = api(hood, "dave").post(MATCH)

    assert response.status_code == 200
    assert response.json() == {"lines": 3, "booked": 1, "suggested": 1, "unmatched": 1}
    wanted.refresh_from_db()
    assert wanted.status == SubscriptionStatus.PAID


def test_the_lines_show_a_waiting_lines_suggestion(hood):
    account, stream, waiting = waiting_for_stream(hood)

    body = api(hood, "erin").get(f"{API}bank/accounts/{account.pk}/lines/").json()

    (listed,) = body["results"]
    assert listed["status"] == "matched"
    assert listed["booked_transaction"] is None
    assert listed["suggestion"]["kind"] == "stream"
    assert listed["suggestion"]["item"] == str(stream.pk)
    assert listed["suggestion"]["what"] == "Funding stream Buurtfonds"


def test_accepting_books_the_line_and_answers_it(hood):
    _account, stream, waiting = waiting_for_stream(hood)

    response = api(hood, "dave").post(_accept(waiting))

    assert response.status_code == 200
    waiting.refresh_from_db()
    body = response.json()
    assert (body["status"], body["suggestion"]) == ("booked", None)
    assert waiting.booked_transaction_id is not None
    assert body["booked_transaction"] == waiting.booked_transaction_id
    assert fund_balance(stream) == 1500


def test_booking_by_account_code_answers_the_booked_line(hood):
    account = bank_account(hood)
    (paid,) = import_lines(hood, other("-12.50"))

    response = api(hood, "dave").post(
        _book(paid), {"account": "4100", "description": "Bankkosten"}, format="json"
    )

    assert response.status_code == 200
    paid.refresh_from_db()
    assert response.json()["booked_transaction"] == paid.booked_transaction_id
    assert paid.status == BankLineStatus.BOOKED
    assert paid.booked_transaction.description == "Bankkosten"
    postings = dict(
        Posting.objects.filter(transaction=paid.booked_transaction).values_list(
            "account__code", "amount"
        )
    )
    assert postings == {account.ledger_account.code: -12.50, "4100": 12.50}


def _refused(hood, url, message, data=None):
    before = written(hood)
    response = api(hood, "dave").post(url, data, format="json")
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert written(hood) == before


def test_accepting_a_booked_line_is_refused(hood):
    _account, _stream, waiting = waiting_for_stream(hood)
    services.accept_suggestion(waiting, actor=hood.dave)
    _refused(hood, _accept(waiting), "This bank line has already been booked.")


def test_accepting_a_line_without_a_suggestion_is_refused(hood):
    bank_account(hood)
    (unknown,) = import_lines(hood, other("5.00"))
    _refused(hood, _accept(unknown), "no suggestion to accept")


def test_accepting_in_a_closed_period_is_refused(hood):
    _account, _stream, waiting = waiting_for_stream(hood)
    close_period(hood.cooperative, actor=hood.dave, until=DAY)
    _refused(hood, _accept(waiting), "The books are closed up to 2026-03-02")


@pytest.mark.parametrize("code", ["1000", "2100", "3000", "9999"])
def test_booking_to_an_account_not_offered_is_refused(hood, code):
    bank_account(hood)
    (rent,) = import_lines(hood, other("30.00"))
    _refused(
        hood,
        _book(rent),
        "Choose an income, cost or funding-stream account of this cooperative.",
        {"account": code},
    )


def test_booking_a_booked_line_is_refused(hood):
    bank_account(hood)
    (rent,) = import_lines(hood, other("30.00"))
    api(hood, "dave").post(_book(rent), {"account": "8100"}, format="json")
    _refused(hood, _book(rent), "This bank line has already been booked.", {"account": "8200"})


def test_booking_in_a_closed_period_is_refused(hood):
    bank_account(hood)
    (rent,) = import_lines(hood, other("30.00"))
    close_period(hood.cooperative, actor=hood.dave, until=DAY)
    _refused(hood, _book(rent), "The books are closed up to 2026-03-02", {"account": "8100"})


def test_booking_with_a_description_too_long_is_refused(hood):
    bank_account(hood)
    (rent,) = import_lines(hood, other("30.00"))
    data = {"account": "8100", "description": "x" * 301}
    _refused(hood, _book(rent), "Keep this to at most 300 characters.", data)


def test_booking_without_an_account_is_refused(hood):
    bank_account(hood)
    (rent,) = import_lines(hood, other("30.00"))
    before = written(hood)

    response = api(hood, "dave").post(_book(rent), {}, format="json")

    assert response.status_code == 400
    assert "account" in response.json()
    assert written(hood) == before


def test_a_line_of_another_cooperative_is_not_found(hood):
    bank_account(hood)
    elsewhere = line_elsewhere(hood)
    before = written(hood)

    client = api(hood, "dave")
    assert client.post(_accept(elsewhere)).status_code == 404
    assert client.post(_book(elsewhere), {"account": "8100"}, format="json").status_code == 404
    assert written(hood) == before
    assert BankLine.objects.get(pk=elsewhere.pk).status == BankLineStatus.UNMATCHED


@pytest.mark.parametrize("name", ["carol", "erin", "alice"])
def test_only_the_treasurer_matches_accepts_and_books(hood, name):
    _account, _stream, waiting = waiting_for_stream(hood)
    before = written(hood)

    client = api(hood, name)
    assert client.post(MATCH).status_code == 403
    assert client.post(_accept(waiting)).status_code == 403
    assert client.post(_book(waiting), {"account": "8100"}, format="json").status_code == 403
    assert written(hood) == before
