"""The treasurer books a line that matched nothing to an account, on a page of its own; a
refusal is shown on that page and books nothing."""

import pytest

from budgets import services
from budgets.models import BankLineStatus
from budgets.tests.bank_action_helpers import line_elsewhere, lines_url
from budgets.tests.bank_lines import bank_account, import_lines, other, written
from budgets.tests.page_helpers import client, page
from budgets.tests.statement_files import DAY
from wijkbv.ledger.models import Account, Posting
from wijkbv.ledger.services import close_period

pytestmark = pytest.mark.django_db


def _unmatched(hood, amount="30.00"):
    account = bank_account(hood)
    (rent,) = import_lines(hood, other(amount))
    return account, rent


def _url(account, line):
    return f"{lines_url(account)}lines/{line.pk}/book/"


def _code(hood, code, cooperative=None):
    return Account.objects.get(cooperative=cooperative or hood.cooperative, code=code)


def test_the_form_offers_income_costs_and_funds_only(hood):
    account, rent = _unmatched(hood)

    text = page(client(hood, "dave").get(_url(account, rent)))

    assert "Huur buurtkamer" in text
    # The accounts' names are in the cooperative's own language; their codes are not.
    for offered in ("2000", "4000", "4100", "4200", "8000", "8100", "8200"):
        assert f">{offered} " in text
    for left_out in ("1000", "1100", "1200", "1300", "2100", "3000", "3100", "4300"):
        assert f">{left_out} " not in text


def test_money_in_is_booked_from_the_chosen_account_to_the_bank(hood):
    account, rent = _unmatched(hood)
    income = _code(hood, "8100")

    response = client(hood, "dave").post(
        _url(account, rent), {"account": income.pk, "description": "Huur maart"}, follow=True
    )

    assert response.redirect_chain == [(lines_url(account), 302)]
    assert f"The line has been booked to {income}." in page(response)
    rent.refresh_from_db()
    assert rent.status == BankLineStatus.BOOKED
    booked = rent.booked_transaction
    assert (booked.description, booked.booking_date) == ("Huur maart", DAY)
    postings = dict(Posting.objects.filter(transaction=booked).values_list("account", "amount"))
    assert postings == {account.ledger_account_id: 30, income.pk: -30}


def test_the_lines_page_links_each_line_not_booked_to_its_form(hood):
    account, rent = _unmatched(hood)

    assert _url(account, rent) in page(client(hood, "dave").get(lines_url(account)))
    assert _url(account, rent) not in page(client(hood, "erin").get(lines_url(account)))


def test_a_booked_line_shows_no_form(hood):
    account, rent = _unmatched(hood)
    services.book_bank_line(rent, actor=hood.dave, account=_code(hood, "8100"))

    text = page(client(hood, "dave").get(_url(account, rent)))

    assert "This bank line has already been booked." in text
    assert "Book the line" not in text


def _refused(hood, account, line, data, message):
    before = written(hood)
    response = client(hood, "dave").post(_url(account, line), data)
    assert response.status_code == 400
    assert message in page(response)
    assert written(hood) == before


def test_no_account_chosen_is_refused(hood):
    account, rent = _unmatched(hood)
    _refused(hood, account, rent, {"account": ""}, "Choose an account.")


@pytest.mark.parametrize("code", ["1000", "2100", "3000"])
def test_an_account_not_in_the_list_is_refused(hood, code):
    account, rent = _unmatched(hood)
    data = {"account": _code(hood, code).pk}
    _refused(hood, account, rent, data, "Choose an account from the list.")


def test_an_account_of_another_cooperative_is_refused(hood):
    account, rent = _unmatched(hood)
    data = {"account": _code(hood, "8100", hood.other).pk}
    _refused(hood, account, rent, data, "Choose an account from the list.")


def test_a_line_booked_already_is_refused(hood):
    account, rent = _unmatched(hood)
    services.book_bank_line(rent, actor=hood.dave, account=_code(hood, "8100"))
    data = {"account": _code(hood, "8200").pk}
    _refused(hood, account, rent, data, "This bank line has already been booked.")


def test_a_line_in_a_closed_period_is_refused(hood):
    account, rent = _unmatched(hood)
    close_period(hood.cooperative, actor=hood.dave, until=DAY)
    data = {"account": _code(hood, "8100").pk}
    _refused(hood, account, rent, data, "The books are closed up to 2026-03-02")


def test_a_description_too_long_is_refused(hood):
    account, rent = _unmatched(hood)
    data = {"account": _code(hood, "8100").pk, "description": "x" * 301}
    _refused(hood, account, rent, data, "Keep this to at most 300 characters.")


def test_a_line_of_another_cooperative_is_not_found(hood):
    account, _rent = _unmatched(hood)
    elsewhere = line_elsewhere(hood)
    data = {"account": _code(hood, "8100").pk}
    before = written(hood)

    browser = client(hood, "dave")
    assert browser.post(_url(account, elsewhere), data).status_code == 404
    assert browser.post(_url(elsewhere.bank_account, elsewhere), data).status_code == 404
    assert written(hood) == before


@pytest.mark.parametrize("name", ["carol", "erin"])
def test_only_the_treasurer_books(hood, name):
    account, rent = _unmatched(hood)
    before = written(hood)

    response = client(hood, name).post(_url(account, rent), {"account": _code(hood, "8100").pk})

    assert response.status_code == 403
    assert written(hood) == before
