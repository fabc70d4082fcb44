"""Ledger benchmarks.

Bookings per second, each a balanced transaction of two postings with its balance updates and
its audit event, one commit each:

- through the posting service (`post_transaction`, as a treasurer, with every check it makes);
- through plain psycopg writing the same rows, the physical limit of this machine and server:
  the transaction, its two postings (one statement), the two balance rows, the chain head and
  the audit event, one statement per table, psycopg's prepared statements, no checks at all.

Each runs in one process and in four at once; in four, each process books for its own
cooperative, as the cooperatives of one installation do. A second four-process figure books for
one cooperative on the same two accounts, where every booking waits for the one before.

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
ROUNDS = 3

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


def _raw_worker(url, cooperative_id, treasurer_id, count, start, results):
    today = datetime.date.today()
    with psycopg.connect(url) as connection:
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
            cursor.execute(
                _INSERT_TRANSACTION, [cooperative_id, today, f"Gift {number}", treasurer_id]
            )
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

        _measure(book, count, start, results)


def _service_worker(url, cooperative_id, treasurer_id, count, start, results):
    from django.db import connections
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

    try:
        _measure(book, count, start, results)
    finally:
        connections.close_all()


def _measure(operation, count, start, results):
    for number in range(WARMUP):
        operation(number)
    start.wait(timeout=300)
    began = time.perf_counter()
    for number in range(WARMUP, WARMUP + count):
        operation(number)
    results.put((began, time.perf_counter(), count))


def throughput(worker, url, cooperatives, count) -> float:
    """Operations per second of `worker`, one process per entry of `cooperatives` (pairs of
    cooperative and treasurer ids), all starting together. The clock runs from the first start
    to the last finish."""
    from django.db import connections

    connections.close_all()  # the forked processes open their own
    context = multiprocessing.get_context("fork")
    start = context.Barrier(len(cooperatives))
    results = context.Queue()
    processes = [
        context.Process(target=worker, args=(url, cooperative, treasurer, count, start, results))
        for cooperative, treasurer in cooperatives
    ]
    for process in processes:
        process.start()
    measured = [results.get(timeout=900) for _process in processes]
    for process in processes:
        process.join()
        if process.exitcode != 0:
            raise RuntimeError(f"a benchmark process failed (exit code {process.exitcode})")
    began = min(first for first, _last, _count in measured)
    ended = max(last for _first, last, _count in measured)
    return sum(done for _first, _last, done in measured) / (ended - began)


def bookings(url, made, count) -> dict[str, float]:
    """The booking figures, each the median of ROUNDS rounds; raw and service rounds take turns,
    so that a slow moment of the machine falls on both."""
    one_raw = [made["raw-1"]]
    four_raw = [made[f"raw-{n}"] for n in range(1, 5)]
    one = [made["bench-1"]]
    four = [made[f"bench-{n}"] for n in range(1, 5)]
    shared = [made["shared"]] * 4
    rounds = {name: [] for name in ("raw_1", "post_1", "raw_4", "post_4", "post_4_shared")}
    for _round in range(ROUNDS):
        rounds["raw_1"].append(throughput(_raw_worker, url, one_raw, count))
        rounds["post_1"].append(throughput(_service_worker, url, one, count))
        rounds["raw_4"].append(throughput(_raw_worker, url, four_raw, count))
        rounds["post_4"].append(throughput(_service_worker, url, four, count))
        rounds["post_4_shared"].append(throughput(_service_worker, url, shared, count // 2))
    return {name: statistics.median(values) for name, values in rounds.items()}


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
