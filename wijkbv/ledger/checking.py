"""Recompute a cooperative's books from its postings and say, row by row, what differs.

Used by `manage.py ledger check`. Every problem names the row it is about (an account by code,
a transaction or posting by id, an audit event by seq), so that someone can go and look. It
finds changes made behind the application's back, whether the database enforced its rules then
or not:

- a balance row that is not the sum of its account's postings;
- a transaction with fewer than two postings, or whose postings do not sum to zero;
- a posting in another currency than its account, on another cooperative's account, or with
  another booking date than its transaction;
- a project budget below zero;
- a closing balance that is not the sum of the postings up to the end of its period;
- a transaction whose postings are not the lines its audit event recorded (the audit chain is
  hash-linked, so its record is the one to trust: see `manage.py audit verify`).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from wijkbv.audit.models import AuditEvent
from wijkbv.ledger.models import (
    Account,
    Balance,
    ClosingBalance,
    PeriodClose,
    Posting,
    Purpose,
    Transaction,
    cents,
)

_SUBJECT = "ledger.transaction:"


@dataclass
class Report:
    accounts: int = 0
    transactions: int = 0
    postings: int = 0
    problems: list[str] = field(default_factory=list)


def find_problems(cooperative) -> Report:
    report = Report()
    accounts = {
        account.pk: account
        for account in Account.objects.filter(cooperative=cooperative).order_by("code")
    }
    report.accounts = len(accounts)
    _check_balances(cooperative, accounts, report)
    _check_transactions(cooperative, report)
    _check_postings(cooperative, report)
    _check_closing_balances(cooperative, accounts, report)
    _check_against_audit_chain(cooperative, report)
    return report


def _check_balances(cooperative, accounts, report) -> None:
    posted = dict(
        Posting.objects.filter(account__cooperative=cooperative)
        .values("account_id")
        .annotate(total=Sum("amount"))
        .values_list("account_id", "total")
    )
    stored = dict(
        Balance.objects.filter(account__cooperative=cooperative).values_list("account_id", "amount")
    )
    for pk, account in accounts.items():
        total = cents(posted.get(pk))
        if pk not in stored:
            report.problems.append(f"account {account}: has no balance row")
        elif cents(stored[pk]) != total:
            report.problems.append(
                f"account {account}: the balance row says {cents(stored[pk])}, "
                f"its postings add up to {total}"
            )
        if account.purpose == Purpose.PROJECT_BUDGET and total > 0:
            report.problems.append(f"account {account}: this project budget is below zero")


def _check_transactions(cooperative, report) -> None:
    transactions = Transaction.objects.filter(cooperative=cooperative)
    report.transactions = transactions.count()
    for pk, postings in (
        transactions.annotate(postings_count=Count("postings"))
        .filter(postings_count__lt=2)
        .values_list("pk", "postings_count")
        .order_by("pk")
    ):
        report.problems.append(f"transaction {pk}: has {postings} posting(s), it needs two")
    sums = (
        Posting.objects.filter(transaction__cooperative=cooperative)
        .values("transaction_id", "currency")
        .annotate(total=Sum("amount"))
        .order_by("transaction_id", "currency")
    )
    for row in sums.iterator():
        if cents(row["total"]) != 0:
            report.problems.append(
                f"transaction {row['transaction_id']}: does not sum to zero "
                f"({row['currency']} {cents(row['total'])})"
            )


def _check_postings(cooperative, report) -> None:
    postings = Posting.objects.filter(
        Q(transaction__cooperative=cooperative) | Q(account__cooperative=cooperative)
    )
    report.postings = postings.count()
    odd = postings.filter(
        ~Q(currency=F("account__currency"))
        | ~Q(booking_date=F("transaction__booking_date"))
        | ~Q(account__cooperative=F("transaction__cooperative"))
    ).order_by("pk")
    for pk, transaction_id in odd.values_list("pk", "transaction_id"):
        report.problems.append(
            f"posting {pk} of transaction {transaction_id}: its currency, account or booking "
            "date does not match its account and transaction"
        )


def _check_closing_balances(cooperative, accounts, report) -> None:
    for period in PeriodClose.objects.filter(cooperative=cooperative).order_by("until"):
        posted = dict(
            Posting.objects.filter(account__cooperative=cooperative, booking_date__lte=period.until)
            .values("account_id")
            .annotate(total=Sum("amount"))
            .values_list("account_id", "total")
        )
        closing = dict(
            ClosingBalance.objects.filter(period=period).values_list("account_id", "amount")
        )
        for pk, account in accounts.items():
            if pk not in closing:
                if pk in posted:
                    report.problems.append(
                        f"account {account}: no closing balance at {period.until}"
                    )
                continue
            if cents(closing[pk]) != cents(posted.get(pk)):
                report.problems.append(
                    f"account {account}: the closing balance at {period.until} says "
                    f"{cents(closing[pk])}, the postings up to then add up to "
                    f"{cents(posted.get(pk))}"
                )


def _check_against_audit_chain(cooperative, report) -> None:
    recorded = {}
    events = AuditEvent.objects.filter(
        cooperative=cooperative, subject__startswith=_SUBJECT
    ).values_list("seq", "subject", "payload")
    for seq, subject, payload in events.iterator(chunk_size=2000):
        lines = payload.get("lines") if isinstance(payload, dict) else None
        recorded[int(subject.removeprefix(_SUBJECT))] = (seq, lines)
    booked = defaultdict(list)
    postings = (
        Posting.objects.filter(transaction__cooperative=cooperative)
        .order_by("transaction_id", "pk")
        .values_list("transaction_id", "pk", "account__code", "amount")
    )
    for transaction_id, pk, code, amount in postings.iterator(chunk_size=2000):
        booked[transaction_id].append((pk, code, cents(amount)))
    for transaction_id in sorted(
        Transaction.objects.filter(cooperative=cooperative).values_list("pk", flat=True)
    ):
        if transaction_id not in recorded:
            report.problems.append(f"transaction {transaction_id}: has no audit event")
            continue
        seq, lines = recorded.pop(transaction_id)
        problem = _compare(booked.get(transaction_id, []), lines)
        if problem:
            report.problems.append(
                f"transaction {transaction_id}: {problem} (audit event seq {seq})"
            )
    for transaction_id, (seq, _lines) in sorted(recorded.items()):
        report.problems.append(
            f"transaction {transaction_id}: recorded by audit event seq {seq}, "
            "but it is not in the ledger"
        )


def _compare(postings, lines) -> str | None:
    try:
        lines = [(str(code), cents(Decimal(amount))) for code, amount in lines]
    except (TypeError, ValueError, ArithmeticError):
        return "the audit event does not hold its lines"
    for (pk, code, amount), line in zip(postings, lines, strict=False):
        if (code, amount) != line:
            return f"posting {pk} is {code} {amount}, the audit chain recorded {line[0]} {line[1]}"
    if len(postings) != len(lines):
        return f"it has {len(postings)} postings, the audit chain recorded {len(lines)} lines"
    return None
