"""Ledger benchmarks.

Bookings per second, each a balanced transaction of two postings with its balance updates and
its audit event, one commit each:

- through the posting service (`post_transaction`, as a treasurer, with every check it makes);
- through plain psycopg writing the same rows, the physical limit of this machine and server:
  the transaction, its two postings (one statement), the two balance rows, the chain head and
  the audit event, one statement per table, psycopg's prepared statements, no checks at all.

Each runs in one process and in four at once; in four, each process books for its own
cooperative, as the cooperatives of one installation do. A third figure books with four
processes for one cooperative on the same two accounts, where every booking waits for the one
before. Audit events appended through `append_event` are measured alongside, in one process.

The kinds take turns in blocks, all processes on the same kind at the same time, so that a busy
moment of the machine falls on each kind alike.

And reads: the balance of an account with 1,000,000 postings, through the balance selector, and
for comparison a plain SUM over those postings.
"""

import datetime
import hashlib
import multiprocessing
import statistics
import time
from decimal import Decimal

import psycopg
from psycopg.types.json import Jsonb

WARMUP = 30

_INSERT_TRANSACTION = (
    "INSERT INTO ledger_transaction (cooperative_id, booking_date, description, action, cause,"
    " created_by_id, created_at) VALUES (%s, %s, %s, 'ledger.posted', '', %s, now())"
    " RETURNING id"
)
_INSERT_POSTINGS = (
    "INSERT INTO ledger_posting (transaction_id, account_id, amount, currency, booking_date)"
    " VALUES (%s, %s, %s, 'EUR', %s), (%s, %s, %s, 'EUR', %s)"
)
_ADD_TO_BALANCE = "UPDATE ledger_balance SET amount = amount + %s WHERE account_id = %s"
_LOCK_HEAD = "SELECT seq, hash FROM audit_chainhead WHERE cooperative_id = %s FOR UPDATE"
_INSERT_EVENT = (
    "INSERT INTO audit_auditevent (cooperative_id, seq, time, actor, on_behalf_of, actor_user_id,"
    " action, subject, payload, prev_hash, hash)"
    " VALUES (%s, %s, %s, 'member:1', '', %s, 'ledger.posted', %s, %s, %s, %s)"
)
_MOVE_HEAD = "UPDATE audit_chainhead SET seq = %s, hash = %s WHERE cooperative_id = %s"


def create_cooperatives(slugs) -> dict[str, tuple[int, int]]:
    """A cooperative (with its standard chart) and a treasurer for each slug."""
    from members import services
    from members.models import Role

    made = {}
    for slug in slugs:
        cooperative = services.create_cooperative(actor=None, name=f"Bench {slug}", slug=slug)
        treasurer = services.register_resident(
            cooperative,
            actor=None,
            full_name="Treasurer",
            email=f"treasurer@{slug}.example",
            roles=[Role.RESIDENT, Role.TREASURER],
        )
        made[slug] = (cooperative.pk, treasurer.user_id)
    return made


def _amount(number: int) -> Decimal:
    return Decimal(100 + number % 9900) / 100


def _raw_booking(url, cooperative_id, treasurer_id):
    """Book with plain psycopg: the same rows, one statement per table, one commit."""
    today = datetime.date.today()
    connection = psycopg.connect(url)
    bank, gifts = [
        row[0]
        for row in connection.execute(
            "SELECT id FROM ledger_account WHERE cooperative_id = %s AND code IN"
            " ('1000', '8000') ORDER BY code",
            [cooperative_id],
        )
    ]
    connection.commit()
    cursor = connection.cursor()

    def book(number):
        amount = _amount(number)
        cursor.execute(_INSERT_TRANSACTION, [cooperative_id, today, f"Gift {number}", treasurer_id])
        transaction_id = cursor.fetchone()[0]
        cursor.execute(
            _INSERT_POSTINGS,
            [transaction_id, bank, amount, today, transaction_id, gifts, -amount, today],
        )
        cursor.execute(_ADD_TO_BALANCE, [amount, bank])
        cursor.execute(_ADD_TO_BALANCE, [-amount, gifts])
        cursor.execute(_LOCK_HEAD, [cooperative_id])
        seq, prev_hash = cursor.fetchone()
        digest = hashlib.sha256(f"{prev_hash}{seq + 1}".encode()).hexdigest()
        cursor.execute(
            _INSERT_EVENT,
            [
                cooperative_id,
                seq + 1,
                datetime.datetime.now(datetime.UTC).isoformat(),
                treasurer_id,
                f"ledger.transaction:{transaction_id}",
                Jsonb({"transaction": transaction_id, "lines": [["1000", str(amount)]]}),
                prev_hash,
                digest,
            ],
        )
        cursor.execute(_MOVE_HEAD, [seq + 1, digest, cooperative_id])
        connection.commit()

    return book


def _service_booking(url, cooperative_id, treasurer_id):
    """Book through the posting service, as the treasurer."""
    from moneyed import Money

    from members.models import Cooperative, User
    from wijkbv.ledger.lines import credit, debit
    from wijkbv.ledger.models import Account
    from wijkbv.ledger.services import post_transaction

    today = datetime.date.today()
    cooperative = Cooperative.objects.get(pk=cooperative_id)
    treasurer = User.objects.get(pk=treasurer_id)
    bank = Account.objects.get(cooperative=cooperative, code="1000")
    gifts = Account.objects.get(cooperative=cooperative, code="8000")

    def book(number):
        amount = Money(_amount(number), cooperative.currency)
        post_transaction(
            cooperative,
            actor=treasurer,
            booking_date=today,
            description=f"Gift {number}",
            lines=[debit(bank, amount), credit(gifts, amount)],
        )

    return book


def _service_append(url, cooperative_id, treasurer_id):
    """Append an event through append_event, in its own transaction."""
    from django.db import transaction

    from members.models import Cooperative, User
    from wijkbv.audit.services import append_event

    cooperative = Cooperative.objects.get(pk=cooperative_id)
    treasurer = User.objects.get(pk=treasurer_id)

    def append(number):
        with transaction.atomic():
            append_event(
                cooperative,
                actor=treasurer,
                action="expense.approved",
                subject=f"budgets.expense:{number}",
                payload={"expense": number, "amount": str(_amount(number)), "approvals": [4, 7]},
            )

    return append


KINDS = {"raw": _raw_booking, "post": _service_booking, "append": _service_append}


def _worker(url, plan, blocks, block, barrier, results):
    """Run each kind of `plan` (kind -> (cooperative, treasurer)) in turn, `blocks` times
    `block` operations, starting every block together with the other processes."""
    from django.db import connections

    operations = {kind: KINDS[kind](url, *ids) for kind, ids in plan.items()}
    for operation in operations.values():
        for number in range(WARMUP):
            operation(number)
    number = WARMUP
    try:
        for index in range(blocks):
            for kind, operation in operations.items():
                barrier.wait(timeout=300)
                began = time.perf_counter()
                for _operation in range(block):
                    operation(number)
                    number += 1
                results.put((kind, index, began, time.perf_counter(), block))
    finally:
        connections.close_all()


def run_blocks(url, plans, blocks, block) -> dict[str, float]:
    """Operations per second of each kind, with one process per plan, all processes running the
    same kind at the same time. Kinds take turns block by block, so that a busy moment of the
    machine falls on each of them alike. A block's clock runs from the first process's start to
    the last one's finish."""
    from django.db import connections

    connections.close_all()  # the forked processes open their own
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(plans))
    results = context.Queue()
    processes = [
        context.Process(target=_worker, args=(url, plan, blocks, block, barrier, results))
        for plan in plans
    ]
    for process in processes:
        process.start()
    expected = len(plans) * blocks * len(plans[0])
    measured = [results.get(timeout=1800) for _result in range(expected)]
    for process in processes:
        process.join()
        if process.exitcode != 0:
            raise RuntimeError(f"a benchmark process failed (exit code {process.exitcode})")
    spans: dict[tuple[str, int], list] = {}
    for kind, index, began, ended, done in measured:
        spans.setdefault((kind, index), []).append((began, ended, done))
    speeds = {}
    for kind in plans[0]:
        seconds = operations = 0
        for index in range(blocks):
            span = spans[(kind, index)]
            seconds += max(end for _b, end, _d in span) - min(begin for begin, _e, _d in span)
            operations += sum(done for _b, _e, done in span)
        speeds[kind] = operations / seconds
    return speeds


def bookings(url, made, count) -> dict[str, float]:
    """The booking and append figures: `count` operations of each kind per process, in blocks
    of a tenth."""
    blocks, block = 10, max(count // 10, 1)
    one = run_blocks(
        url,
        [{"raw": made["raw-1"], "post": made["bench-1"], "append": made["audit"]}],
        blocks,
        block,
    )
    four = run_blocks(
        url,
        [{"raw": made[f"raw-{n}"], "post": made[f"bench-{n}"]} for n in range(1, 5)],
        blocks,
        block,
    )
    shared = run_blocks(url, [{"post": made["shared"]}] * 4, blocks, max(block // 2, 1))
    return {
        "raw_1": one["raw"],
        "post_1": one["post"],
        "append_1": one["append"],
        "raw_4": four["raw"],
        "post_4": four["post"],
        "post_4_shared": shared["post"],
    }


def load_postings(url, cooperative_id, postings: int) -> int:
    """Give the bank account of the cooperative `postings` postings, generated in the database:
    transactions of ten one-euro postings on the bank account and one of minus ten on the gifts
    account. Loaded as a bulk load is (triggers off for the session, as a superuser may), then
    checked: every transaction sums to zero. Returns the bank account's id."""
    per_transaction = 10
    with psycopg.connect(url) as connection:
        bank, gifts = [
            row[0]
            for row in connection.execute(
                "SELECT id FROM ledger_account WHERE cooperative_id = %s AND code IN"
                " ('1000', '8000') ORDER BY code",
                [cooperative_id],
            )
        ]
        connection.execute("SET session_replication_role = replica")
        connection.execute(
            "INSERT INTO ledger_transaction (cooperative_id, booking_date, description, action,"
            " cause, created_at)"
            " SELECT %s, date '2025-01-01' + (n %% 365), 'Generated', 'bench.generated', '', now()"
            " FROM generate_series(1, %s) AS n",
            [cooperative_id, postings // per_transaction],
        )
        connection.execute(
            "INSERT INTO ledger_posting (transaction_id, account_id, amount, currency, booking_date)"
            " SELECT t.id, %s, 1.00, 'EUR', t.booking_date"
            " FROM ledger_transaction t, generate_series(1, %s) WHERE t.cooperative_id = %s"
            " UNION ALL"
            " SELECT t.id, %s, %s, 'EUR', t.booking_date"
            " FROM ledger_transaction t WHERE t.cooperative_id = %s",
            [bank, per_transaction, cooperative_id, gifts, -per_transaction, cooperative_id],
        )
        connection.execute(
            "UPDATE ledger_balance b SET amount = (SELECT coalesce(sum(amount), 0)"
            " FROM ledger_posting p WHERE p.account_id = b.account_id)"
            " WHERE account_id IN (%s, %s)",
            [bank, gifts],
        )
        connection.execute("SET session_replication_role = origin")
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE ledger_transaction")
        connection.execute("VACUUM ANALYZE ledger_posting")
        loaded = connection.execute(
            "SELECT count(*) FROM ledger_posting WHERE account_id = %s", [bank]
        ).fetchone()[0]
        unbalanced = connection.execute(
            "SELECT count(*) FROM (SELECT transaction_id FROM ledger_posting p"
            " JOIN ledger_transaction t ON t.id = p.transaction_id WHERE t.cooperative_id = %s"
            " GROUP BY transaction_id HAVING sum(amount) <> 0) AS unbalanced",
            [cooperative_id],
        ).fetchone()[0]
    if loaded != postings or unbalanced:
        raise RuntimeError(f"generated {loaded} postings, {unbalanced} unbalanced transactions")
    return bank


def balance_reads(url, account_id, reads: int) -> tuple[float, float, Decimal]:
    """Median milliseconds of a balance read through the selector, and of a plain SUM over the
    account's postings; and the balance read."""
    from django.db import connections

    from wijkbv.ledger.models import Account
    from wijkbv.ledger.selectors import balance

    account = Account.objects.get(pk=account_id)
    for _read in range(50):
        balance(account)
    timings = []
    for _read in range(reads):
        began = time.perf_counter()
        amount = balance(account)
        timings.append(time.perf_counter() - began)
    sums = []
    with psycopg.connect(url) as connection:
        for _read in range(5):
            began = time.perf_counter()
            total = connection.execute(
                "SELECT sum(amount) FROM ledger_posting WHERE account_id = %s", [account_id]
            ).fetchone()[0]
            sums.append(time.perf_counter() - began)
    if total != amount.amount:
        raise RuntimeError(f"the balance row says {amount.amount}, the postings {total}")
    connections.close_all()
    return statistics.median(timings) * 1000, statistics.median(sums) * 1000, amount.amount
