"""`manage.py ledger check` finds rows changed behind the application's back and names them.

On PostgreSQL the triggers refuse such changes, so the tests first switch them off the way a
superuser could (session_replication_role = replica); on SQLite nothing stands in the way."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from wijkbv.ledger import services
from wijkbv.ledger.lines import credit, debit
from wijkbv.ledger.models import Posting
from wijkbv.ledger.testing import account, euros

DAY = datetime.date(2026, 3, 14)
# Committed, as in real life: PostgreSQL's deferred checks run at each service's commit, before
# anyone tampers with the rows.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def gift(hood):
    return services.post_transaction(
        hood.cooperative,
        actor=hood.dave,
        booking_date=DAY,
        description="Gift from the bakery",
        lines=[
            debit(account(hood.cooperative, "1000"), euros(25)),
            credit(account(hood.cooperative, "8000"), euros(25)),
        ],
    )


def behind_the_back(sql, params=()):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def check(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ledger", "check", *args, stdout=out, stderr=err)
    except CommandError as error:
        return err.getvalue(), str(error)
    return out.getvalue(), None


def test_it_finds_books_kept_by_the_services_in_order(hood, gift):
    services.reverse_transaction(gift, actor=hood.dave, reason="booked twice")
    services.close_period(hood.cooperative, actor=hood.dave, until=DAY)
    output, error = check()
    assert error is None
    assert "teststad: in order, 15 accounts, 2 transactions, 4 postings" in output
    assert "elders: in order" in output


def test_it_checks_one_cooperative(hood, gift):
    output, error = check("--cooperative", "elders")
    assert error is None
    assert "teststad" not in output


def test_it_names_a_changed_posting(hood, gift):
    posting = gift.postings.get(account__code="1000")
    behind_the_back("UPDATE ledger_posting SET amount = 99 WHERE id = %s", [posting.pk])
    output, error = check()
    assert error == "the ledger does not add up: 3 problem(s), see above"
    assert (
        f"teststad: account {account(hood.cooperative, '1000')}: the balance row says 25.00, "
        "its postings add up to 99.00"
    ) in output
    assert f"teststad: transaction {gift.pk}: does not sum to zero (EUR 74.00)" in output
    assert (
        f"teststad: transaction {gift.pk}: posting {posting.pk} is 1000 99.00, "
        "the audit chain recorded 1000 25.00"
    ) in output


def test_it_names_a_posting_moved_to_another_account_even_with_the_balances_fixed(hood, gift):
    posting = gift.postings.get(account__code="1000")
    stripe = account(hood.cooperative, "1100")
    behind_the_back(
        "UPDATE ledger_posting SET account_id = %s WHERE id = %s", [stripe.pk, posting.pk]
    )
    behind_the_back(
        "UPDATE ledger_balance SET amount = 0 WHERE account_id = %s", [posting.account_id]
    )
    behind_the_back("UPDATE ledger_balance SET amount = 25 WHERE account_id = %s", [stripe.pk])
    output, error = check()
    assert error == "the ledger does not add up: 1 problem(s), see above"
    assert (
        f"transaction {gift.pk}: posting {posting.pk} is 1100 25.00, "
        "the audit chain recorded 1000 25.00"
    ) in output


def test_it_names_a_removed_posting(hood, gift):
    posting = gift.postings.get(account__code="8000")
    behind_the_back("DELETE FROM ledger_posting WHERE id = %s", [posting.pk])
    output, error = check()
    assert f"transaction {gift.pk}: has 1 posting(s), it needs two" in output
    assert f"transaction {gift.pk}: it has 1 postings, the audit chain recorded 2 lines" in output
    assert f"account {account(hood.cooperative, '8000')}: the balance row says -25.00" in output


def test_it_names_a_changed_balance_row(hood, gift):
    bank = account(hood.cooperative, "1000")
    behind_the_back("UPDATE ledger_balance SET amount = 1000 WHERE account_id = %s", [bank.pk])
    output, error = check()
    assert error == "the ledger does not add up: 1 problem(s), see above"
    assert (
        f"account {account(hood.cooperative, '1000')}: the balance row says 1000.00, "
        "its postings add up to 25.00" in output
    )


def test_it_names_a_transaction_moved_into_a_closed_period(hood, gift):
    services.close_period(hood.cooperative, actor=hood.dave, until=DAY)
    later = services.post_transaction(
        hood.cooperative,
        actor=hood.dave,
        booking_date=DAY + datetime.timedelta(days=1),
        description="Late gift",
        lines=[
            debit(account(hood.cooperative, "1000"), euros(5)),
            credit(account(hood.cooperative, "8000"), euros(5)),
        ],
    )
    behind_the_back(
        "UPDATE ledger_posting SET booking_date = %s WHERE transaction_id = %s", [DAY, later.pk]
    )
    output, error = check()
    assert (
        f"account {account(hood.cooperative, '1000')}: the closing balance at 2026-03-14 says "
        "25.00, the postings up to then add up to 30.00" in output
    )
    for posting in Posting.objects.filter(transaction=later):
        assert (
            f"posting {posting.pk} of transaction {later.pk}: its currency, account or booking date does not match"
            in output
        )


def test_it_names_a_transaction_without_an_audit_event(hood, gift):
    behind_the_back(
        "DELETE FROM audit_auditevent WHERE subject = %s", [f"ledger.transaction:{gift.pk}"]
    )
    output, error = check()
    assert f"transaction {gift.pk}: has no audit event" in output


def test_it_refuses_an_unknown_cooperative(hood):
    with pytest.raises(CommandError, match="there is no cooperative 'nowhere'"):
        call_command("ledger", "check", "--cooperative", "nowhere")
