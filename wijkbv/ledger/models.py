"""The double-entry book of a cooperative: accounts, transactions and their postings, balances
and closed periods.

Amounts are Decimal with their currency beside them, debit positive and credit negative. The rules
(at least two postings per transaction, summing to zero per currency; nothing ever changed or
deleted; no booking into a closed period; no project budget below zero) are enforced by the
services and, on PostgreSQL, a second time by the triggers of migration 0002.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

AMOUNT_DIGITS = 18
BALANCE_DIGITS = 20
DECIMAL_PLACES = 2
_UNIT = Decimal(1).scaleb(-DECIMAL_PLACES)


def cents(amount) -> Decimal:
    """A stored amount (or sum) as an exact Decimal with two places; None is zero. SQLite hands
    back the numbers it stores as floats, PostgreSQL as exact decimals: both become "12.50"."""
    if amount is None:
        return Decimal(0).quantize(_UNIT)
    return Decimal(str(amount)).quantize(_UNIT)


class AccountType(models.TextChoices):
    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    EQUITY = "equity", _("Equity")
    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expense")


# Accounts whose balance is normally a debit (positive); the others are normally a credit.
DEBIT_NORMAL = frozenset({AccountType.ASSET, AccountType.EXPENSE})


class Purpose(models.TextChoices):
    """What an account stands for in the cooperative."""

    BANK = "bank", _("Bank account")
    STRIPE = "stripe", _("Stripe balance")
    IN_TRANSIT = "in_transit", _("Money in transit")
    # Money paid to a resident before they buy, until they settle it with receipts.
    ADVANCES = "advances", _("Advances to residents")
    SHARE_CAPITAL = "share_capital", _("Share capital")
    FUNDING_STREAM = "funding_stream", _("Funding-stream fund")
    PROJECT_BUDGET = "project_budget", _("Project budget")
    REINVESTMENT_RESERVE = "reinvestment_reserve", _("Reinvestment reserve")
    WORK_IN_KIND = "work_in_kind", _("Work paid in as shares")
    GENERAL = "general", _("General")


class Account(models.Model):
    """One account of a cooperative's chart. Its code, type, purpose and currency never change
    once it has postings; its balance lives in `Balance`.

    A project budget is money set aside for a project, owed to it: a liability, so its balance is
    a credit, and it may never go below zero."""

    cooperative = models.ForeignKey(
        "members.Cooperative", on_delete=models.PROTECT, related_name="accounts"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=150)
    type = models.CharField(_("type"), max_length=16, choices=AccountType.choices)
    purpose = models.CharField(
        _("stands for"), max_length=24, choices=Purpose.choices, default=Purpose.GENERAL
    )
    currency = models.CharField(_("currency"), max_length=3)
    # What the account stands for, as "app_label.model:pk" (a funding stream, a project...).
    stands_for = models.CharField(_("belongs to"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("opened"), default=timezone.now)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["cooperative", "code"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "code"], name="account_code_unique"),
            models.UniqueConstraint(
                fields=["cooperative", "stands_for"],
                condition=~models.Q(stands_for=""),
                name="account_stands_for_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(type__in=AccountType.values), name="account_type_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(purpose__in=Purpose.values), name="account_purpose_valid"
            ),
            # The "never below zero" rule of a project budget reads its balance as a credit.
            models.CheckConstraint(
                condition=~models.Q(purpose=Purpose.PROJECT_BUDGET)
                | models.Q(type=AccountType.LIABILITY),
                name="account_project_budget_is_liability",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_debit_normal(self) -> bool:
        return self.type in DEBIT_NORMAL


class Balance(models.Model):
    """The balance of one account: the sum of its postings, kept in the same database
    transaction as every posting, under this row's lock. Reading a balance is one row, whatever
    the number of postings; `manage.py ledger check` recomputes it from the postings."""

    account = models.OneToOneField(
        Account, primary_key=True, on_delete=models.PROTECT, related_name="balance"
    )
    amount = models.DecimalField(
        max_digits=BALANCE_DIGITS, decimal_places=DECIMAL_PLACES, default=Decimal("0")
    )

    class Meta:
        verbose_name = _("balance")
        verbose_name_plural = _("balances")

    def __str__(self):
        return f"{self.account_id}: {self.amount}"


class Transaction(models.Model):
    """One booking: two or more postings that sum to zero. Never changed or deleted; a mistake is
    corrected by a reversal, a new transaction that `reverses` it.

    `action` names the decision that caused it (the action of its audit event) and `cause` the
    object it was about, as "app_label.model:pk"."""

    cooperative = models.ForeignKey(
        "members.Cooperative",
        on_delete=models.PROTECT,
        related_name="transactions",
        db_index=False,  # transaction_coop_date serves it
        # Checked by PostgreSQL once per statement (migration 0009, ADR 0067).
        db_constraint=False,
    )
    booking_date = models.DateField(_("booking date"))
    description = models.CharField(_("description"), max_length=200)
    action = models.CharField(_("decision"), max_length=80)
    cause = models.CharField(_("about"), max_length=120, blank=True)
    # Both people are checked by PostgreSQL once per statement, not by a foreign key per row
    # (migration 0010, ADR 0070).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,  # transaction_on_behalf_of: only the rows that name someone
    )
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["cooperative", "booking_date", "pk"]
        indexes = [
            models.Index(fields=["cooperative", "booking_date"], name="transaction_coop_date"),
            # The bookings a decision caused, e.g. the allocation of a vote (the open pages).
            models.Index(fields=["cooperative", "cause"], name="transaction_coop_cause"),
            # Few bookings are made on someone's behalf: the others are left out of the index.
            models.Index(
                fields=["on_behalf_of"],
                name="transaction_on_behalf_of",
                condition=models.Q(on_behalf_of__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.booking_date} {self.description}"


class Posting(models.Model):
    """One line of a transaction: a signed amount on one account, debit positive. Never zero,
    never changed or deleted. `booking_date` repeats the transaction's, so that a balance as of a
    date reads one index range."""

    # Both references are checked by PostgreSQL once per statement, not by a foreign key per
    # row (migration 0009, ADR 0067).
    transaction = models.ForeignKey(
        Transaction, on_delete=models.PROTECT, related_name="postings", db_constraint=False
    )
    account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        related_name="postings",
        db_index=False,
        db_constraint=False,
    )
    amount = models.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=DECIMAL_PLACES)
    currency = models.CharField(max_length=3)
    booking_date = models.DateField()

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["transaction", "pk"]
        indexes = [
            models.Index(fields=["account", "booking_date"], name="posting_account_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="posting_not_zero"),
        ]

    def __str__(self):
        return f"{self.account_id}: {self.amount} {self.currency}"

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)


class PeriodClose(models.Model):
    """The books are closed up to and including `until`: nothing may be booked on or before that
    date any more. Closings only move forward."""

    cooperative = models.ForeignKey(
        "members.Cooperative", on_delete=models.PROTECT, related_name="period_closes"
    )
    until = models.DateField(_("closed up to and including"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), default=timezone.now)

    class Meta:
        verbose_name = _("closed period")
        verbose_name_plural = _("closed periods")
        ordering = ["cooperative", "until"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "until"], name="period_close_unique"),
        ]

    def __str__(self):
        return f"{self.cooperative_id} ≤ {self.until}"


class ClosingBalance(models.Model):
    """The balance of an account at the end of a closed period. Since nothing is booked into a
    closed period any more, it stays true, and a balance as of a later date starts from it."""

    period = models.ForeignKey(
        PeriodClose, on_delete=models.PROTECT, related_name="closing_balances"
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="closing_balances", db_index=False
    )
    amount = models.DecimalField(max_digits=BALANCE_DIGITS, decimal_places=DECIMAL_PLACES)

    class Meta:
        verbose_name = _("closing balance")
        verbose_name_plural = _("closing balances")
        constraints = [
            models.UniqueConstraint(fields=["account", "period"], name="closing_balance_unique"),
        ]

    def __str__(self):
        return f"{self.account_id} @ {self.period_id}: {self.amount}"
