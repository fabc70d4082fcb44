import datetime

import pytest
from moneyed import Money

from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger import services
from wijkbv.ledger.lines import credit, debit
from wijkbv.ledger.models import AccountType, Purpose, Transaction
from wijkbv.ledger.selectors import balance
from wijkbv.ledger.testing import account, euros, ledger_rows

TODAY = datetime.date(2026, 3, 14)


@pytest.fixture
def books(hood):
    coop = hood.cooperative
    return {
        "bank": account(coop, "1000"),
        "gifts": account(coop, "8000"),
        "costs": account(coop, "4000"),
        "funds": account(coop, "2000"),
    }


def _post(hood, lines, actor="dave", **extra):
    values = dict(
        actor=hood.people[actor] if actor else None,
        booking_date=TODAY,
        description="Gift from the bakery",
        lines=lines,
    )
    values.update(extra)
    return services.post_transaction(hood.cooperative, **values)


def _refused(hood, books, lines, message, actor="dave", error=DomainError, **extra):
    """Book `lines`, expect `message`, and show that nothing at all was written."""
    before = ledger_rows(hood.cooperative)
    balances = {name: balance(acc) for name, acc in books.items()}
    with captures_events(hood.cooperative) as events:
        with pytest.raises(error, match=message):
            _post(hood, lines, actor=actor, **extra)
    assert ledger_rows(hood.cooperative) == before
    assert {name: balance(acc) for name, acc in books.items()} == balances
    assert events == []


def test_it_books_a_balanced_transaction_and_records_it(hood, books):
    with captures_events(hood.cooperative) as events:
        booked = _post(
            hood, [debit(books["bank"], euros("12.50")), credit(books["gifts"], euros("12.50"))]
        )
    assert_audit_event(
        events,
        action="ledger.posted",
        actor=hood.dave,
        subject=booked,
        payload={
            "transaction": booked.pk,
            "booking_date": "2026-03-14",
            "currency": "EUR",
            "lines": [["1000", "12.50"], ["8000", "-12.50"]],
            "cause": "",
        },
    )
    stored = Transaction.objects.get(pk=booked.pk)
    assert stored.description == "Gift from the bakery"
    assert stored.created_by == hood.dave
    assert [(p.account.code, p.money) for p in stored.postings.order_by("pk")] == [
        ("1000", euros("12.50")),
        ("8000", euros("-12.50")),
    ]


def test_it_keeps_every_balance_equal_to_its_postings(hood, books):
    _post(hood, [debit(books["bank"], euros(100)), credit(books["gifts"], euros(100))])
    _post(hood, [debit(books["costs"], euros("30.25")), credit(books["bank"], euros("30.25"))])
    assert balance(books["bank"]) == euros("69.75")
    assert balance(books["gifts"]) == euros(-100)
    assert balance(books["costs"]) == euros("30.25")


def test_it_books_several_lines_on_one_account(hood, books):
    _post(
        hood,
        [
            debit(books["bank"], euros(10)),
            debit(books["bank"], euros(5)),
            credit(books["gifts"], euros(15)),
        ],
    )
    assert balance(books["bank"]) == euros(15)


def test_a_decision_of_another_app_records_its_own_action_and_cause(hood, books):
    place = hood.cooperative.places.create(name="Buurthuis", kind="community_room")
    with captures_events(hood.cooperative) as events:
        booked = _post(
            hood,
            [debit(books["bank"], euros(40)), credit(account(hood.cooperative, "8100"), euros(40))],
            action="place.rent_received",
            cause=place,
            details={"hours": 4},
        )
    assert booked.action == "place.rent_received"
    assert booked.cause == f"members.place:{place.pk}"
    event = assert_audit_event(events, action="place.rent_received", actor=hood.dave)
    assert event.payload["cause"] == f"members.place:{place.pk}"
    assert event.payload["hours"] == 4


def test_it_records_whom_a_coordinator_acted_for(hood, books):
    hood.membership("bob").__class__.objects.filter(pk=hood.membership("bob").pk).update(
        is_treasurer=True
    )
    with captures_events(hood.cooperative) as events:
        booked = _post(
            hood,
            [debit(books["bank"], euros(5)), credit(books["gifts"], euros(5))],
            actor="bob",
            on_behalf_of=hood.alice,
        )
    assert booked.on_behalf_of == hood.alice
    assert_audit_event(
        events, action="ledger.posted", actor=hood.bob, on_behalf_of=hood.alice, subject=booked
    )


def test_the_system_and_the_board_may_book(hood, books):
    _post(hood, [debit(books["bank"], euros(1)), credit(books["gifts"], euros(1))], actor=None)
    _post(hood, [debit(books["bank"], euros(1)), credit(books["gifts"], euros(1))], actor="carol")
    assert balance(books["bank"]) == euros(2)


def test_a_resident_may_not_book(hood, books):
    _refused(
        hood,
        books,
        [debit(books["bank"], euros(5)), credit(books["gifts"], euros(5))],
        "Only treasurer or board member may do this",
        actor="alice",
        error=NotAllowed,
    )


def test_a_member_of_another_cooperative_may_not_book(hood, books):
    _refused(
        hood,
        books,
        [debit(books["bank"], euros(5)), credit(books["gifts"], euros(5))],
        "You are not a member of Wijk-BV Teststad",
        actor="olivia",
        error=NotAllowed,
    )


def test_it_refuses_an_unbalanced_transaction(hood, books):
    _refused(
        hood,
        books,
        [debit(books["bank"], euros(10)), credit(books["gifts"], euros("9.99"))],
        "The booking does not balance: the lines differ by",
    )


def test_it_refuses_a_single_posting(hood, books):
    _refused(
        hood,
        books,
        [(books["bank"], euros(0.01))],
        "A booking needs at least two lines",
    )


def test_it_refuses_a_zero_amount(hood, books):
    _refused(
        hood,
        books,
        [(books["bank"], euros(0)), (books["gifts"], euros(0)), (books["costs"], euros(0))],
        "An amount of zero cannot be booked",
    )


def test_it_refuses_a_negative_amount_where_an_amount_is_more_than_zero(hood, books):
    with pytest.raises(DomainError, match="An amount must be more than zero"):
        credit(books["gifts"], euros(-10))
    with pytest.raises(DomainError, match="An amount must be more than zero"):
        debit(books["bank"], euros(0))
    assert ledger_rows(hood.cooperative) == (0, 0)


def test_it_refuses_another_currency(hood, books):
    _refused(
        hood,
        books,
        [(books["bank"], Money(10, "USD")), (books["gifts"], Money(-10, "USD"))],
        "All amounts must be in EUR, the currency of the cooperative",
    )


def test_it_refuses_an_account_in_another_currency(hood, books):
    dollars = services.open_account(
        hood.cooperative,
        actor=hood.dave,
        code="1900",
        name="Dollar account",
        type=AccountType.ASSET,
    )
    dollars.__class__.objects.filter(pk=dollars.pk).update(currency="USD")
    dollars.refresh_from_db()
    _refused(
        hood,
        books,
        [debit(dollars, euros(10)), credit(books["gifts"], euros(10))],
        "All amounts must be in EUR",
    )


def test_it_refuses_an_account_of_another_cooperative(hood, books):
    theirs = account(hood.other, "1000")
    _refused(
        hood,
        books,
        [debit(theirs, euros(10)), credit(books["gifts"], euros(10))],
        "Account 1000 belongs to another cooperative",
    )


def test_it_refuses_more_decimals_than_the_currency_has(hood, books):
    _refused(
        hood,
        books,
        [debit(books["bank"], euros("10.005")), credit(books["gifts"], euros("10.005"))],
        "10.005 has more decimals than EUR has",
    )


def test_it_refuses_a_booking_into_a_closed_period(hood, books):
    services.close_period(hood.cooperative, actor=hood.dave, until=TODAY)
    _refused(
        hood,
        books,
        [debit(books["bank"], euros(10)), credit(books["gifts"], euros(10))],
        "The books are closed up to 2026-03-14: book on a later date",
    )


def test_it_books_the_day_after_a_closed_period(hood, books):
    services.close_period(hood.cooperative, actor=hood.dave, until=TODAY)
    _post(
        hood,
        [debit(books["bank"], euros(10)), credit(books["gifts"], euros(10))],
        booking_date=TODAY + datetime.timedelta(days=1),
    )
    assert balance(books["bank"]) == euros(10)


def _project(hood, books, allocated):
    project = services.open_account(
        hood.cooperative,
        actor=hood.dave,
        code="2101",
        name="Buurtmoestuin",
        type=AccountType.LIABILITY,
        purpose=Purpose.PROJECT_BUDGET,
    )
    _post(hood, [debit(books["funds"], euros(allocated)), credit(project, euros(allocated))])
    return project


def test_it_refuses_to_overdraw_a_project_budget(hood, books):
    project = _project(hood, books, 100)
    books["project"] = project
    _refused(
        hood,
        books,
        [debit(project, euros("100.01")), credit(books["bank"], euros("100.01"))],
        "There is not enough money left in the budget Buurtmoestuin: €\xa0100.00 is available",
    )


def test_a_project_budget_may_be_spent_to_the_last_cent(hood, books):
    project = _project(hood, books, 100)
    _post(hood, [debit(project, euros(60)), credit(books["bank"], euros(60))])
    _post(hood, [debit(project, euros(40)), credit(books["bank"], euros(40))])
    assert balance(project) == euros(0)


def test_it_refuses_an_empty_description(hood, books):
    _refused(
        hood,
        books,
        [debit(books["bank"], euros(10)), credit(books["gifts"], euros(10))],
        "Describe what the booking is for",
        description="   ",
    )


def test_details_may_not_replace_what_the_ledger_records(hood, books):
    with pytest.raises(ValueError, match="details may not replace"):
        _post(
            hood,
            [debit(books["bank"], euros(10)), credit(books["gifts"], euros(10))],
            details={"lines": []},
        )
    assert ledger_rows(hood.cooperative) == (0, 0)
