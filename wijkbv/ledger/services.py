"""Every change to the book: opening an account, posting a transaction, reversing one, closing a
period. Each runs in one database transaction and appends exactly one audit event.

The invariants: a transaction has two or more postings that sum to zero, in the cooperative's
currency; postings and transactions are never changed (a mistake is reversed); nothing is booked
into a closed period; a project budget never goes below zero; every account's balance row equals
the sum of its postings. PostgreSQL enforces the same rules a second time (migration 0002).

Locks are taken in one order, as by every writer of a cooperative: the cooperative's row, the
chain head, then the balance rows. Balance rows are only updated by bookings, which hold their
cooperative's chain head while they do, so two bookings never wait for each other in a circle.
"""

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money, get_currency

from members.models import Cooperative, Membership, Role
from members.permissions import holds_role, require_role
from wijkbv.audit.appending import (
    Head,
    actor_references,
    copy_run,
    move_head,
    next_event,
    payload_for_database,
    write_event_statements,
    written,
)
from wijkbv.audit.references import subject_reference
from wijkbv.audit.services import append_event
from wijkbv.audit.statements import Statements, array_literal
from wijkbv.errors import DomainError
from wijkbv.ledger.models import (
    Account,
    AccountType,
    Balance,
    ClosingBalance,
    PeriodClose,
    Posting,
    Purpose,
    Transaction,
    cents,
)

POSTED = "ledger.posted"
REVERSED = "ledger.reversed"
PERIOD_CLOSED = "ledger.period_closed"
ACCOUNT_OPENED = "ledger.account_opened"

# Who may move money in the book; other apps' services pass on the actor of their decision.
BOOKING_ROLES = (Role.TREASURER, Role.BOARD)
MAX_AMOUNT = Decimal("1e15")  # below the 18 digits a posting holds


@transaction.atomic
def open_account(
    cooperative,
    *,
    actor,
    code: str,
    name: str,
    type: str,
    purpose: str = Purpose.GENERAL,
    stands_for=None,
) -> Account:
    """Open an account next to the standard chart, for a funding stream or a project for
    example (`stands_for` is the object it belongs to). It starts with a zero balance."""
    _require(actor, cooperative, *BOOKING_ROLES)
    code = (code or "").strip()
    name = (name or "").strip()
    if not code:
        raise DomainError(_("Fill in a code for the account."), field="code")
    if not name:
        raise DomainError(_("Fill in a name."), field="name")
    if type not in AccountType.values:
        raise DomainError(_("Choose the type of account."), field="type")
    if purpose not in Purpose.values:
        raise DomainError(_("Choose what the account stands for."), field="purpose")
    if purpose == Purpose.PROJECT_BUDGET and type != AccountType.LIABILITY:
        raise DomainError(
            _("A project budget is money owed to the project: its type is liability."),
            field="type",
        )
    if Account.objects.filter(cooperative=cooperative, code=code).exists():
        raise DomainError(_("There is already an account with this code."), field="code")
    stands_for = subject_reference(stands_for)
    if (
        stands_for
        and Account.objects.filter(cooperative=cooperative, stands_for=stands_for).exists()
    ):
        raise DomainError(_("This already has an account."))
    (account,) = open_accounts_within(
        cooperative,
        [{"code": code, "name": name, "type": type, "purpose": purpose, "stands_for": stands_for}],
    )
    append_event(
        cooperative,
        actor=actor,
        action=ACCOUNT_OPENED,
        subject=account,
        payload={
            "code": code,
            "name": name,
            "type": type,
            "purpose": purpose,
            "currency": account.currency,
            "stands_for": stands_for,
        },
    )
    return account


def open_accounts_within(cooperative, specs) -> list[Account]:
    """Open accounts, each with its balance row, for a decision of another app whose own audit
    event records them (a funding stream's fund, the budgets of adopted proposals). `specs` are
    dicts with code, name, type, purpose and optionally stands_for; the caller has checked them
    and holds the cooperative's lock. Call `open_account` for an account opened on its own."""
    accounts = []
    for spec in specs:
        account = Account.objects.create(
            cooperative=cooperative,
            code=spec["code"],
            name=spec["name"],
            type=spec["type"],
            purpose=spec.get("purpose", Purpose.GENERAL),
            currency=cooperative.currency,
            stands_for=subject_reference(spec.get("stands_for")),
        )
        Balance.objects.create(account=account)
        accounts.append(account)
    return accounts


@transaction.atomic
def post_transaction(
    cooperative,
    *,
    actor,
    booking_date: datetime.date,
    description: str,
    lines,
    cause=None,
    on_behalf_of=None,
    action: str = POSTED,
    details: dict | None = None,
    checked_by_caller: bool = False,
) -> Transaction:
    """Book `lines`, pairs of (account, Money) with debit positive (see `lines.debit` and
    `lines.credit`), as one transaction on `booking_date`.

    Only the treasurer and the board book, unless `checked_by_caller`: a decision a member may
    take themselves that moves money (paying up a share with their own confirmed hours) has
    checked its own permission before it books.

    A decision of another app that moves money (an expense paid, shares issued) calls this with
    its own `action` and `cause` and puts what else it records in `details`: the one audit
    event of that decision is then this one, and the transaction names its cause."""
    description = _clean_description(description)
    amounts = _checked_lines(cooperative, lines)
    return _book(
        cooperative,
        actor=actor,
        roles=None if checked_by_caller else BOOKING_ROLES,
        on_behalf_of=on_behalf_of,
        booking_date=booking_date,
        description=description,
        amounts=amounts,
        action=action,
        cause=subject_reference(cause),
        details=details or {},
    )


class Booking(NamedTuple):
    """One booking of `post_transactions`: what `post_transaction` takes for one. A named tuple:
    a run makes tens of thousands, and a frozen dataclass costs twice as much to make."""

    booking_date: datetime.date
    description: str
    lines: list
    cause: object = None
    action: str = POSTED
    details: dict | None = None
    on_behalf_of: object = None


@transaction.atomic
def post_transactions(
    cooperative, *, actor, bookings: list[Booking], checked_by_caller: bool = False
) -> list[Transaction]:
    """Book many transactions at once, as `post_transaction` books each: the same rows, checks
    and locks, and one audit event per booking in the order given. A refusal of any booking
    refuses them all.

    On PostgreSQL the bookings are written with one COPY per table, the chain's events in one
    run and its head moved once (migration audit/0005, ADR 0007): thousands of bookings in one
    database transaction, one by one, would rewrite the same balance rows and chain head
    thousands of times. Elsewhere (SQLite) they are booked one by one."""
    bookings = list(bookings)
    # Thousands of bookings of one run mostly repeat a few lines (the same accounts and amount
    # objects): each distinct set of lines is checked once. Keyed by the objects' identity,
    # which holds while `bookings` keeps them all alive.
    lines_checked: dict[tuple, list] = {}
    checked = []
    for booking in bookings:
        lines = list(booking.lines or ())
        key = tuple((id(account), id(money)) for account, money in lines)
        amounts = lines_checked.get(key)
        if amounts is None:
            amounts = lines_checked[key] = _checked_lines(cooperative, lines)
        checked.append((booking, _clean_description(booking.description), amounts))
    roles = None if checked_by_caller else BOOKING_ROLES
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        return [
            _book(
                cooperative,
                actor=actor,
                roles=roles,
                on_behalf_of=booking.on_behalf_of,
                booking_date=booking.booking_date,
                description=description,
                amounts=amounts,
                action=booking.action,
                cause=subject_reference(booking.cause),
                details=booking.details or {},
            )
            for booking, description, amounts in checked
        ]
    if not checked:
        return []
    return _book_many(cooperative, actor=actor, roles=roles, checked=checked)


@transaction.atomic
def reverse_transaction(
    transaction: Transaction, *, actor, booking_date: datetime.date | None = None, reason: str
) -> Transaction:
    """Correct a booking by booking its exact opposite (on `booking_date`, today when not given).
    The original stays as it was; a booking is reversed at most once."""
    original = Transaction.objects.select_for_update().get(pk=transaction.pk)
    cooperative = original.cooperative
    _require(actor, cooperative, *BOOKING_ROLES)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason for the reversal."), field="reason")
    if Transaction.objects.filter(reverses=original).exists():
        raise DomainError(_("This booking has already been reversed."))
    if booking_date is None:
        booking_date = timezone.localdate()
    if booking_date < original.booking_date:
        raise DomainError(
            _("A reversal cannot be booked before the booking it reverses."), field="booking_date"
        )
    postings = original.postings.select_related("account").order_by("pk")
    amounts = [(posting.account, -posting.amount) for posting in postings]
    description = _("Reversal: %(description)s") % {"description": original.description}
    return _book(
        cooperative,
        actor=actor,
        roles=None,
        on_behalf_of=None,
        booking_date=booking_date,
        description=description[: Transaction._meta.get_field("description").max_length],
        amounts=amounts,
        action=REVERSED,
        cause=original.cause,
        details={"reverses": original.pk, "reason": reason},
        reverses=original,
    )


@transaction.atomic
def close_period(cooperative, *, actor, until: datetime.date) -> PeriodClose:
    """Close the books up to and including `until`: from now on nothing can be booked on or
    before that date. Records every account's balance at `until`."""
    # Locking the cooperative's row also holds back every new ledger transaction of it (their
    # foreign key needs a share lock on this row) until the closing has committed, so no booking
    # slips into the period while its balances are being taken.
    cooperative = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    _require(actor, cooperative, Role.TREASURER)
    if until >= timezone.localdate():
        raise DomainError(_("Only a period that has ended can be closed."), field="until")
    previous = (
        PeriodClose.objects.filter(cooperative=cooperative).order_by("-until").only("until").first()
    )
    if previous is not None and until <= previous.until:
        raise DomainError(
            _("The books are already closed up to %(date)s.")
            % {"date": previous.until.isoformat()},
            field="until",
        )
    accounts = list(Account.objects.filter(cooperative=cooperative).order_by("code"))
    amounts = {account.pk: cents(0) for account in accounts}
    if previous is not None:
        for account_id, amount in ClosingBalance.objects.filter(period=previous).values_list(
            "account_id", "amount"
        ):
            amounts[account_id] = cents(amount)
    movements = Posting.objects.filter(account__cooperative=cooperative, booking_date__lte=until)
    if previous is not None:
        movements = movements.filter(booking_date__gt=previous.until)
    for row in movements.values("account_id").annotate(total=Sum("amount")):
        amounts[row["account_id"]] += cents(row["total"])
    period = PeriodClose.objects.create(cooperative=cooperative, until=until, closed_by=actor)
    ClosingBalance.objects.bulk_create(
        [
            ClosingBalance(period=period, account_id=pk, amount=amount)
            for pk, amount in amounts.items()
        ]
    )
    append_event(
        cooperative,
        actor=actor,
        action=PERIOD_CLOSED,
        subject=period,
        payload={
            "until": until.isoformat(),
            "currency": cooperative.currency,
            "balances": {account.code: str(amounts[account.pk]) for account in accounts},
        },
    )
    return period


def _require(actor, cooperative, *roles) -> None:
    # None is the system (a management command, a webhook); site staff may act as it too.
    if actor is None or actor.is_staff:
        return
    require_role(actor, cooperative, *roles)


def _clean_description(description: str) -> str:
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Describe what the booking is for."), field="description")
    if len(description) > Transaction._meta.get_field("description").max_length:
        raise DomainError(_("Keep the description under 200 characters."), field="description")
    return description


def _checked_lines(cooperative, lines) -> list[tuple[Account, Decimal]]:
    """The lines as (account, signed Decimal), or a DomainError saying what is wrong."""
    lines = list(lines or ())
    if len(lines) < 2:
        raise DomainError(
            _("A booking needs at least two lines: where the money comes from and where it goes.")
        )
    currency = cooperative.currency
    places = _decimal_places(currency)
    amounts = []
    for account, money in lines:
        if not isinstance(money, Money):
            raise TypeError(f"an amount is Money, not {type(money).__name__}")
        if account.cooperative_id != cooperative.pk:
            raise DomainError(
                _("Account %(code)s belongs to another cooperative.") % {"code": account.code}
            )
        if money.currency.code != currency or account.currency != currency:
            raise DomainError(
                _("All amounts must be in %(currency)s, the currency of the cooperative.")
                % {"currency": currency}
            )
        amount = money.amount
        if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
            raise DomainError(_("This amount is too large."))
        if amount == 0:
            raise DomainError(_("An amount of zero cannot be booked."))
        if amount != round(amount, places):
            raise DomainError(
                _("%(amount)s has more decimals than %(currency)s has.")
                % {"amount": amount, "currency": currency}
            )
        # Written the way the currency writes it ("12.50"), in the postings and the chain.
        amounts.append((account, amount.quantize(Decimal(1).scaleb(-places))))
    difference = sum((amount for _account, amount in amounts), Decimal("0"))
    if difference != 0:
        raise DomainError(
            _("The booking does not balance: the lines differ by %(difference)s.")
            % {"difference": Money(difference, currency)}
        )
    return amounts


def _decimal_places(currency: str) -> int:
    sub_unit = get_currency(currency).sub_unit or 1
    return len(str(sub_unit)) - 1


def _period_closed(closed_until: datetime.date) -> DomainError:
    return DomainError(
        _("The books are closed up to %(date)s: book on a later date.")
        % {"date": closed_until.isoformat()},
        field="booking_date",
    )


# A booking is written without model saves, in two steps: open (lock, and read what the checks
# need) and write (the transaction, its postings, the balances, the audit event). On PostgreSQL
# each step is one call of a database function (migration 0003), so a booking is two round trips
# and its statements are planned once per session; elsewhere (SQLite) the service sends the same
# statements one by one. See docs/decisions/0003-bookings-in-two-round-trips.md.
_OPEN_BOOKING = "SELECT * FROM ledger_open_booking(%s, %s)"
_WRITE_BOOKING = (
    "SELECT * FROM ledger_write_booking(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
    " %s::bigint[], %s::numeric[], %s, %s, %s, %s, %s, %s, %s, %s)"
)
_READ_HEAD = (
    "SELECT label, seq, hash,"
    " (SELECT MAX(until) FROM ledger_periodclose WHERE cooperative_id = %s)"
    " FROM audit_chainhead WHERE cooperative_id = %s"
)
_INSERT_TRANSACTION = (
    "INSERT INTO ledger_transaction (cooperative_id, booking_date, description, action, cause,"
    " created_by_id, on_behalf_of_id, reverses_id, created_at)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id"
)
_INSERT_POSTING = (
    "INSERT INTO ledger_posting (transaction_id, account_id, amount, currency, booking_date)"
    " VALUES (%s, %s, %s, %s, %s)"
)
_ADD_TO_BALANCE = (
    "UPDATE ledger_balance SET amount = amount + %s WHERE account_id = %s RETURNING amount"
)


@dataclass(frozen=True)
class _Opened:
    transaction_id: int | None
    membership: Membership | None
    head: Head
    closed_until: datetime.date | None


def _book(
    cooperative,
    *,
    actor,
    roles,
    on_behalf_of,
    booking_date,
    description,
    amounts,
    action,
    cause,
    details,
    reverses=None,
) -> Transaction:
    """Write a checked booking: open it (lock the cooperative, then its chain head; read the
    actor's membership and the end of the closed period), check the actor's `roles` (when
    given) and the period, write, and check the budgets on the balances the writing returns,
    under their rows' locks. A refusal rolls the whole booking back."""
    connection = transaction.get_connection()
    on_postgresql = connection.vendor == "postgresql"
    booked = Transaction(
        cooperative_id=cooperative.pk,
        booking_date=booking_date,
        description=description,
        action=action,
        cause=cause,
        created_by=actor,
        on_behalf_of=on_behalf_of,
        reverses=reverses,
    )
    with connection.cursor() as cursor:
        opened = (_open_on_postgresql if on_postgresql else _open_elsewhere)(
            cursor, cooperative, actor
        )
        if _checks_roles(roles, actor) and not holds_role(opened.membership, *roles):
            require_role(actor, cooperative, *roles)  # raises, with its message
        if opened.closed_until is not None and booking_date <= opened.closed_until:
            raise _period_closed(opened.closed_until)
        booked.pk = opened.transaction_id
        if booked.pk is None:
            # Without a sequence to ask (SQLite), the database numbers the transaction first.
            booked.pk = _insert_transaction(cursor, booked)
        payload = {
            "transaction": booked.pk,
            "booking_date": booking_date.isoformat(),
            "currency": cooperative.currency,
            "lines": [[account.code, str(amount)] for account, amount in amounts],
            "cause": cause,
        }
        clash = payload.keys() & details.keys()
        if clash:
            raise ValueError(f"details may not replace {sorted(clash)}")
        event = next_event(
            opened.head,
            cooperative,
            actor=actor,
            action=action,
            subject=booked,
            payload=payload | details,
            on_behalf_of=on_behalf_of,
        )
        write = _write_on_postgresql if on_postgresql else _write_elsewhere
        event_id, balances = write(cursor, cooperative, booked, amounts, event)
    accounts = {account.pk: account for account, _amount in amounts}
    for account_pk, balance in balances.items():
        _check_budget(accounts[account_pk], cents(balance), _added(amounts, account_pk))
    written(event, [(event_id,)], connection)
    booked._state.adding = False
    booked._state.db = connection.alias
    return booked


# The fields of a transaction in the order `_book_many` gives them.
_TRANSACTION_FIELDS = (
    "id",
    "cooperative_id",
    "booking_date",
    "description",
    "action",
    "cause",
    "created_by_id",
    "on_behalf_of_id",
    "reverses_id",
    "created_at",
)
if tuple(field.attname for field in Transaction._meta.concrete_fields) != _TRANSACTION_FIELDS:
    raise RuntimeError("ledger.Transaction's fields changed: update _book_many")

# The sequence is looked up once (OFFSET 0 keeps the subquery apart): named inside nextval, its
# name was read into a regclass again for every id, a tenth of a second per 10,000 ids.
_MORE_TRANSACTION_IDS = (
    "SELECT nextval(sequence.id) FROM generate_series(2, %s),"
    " (SELECT pg_get_serial_sequence('ledger_transaction', 'id')::regclass AS id OFFSET 0)"
    " AS sequence"
)
_COPY_TRANSACTIONS = (
    "COPY ledger_transaction (id, cooperative_id, booking_date, description, action, cause,"
    " created_by_id, on_behalf_of_id, reverses_id, created_at) FROM STDIN"
)
_COPY_POSTINGS = (
    "COPY ledger_posting (transaction_id, account_id, amount, currency, booking_date) FROM STDIN"
)
_ADD_TO_BALANCES = (
    "UPDATE ledger_balance AS balance SET amount = balance.amount + added.amount"
    " FROM unnest(%s::bigint[], %s::numeric[]) AS added(account_id, amount)"
    " WHERE balance.account_id = added.account_id RETURNING balance.account_id, balance.amount"
)


def _book_many(cooperative, *, actor, roles, checked) -> list[Transaction]:
    """`post_transactions` on PostgreSQL: open as `_book` does (the cooperative, the chain head,
    the actor's membership, the closed period), number every transaction, check, and write each
    table in one statement; then check the project budgets booking by booking on the balances
    the writing returned. A refusal rolls everything back."""
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        opened = _open_on_postgresql(cursor, cooperative, actor)
        if _checks_roles(roles, actor) and not holds_role(opened.membership, *roles):
            require_role(actor, cooperative, *roles)  # raises, with its message
        for booking, _description, _amounts in checked:
            if opened.closed_until is not None and booking.booking_date <= opened.closed_until:
                raise _period_closed(opened.closed_until)
        ids = [opened.transaction_id]
        if len(checked) > 1:
            cursor.execute(_MORE_TRANSACTION_IDS, [len(checked)])
            ids += [row[0] for row in cursor.fetchall()]
        # The rows go to the database with COPY as they are made, so PostgreSQL stores each
        # table's rows while Python makes the next ones (the events, with their hashes, cost the
        # most to make). The table's rules check each COPY as one statement (migrations 0008 and
        # audit 0007); a refusal, here or there, rolls everything back.
        raw = cursor.cursor
        actor_pk = None if actor is None else actor.pk
        booked_list, payloads = [], []
        # The lines of a payload, once per distinct checked lines (see post_transactions).
        written_lines: dict[int, list] = {}
        with raw.copy(_COPY_TRANSACTIONS) as copy:
            for pk, (booking, description, amounts) in zip(ids, checked, strict=True):
                # In the order of the model's fields (_TRANSACTION_FIELDS), which is the COPY's:
                # for thousands of bookings the keyword form's per-field lookups cost seconds.
                values = (
                    pk,
                    cooperative.pk,
                    booking.booking_date,
                    description,
                    booking.action,
                    subject_reference(booking.cause),
                    actor_pk,
                    None if booking.on_behalf_of is None else booking.on_behalf_of.pk,
                    None,
                    timezone.now(),
                )
                copy.write_row(values)
                booked = Transaction(*values)
                details = booking.details or {}
                lines = written_lines.get(id(amounts))
                if lines is None:
                    lines = written_lines[id(amounts)] = [
                        [account.code, str(amount)] for account, amount in amounts
                    ]
                payload = {
                    "transaction": pk,
                    "booking_date": booking.booking_date.isoformat(),
                    "currency": cooperative.currency,
                    "lines": lines,
                    "cause": booked.cause,
                }
                clash = payload.keys() & details.keys()
                if clash:
                    raise ValueError(f"details may not replace {sorted(clash)}")
                booked_list.append(booked)
                payloads.append(payload | details)
        added: dict[int, Decimal] = {}
        with raw.copy(_COPY_POSTINGS) as copy:
            for booked, (_booking, _description, amounts) in zip(booked_list, checked, strict=True):
                for account, amount in amounts:
                    copy.write_row(
                        (booked.pk, account.pk, amount, cooperative.currency, booked.booking_date)
                    )
                    added[account.pk] = added.get(account.pk, Decimal(0)) + amount
        # Looked up now, one per whom a booking is made for: no query may run while the events
        # stream.
        known: dict = {}
        references = []
        for booking, _description, _amounts in checked:
            behalf = booking.on_behalf_of
            key = None if behalf is None else behalf.pk
            if key not in known:
                known[key] = actor_references(cooperative, actor, behalf)
            references.append(known[key])
        events = (
            (booking.action, booked, payload, made_by)
            for booked, (booking, _description, _amounts), payload, made_by in zip(
                booked_list, checked, payloads, references, strict=True
            )
        )
        head = copy_run(cursor, opened.head, cooperative, actor=actor, events=events)
        statements = Statements(cursor)
        balances_at = statements.add(
            _ADD_TO_BALANCES, [array_literal(added), array_literal(added.values())]
        )
        move_head(statements, cooperative.pk, head.seq, head.hash)
        results = statements.run()
    balances = {account_pk: cents(amount) for account_pk, amount in results[balances_at]}
    _check_budgets_in_turn(checked, balances, added)
    for booked in booked_list:
        booked._state.adding = False
        booked._state.db = connection.alias
    return booked_list


def _check_budgets_in_turn(checked, balances: dict, added: dict) -> None:
    """Walk the bookings in order from the balances before them, and refuse the first that left
    a project budget above zero, as `_book` would have refused it in its turn."""
    running = {account_pk: balances[account_pk] - added[account_pk] for account_pk in added}
    for _booking, _description, amounts in checked:
        accounts = {account.pk: account for account, _amount in amounts}
        for account_pk, account in accounts.items():
            # Only a project budget's running balance is checked, so only its is kept.
            if account.purpose == Purpose.PROJECT_BUDGET:
                step = _added(amounts, account_pk)
                running[account_pk] += step
                _check_budget(account, running[account_pk], step)


def _checks_roles(roles, actor) -> bool:
    # None is the system; site staff may act as it too (see _require).
    return roles is not None and actor is not None and not actor.is_staff


def _open_on_postgresql(cursor, cooperative, actor) -> _Opened:
    cursor.execute(_OPEN_BOOKING, [cooperative.pk, None if actor is None else actor.pk])
    transaction_id, membership, label, seq, digest, closed_until = cursor.fetchone()
    return _Opened(
        transaction_id,
        # Django reads JSON columns itself, so the driver hands back the text.
        Membership(**json.loads(membership)) if membership else None,
        Head(label, seq, digest),
        closed_until,
    )


def _open_elsewhere(cursor, cooperative, actor) -> _Opened:
    # SQLite lets one writer at a time in: no row locks to take.
    membership = None
    if actor is not None:
        membership = (
            Membership.objects.filter(user=actor, cooperative=cooperative).order_by().first()
        )
    cursor.execute(_READ_HEAD, [cooperative.pk, cooperative.pk])
    label, seq, digest, closed_until = cursor.fetchone()
    if isinstance(closed_until, str):  # the date of an aggregate comes back as text
        closed_until = datetime.date.fromisoformat(closed_until)
    return _Opened(None, membership, Head(label, seq, digest), closed_until)


def _insert_transaction(cursor, booked) -> int:
    ops = cursor.db.ops
    cursor.execute(
        _INSERT_TRANSACTION,
        [
            booked.cooperative_id,
            ops.adapt_datefield_value(booked.booking_date),
            booked.description,
            booked.action,
            booked.cause,
            booked.created_by_id,
            booked.on_behalf_of_id,
            booked.reverses_id,
            ops.adapt_datetimefield_value(booked.created_at),
        ],
    )
    return cursor.fetchone()[0]


def _write_on_postgresql(cursor, cooperative, booked, amounts, event) -> tuple[int, dict]:
    cursor.execute(
        _WRITE_BOOKING,
        [
            booked.pk,
            cooperative.pk,
            booked.booking_date,
            booked.description,
            booked.action,
            booked.cause,
            booked.created_by_id,
            booked.on_behalf_of_id,
            booked.reverses_id,
            booked.created_at,
            cooperative.currency,
            [account.pk for account, _amount in amounts],
            [amount for _account, amount in amounts],
            event.seq,
            event.time,
            event.actor,
            event.on_behalf_of,
            event.subject,
            payload_for_database(event.payload, cursor.db),
            event.prev_hash,
            event.hash,
        ],
    )
    event_id, accounts, balances = cursor.fetchone()
    return event_id, dict(zip(accounts, balances, strict=True))


def _write_elsewhere(cursor, cooperative, booked, amounts, event) -> tuple[int, dict]:
    date = cursor.db.ops.adapt_datefield_value(booked.booking_date)
    for account, amount in amounts:
        cursor.execute(_INSERT_POSTING, [booked.pk, account.pk, amount, cooperative.currency, date])
    balances = {}
    for account, _amount in amounts:
        if account.pk not in balances:
            cursor.execute(_ADD_TO_BALANCE, [_added(amounts, account.pk), account.pk])
            balances[account.pk] = cursor.fetchone()[0]
    statements = Statements(cursor)
    event_at = write_event_statements(statements, event)
    return statements.run()[event_at][0][0], balances


def _added(amounts, account_pk) -> Decimal:
    return sum((amount for account, amount in amounts if account.pk == account_pk), Decimal(0))


def _check_budget(account: Account, balance: Decimal, added: Decimal) -> None:
    """A project budget is a credit balance (negative): refuse a booking that left it above
    zero. `balance` is the new balance, `added` what the booking added to it."""
    if account.purpose == Purpose.PROJECT_BUDGET and balance > 0:
        raise DomainError(
            _("There is not enough money left in the budget %(name)s: %(available)s is available.")
            % {"name": account.name, "available": Money(added - balance, account.currency)}
        )
