"""The reconciliation of a bank account: the books against the bank, and the open items that
explain every cent of the difference."""

import datetime
from decimal import Decimal

import pytest

from budgets import services
from budgets.closing import reconciliation
from budgets.closing.reconciliation import (
    BOOKED_LATER,
    DIFFERS,
    NOT_BOOKED,
    NOT_IN_BANK,
    OPENING,
    OTHER_ACCOUNT,
    reconcile,
)
from budgets.models import BankLine
from budgets.tests.closing_books import OPENED, books, post
from budgets.tests.statement_files import DAY, camt, line, statement
from wijkbv.ledger.models import Transaction
from wijkbv.ledger.testing import account

pytestmark = pytest.mark.django_db

LATER = DAY + datetime.timedelta(days=3)


def _kinds(report):
    return sorted((item.kind, item.effect) for item in report.items)


def test_the_open_items_explain_the_difference(hood):
    bank = books(hood)

    report = reconcile(bank, DAY)

    assert report.ledger_balance == Decimal("157.50")
    assert report.bank_balance == Decimal("135.00")
    assert report.difference == Decimal("22.50")
    assert _kinds(report) == [
        (NOT_BOOKED, Decimal("35.00")),
        (NOT_IN_BANK, Decimal("-12.50")),
        (NOT_IN_BANK, Decimal("100.00")),
        (OPENING, Decimal("-100.00")),
    ]
    assert report.is_explained and report.unexplained == 0


def test_a_line_not_booked_names_its_counterparty(hood):
    bank = books(hood)

    (open_line,) = reconcile(bank, DAY).lines_not_booked

    assert open_line.in_bank == Decimal("-35.00") and open_line.in_books is None
    assert "Verhuurder" in open_line.description and "Huur maart" in open_line.description
    assert open_line.line == BankLine.objects.get(amount=-35).pk


def test_booking_the_open_line_leaves_only_what_is_not_in_the_bank(hood):
    bank = books(hood)
    services.book_bank_line(
        BankLine.objects.get(amount=-35), actor=hood.dave, account=account(hood.cooperative, "4200")
    )

    report = reconcile(bank, DAY)

    assert report.difference == Decimal("-12.50")
    assert [item.description for item in report.items if item.kind == NOT_IN_BANK] == [
        "Beginbalans",
        "Betaalopdracht drukwerk",
    ]
    assert report.is_explained


def test_before_the_first_statement_the_bank_is_empty_and_the_books_are_open_items(hood):
    bank = books(hood)

    report = reconcile(bank, OPENED)

    assert report.statement is None and report.bank_balance == 0
    assert report.ledger_balance == Decimal("100.00")
    assert _kinds(report) == [(NOT_IN_BANK, Decimal("100.00"))]
    assert report.is_explained


def test_a_later_statement_counts_from_its_own_closing_date(hood):
    bank = books(hood)
    services.import_statement(
        hood.cooperative,
        actor=hood.dave,
        data=camt(
            statement(
                2, "135.00", [line("-12.50", name="Drukkerij", on=LATER)], opens=DAY, closes=LATER
            )
        ),
        file_name="april.xml",
    )

    before = reconcile(bank, LATER - datetime.timedelta(days=1))
    after = reconcile(bank, LATER)

    assert before.bank_balance == Decimal("135.00") and before.is_explained
    assert after.bank_balance == Decimal("122.50")
    assert after.difference == Decimal("35.00")
    assert after.is_explained


def test_one_booking_for_two_lines_is_compared_by_its_total(hood):
    bank = books(hood)
    services.import_statement(
        hood.cooperative,
        actor=hood.dave,
        data=camt(
            statement(
                2,
                "135.00",
                [
                    line("-5.00", remittance="Deel 1", on=LATER),
                    line("-7.50", remittance="Deel 2", on=LATER),
                ],
                opens=DAY,
                closes=LATER,
            )
        ),
        file_name="april.xml",
    )
    batch = Transaction.objects.get(description="Betaalopdracht drukwerk")
    parts = BankLine.objects.filter(remittance__startswith="Deel")
    parts.update(status="booked", booked_transaction=batch)

    report = reconcile(bank, LATER)

    assert [item.kind for item in report.items if item.transaction == batch.pk] == []
    assert report.is_explained

    parts.filter(remittance="Deel 2").update(status="unmatched", booked_transaction=None)
    report = reconcile(bank, LATER)
    (partly,) = [item for item in report.items if item.transaction == batch.pk]
    assert (partly.kind, partly.in_books, partly.in_bank) == (
        DIFFERS,
        Decimal("-12.50"),
        Decimal("-5.00"),
    )
    assert report.is_explained


def test_a_line_booked_after_the_date_is_in_the_bank_only(hood):
    bank = books(hood)
    open_line = BankLine.objects.get(amount=-35)
    later = post(hood, LATER, "35.00", "4200", "1000", "Huur maart, laat geboekt")
    BankLine.objects.filter(pk=open_line.pk).update(status="booked", booked_transaction=later)

    report = reconcile(bank, DAY)

    (item,) = [item for item in report.items if item.kind == BOOKED_LATER]
    assert (item.in_bank, item.transaction) == (Decimal("-35.00"), later.pk)
    assert report.is_explained


def test_a_booking_from_another_bank_account_on_the_same_ledger_account_is_named(hood):
    bank = books(hood)
    savings = services.add_bank_account(
        hood.cooperative, actor=hood.dave, iban="NL20INGB0001234567", name="Spaarrekening"
    )
    services.import_statement(
        hood.cooperative,
        actor=hood.dave,
        data=camt(statement(1, "0", [line("40.00", name="Rente")], iban=savings.iban, closes=DAY)),
        file_name="spaar.xml",
    )
    interest = BankLine.objects.get(bank_account=savings)
    services.book_bank_line(interest, actor=hood.dave, account=account(hood.cooperative, "8200"))

    report = reconcile(bank, DAY)

    (item,) = [item for item in report.items if item.kind == OTHER_ACCOUNT]
    assert item.in_books == Decimal("40.00")
    assert report.is_explained


def test_every_kind_has_a_label():
    assert set(reconciliation.KINDS) == {
        NOT_BOOKED,
        NOT_IN_BANK,
        OTHER_ACCOUNT,
        BOOKED_LATER,
        DIFFERS,
        OPENING,
    }


def _many(hood, bank, count, number):
    last = bank.statements.order_by("-closing_date", "-pk").first()
    lines = [line(f"{n + 1}.00", name=f"Gever {number}-{n}", on=LATER) for n in range(count)]
    services.import_statement(
        hood.cooperative,
        actor=hood.dave,
        data=camt(
            statement(
                number, str(last.closing_balance), lines, opens=last.closing_date, closes=LATER
            )
        ),
        file_name=f"veel-{number}.xml",
    )
    half = [f"Gever {number}-{n}" for n in range(count // 2)]
    for open_line in BankLine.objects.filter(counterparty_name__in=half):
        services.book_bank_line(
            open_line, actor=hood.dave, account=account(hood.cooperative, "8000")
        )
    for n in range(count):
        post(hood, LATER, "1.00", "4200", "1000", f"Onderweg {number}-{n}")


def test_the_queries_do_not_grow_with_the_lines(hood, django_assert_num_queries):
    bank = books(hood)
    _many(hood, bank, 4, 2)
    report = reconcile(bank, LATER)
    assert report.is_explained
    with django_assert_num_queries(9) as few:
        reconcile(bank, LATER)
    _many(hood, bank, 30, 3)
    with django_assert_num_queries(len(few)):
        report = reconcile(bank, LATER)
    assert report.is_explained
    assert len(report.items) > 30
