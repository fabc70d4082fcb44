"""What the report tests share: a year of bookings made through the real services.

Last year: € 1.200 rent of places in March and € 300 of general costs in June, through the bank;
the year is closed, so its € 900 result is in the reinvestment reserve. This year: the
Wijkbudget stream receives € 10.000 (fixture `stream`, booked today), a vote adopts proposal 1
(€ 3.000) into project budget 210001, € 1.200 is spent from it through the bank, € 300 of it
moves back to the fund, and € 50 of rent comes in."""

import datetime

from budgets import services
from budgets.tests.conftest import eligible, end, open_yes_no
from wijkbv.ledger.lines import credit, debit
from wijkbv.ledger.models import Account
from wijkbv.ledger.services import post_transaction
from wijkbv.ledger.testing import euros
from wijkbv.testing import last_year, today


def accounts(hood) -> dict[str, Account]:
    return {a.code: a for a in Account.objects.filter(cooperative=hood.cooperative)}


def book(hood, debit_code, credit_code, amount, on=None, description="Test"):
    """Book `amount` from `credit_code` to `debit_code` as the treasurer."""
    chart = accounts(hood)
    return post_transaction(
        hood.cooperative,
        actor=hood.dave,
        booking_date=on or today(),
        description=description,
        lines=[debit(chart[debit_code], euros(amount)), credit(chart[credit_code], euros(amount))],
    )


def last_year_closed(hood):
    book(hood, "1000", "8100", "1200", datetime.date(last_year(), 3, 1))
    book(hood, "4200", "1000", "300", datetime.date(last_year(), 6, 1))
    services.close_year(hood.cooperative, actor=hood.dave, year=last_year())


def adopt(hood, stream, title="Buurtmaaltijd", amount="3000"):
    """A proposal paid from `stream` (None: the reserve), adopted by a yes/no vote and given
    its project budget; returns the proposal."""
    proposal = eligible(hood, stream, title, amount)
    vote = open_yes_no(hood, proposal, stream=stream, title=f"Doen we {title}?")
    services.cast_ballot(vote, actor=hood.alice, choice="yes")
    services.close_vote(end(vote), actor=hood.carol)
    proposal.refresh_from_db()
    return proposal


def a_year_of_books(hood, stream):
    """The bookings of the module docstring; returns the adopted proposal."""
    last_year_closed(hood)
    proposal = adopt(hood, stream)
    budget = proposal.budget_account.code
    book(hood, budget, "1000", "1200", description="Boodschappen")
    book(hood, budget, stream.account.code, "300", description="Terug naar het fonds")
    book(hood, "1000", "8100", "50", description="Huur buurtkamer")
    return proposal
