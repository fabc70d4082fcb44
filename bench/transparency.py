"""Transparency benchmark: the open page of a cooperative and one funder's page, for the
cooperative of the reciprocity benchmark (10,000 members, 1,000,000 contributions).

Its money is made through the services, as a treasurer and a board would: three funders (the
partner organisations the neighbourhood also gives time to) with two funding streams each, money
received on every stream, a participatory-budget vote per stream that adopts five projects, and
supplier invoices approved by two people and paid in one payment batch per stream. Then a year
of the projects' spending is generated in the database (transactions of one posting on a project
budget and one on the bank account, loaded as the ledger benchmark loads its postings and
checked to sum to zero), so that the funds and budgets the pages read hold the postings of a
busy cooperative. The pages are asked for through Django's test client with nothing cached: the
median and the 95th percentile of the runs, and the queries of one request.
"""

import argparse
import datetime
import io
import os
import sys
import tempfile
from decimal import Decimal

from bench import reciprocity

SLUG = reciprocity.SLUG
STREAMS_PER_FUNDER = 2
PROJECTS_PER_STREAM = 5
INVOICES_PER_PROJECT = 4
PROJECT_AMOUNT = Decimal("20000")
# Each generated transaction moves this much from the bank to a project budget's spending.
SPENDING = Decimal("0.10")


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(out, format="PNG")
    return out.getvalue()


def _people(cooperative) -> dict:
    from members import services as member_services
    from members.models import Role

    roles = {
        "board": [Role.RESIDENT, Role.BOARD],
        "chair": [Role.RESIDENT, Role.BOARD],
        "treasurer": [Role.RESIDENT, Role.TREASURER],
        "coordinator": [Role.RESIDENT, Role.COORDINATOR],
    }
    return {
        name: member_services.register_resident(
            cooperative,
            actor=None,
            full_name=f"Bench {name}",
            email=f"{name}@bench.example.org",
            roles=given,
        ).user
        for name, given in roles.items()
    }


def _close(vote, board):
    """Move a vote's closing time into the past, as if it came, and close it."""
    from django.utils import timezone

    from budgets import services
    from budgets.models import Vote

    now = timezone.now()
    Vote.objects.filter(pk=vote.pk).update(
        opens_at=now - datetime.timedelta(hours=2), closes_at=now - datetime.timedelta(seconds=1)
    )
    vote.refresh_from_db()
    return services.close_vote(vote, actor=board)


def _stream_with_projects(cooperative, people, funder, number, bank_account, receipt):
    from django.utils import timezone

    from budgets import services

    today = timezone.localdate()
    total = PROJECT_AMOUNT * PROJECTS_PER_STREAM
    stream = services.add_funding_stream(
        cooperative,
        actor=people["board"],
        funder=funder,
        name=f"{funder.name} {number}",
        committed=str(total * 2),
        starts_on=today.replace(month=1, day=1),
        ends_on=today.replace(month=12, day=31),
    )
    services.record_stream_receipt(stream, actor=people["treasurer"], amount=str(total + 1000))
    proposals = []
    for index in range(PROJECTS_PER_STREAM):
        proposal = services.submit_proposal(
            cooperative,
            actor=people["coordinator"],
            title=f"Project {number}.{index + 1} van {funder.name}",
            description="Een project voor de buurt.",
            amount=str(PROJECT_AMOUNT),
            theme="care",
            stream=stream,
        )
        proposals.append(services.check_proposal(proposal, actor=people["board"], eligible=True))
    now = timezone.now()
    vote = services.open_vote(
        cooperative,
        actor=people["board"],
        title=f"Wijkbudget {stream.name}",
        kind="budget",
        electorate="members",
        weighting="per_member",
        proposals=proposals,
        rule="greedy",
        stream=stream,
        budget_limit=str(total),
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(hours=1),
    )
    for voter in people.values():
        services.cast_ballot(vote, actor=voter, approvals=proposals)
    _close(vote, people["chair"])
    invoices = []
    for proposal in proposals:
        proposal.refresh_from_db()
        for index in range(INVOICES_PER_PROJECT):
            invoice = services.submit_expense(
                cooperative,
                actor=people["coordinator"],
                kind="invoice",
                supplier_name="Groenteboer De Wit",
                budget=proposal.budget_account,
                amount=f"{100 + index * 25}.00",
                description="Boodschappen",
                spent_on=today - datetime.timedelta(days=index * 30),
                receipt=receipt,
                receipt_name="factuur.png",
                payee_iban="NL44RABO0123456789",
            )
            services.approve_expense(invoice, actor=people["treasurer"])
            invoices.append(services.approve_expense(invoice, actor=people["board"]))
    services.make_payment_batch(
        cooperative, actor=people["treasurer"], bank_account=bank_account, expenses=invoices
    )
    return stream, [proposal.budget_account_id for proposal in proposals]


_SPENDING = """
INSERT INTO ledger_transaction (cooperative_id, booking_date, description, action, cause,
    created_at)
SELECT %(cooperative)s, current_date - (n %% 365), 'Generated', 'bench.generated', '', now()
FROM generate_series(1, %(count)s) AS n
"""

_SPENDING_POSTINGS = """
INSERT INTO ledger_posting (transaction_id, account_id, amount, currency, booking_date)
SELECT t.id, (%(budgets)s::bigint[])[1 + t.id %% cardinality(%(budgets)s::bigint[])], %(amount)s,
    'EUR', t.booking_date
FROM ledger_transaction t WHERE t.cooperative_id = %(cooperative)s AND t.action = 'bench.generated'
UNION ALL
SELECT t.id, %(bank)s, -%(amount)s, 'EUR', t.booking_date
FROM ledger_transaction t WHERE t.cooperative_id = %(cooperative)s AND t.action = 'bench.generated'
"""


def _spending(cooperative, budgets: list[int], bank: int, postings: int) -> None:
    """`postings` postings of the projects' spending over the last year, generated in the
    database with the ledger's triggers off (as a bulk load is), then checked."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(_SPENDING, {"cooperative": cooperative.pk, "count": postings // 2})
        cursor.execute(
            _SPENDING_POSTINGS,
            {"cooperative": cooperative.pk, "budgets": budgets, "bank": bank, "amount": SPENDING},
        )
        cursor.execute(
            "UPDATE ledger_balance b SET amount = (SELECT coalesce(sum(amount), 0)"
            " FROM ledger_posting p WHERE p.account_id = b.account_id)"
            " WHERE account_id = ANY(%s)",
            [[*budgets, bank]],
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE ledger_transaction")
        cursor.execute("VACUUM ANALYZE ledger_posting")
        cursor.execute(
            "SELECT count(*) FROM (SELECT transaction_id FROM ledger_posting p"
            " JOIN ledger_transaction t ON t.id = p.transaction_id WHERE t.cooperative_id = %s"
            " GROUP BY transaction_id HAVING sum(amount) <> 0) AS unbalanced",
            [cooperative.pk],
        )
        (unbalanced,) = cursor.fetchone()
        # A budget's balance is its credit: what is left of it is minus the balance.
        cursor.execute(
            "SELECT max(b.amount) FROM ledger_balance b WHERE b.account_id = ANY(%s)", [budgets]
        )
        (highest,) = cursor.fetchone()
    if unbalanced or highest > 0:
        raise RuntimeError(f"{unbalanced} unbalanced transactions, a budget overspent: {highest}")


def load(postings: int) -> dict:
    """Give the reciprocity benchmark's cooperative its funders, streams, projects and paid
    invoices, and `postings` postings of spending. Returns the counts made."""
    from django.test.utils import override_settings

    from budgets import services
    from members.models import Cooperative, PartnerOrganisation

    cooperative = Cooperative.objects.get(slug=SLUG)
    people = _people(cooperative)
    receipt = _png()
    budgets = []
    with tempfile.TemporaryDirectory() as folder, override_settings(RECEIPTS_ROOT=folder):
        bank_account = services.add_bank_account(
            cooperative, actor=people["treasurer"], iban="NL69INGB0123456789", name="Betaal"
        )
        funders = PartnerOrganisation.objects.filter(
            cooperative=cooperative, name__in=reciprocity.PARTNERS
        ).order_by("name")
        for funder in funders:
            for number in range(1, STREAMS_PER_FUNDER + 1):
                _stream, made = _stream_with_projects(
                    cooperative, people, funder, number, bank_account, receipt
                )
                budgets += made
    _spending(cooperative, budgets, bank_account.ledger_account_id, postings)
    return {
        "funders": len(funders),
        "streams": len(funders) * STREAMS_PER_FUNDER,
        "projects": len(budgets),
        "invoices": len(budgets) * INVOICES_PER_PROJECT,
        "postings": postings,
    }


def pages(runs: int) -> dict[str, tuple[float, float, int]]:
    """The open page and the first funder's page through the test client: for each, median and
    95th percentile in milliseconds and the number of queries of one request."""
    from django.urls import reverse

    from members.models import Cooperative, PartnerOrganisation

    cooperative = Cooperative.objects.get(slug=SLUG)
    funder = (
        PartnerOrganisation.objects.filter(cooperative=cooperative, funding_streams__isnull=False)
        .order_by("name")
        .first()
    )
    return {
        "open": reciprocity.time_url(reverse("budgets:open", args=[SLUG]), runs),
        "funder": reciprocity.time_url(
            reverse("budgets:open_funder", args=[SLUG, funder.pk]), runs
        ),
    }


def figures_of(pages: dict, loaded: dict, members: int, contributions: int) -> list:
    """The two pages as benchmark figures: median and 95th percentile of each."""
    from bench.report import Figure

    size = (
        f"{members:,} members, {contributions:,} contributions, {loaded['streams']} streams "
        f"of {loaded['funders']} funders, {loaded['projects']} projects, "
        f"{loaded['postings']:,} postings of spending"
    )
    figures = []
    for name, what in (("open", "the open page"), ("funder", "a funder's page")):
        median, p95, queries = pages[name]
        figures += [
            Figure(
                f"transparency.{name}_page_ms",
                median,
                "ms",
                loaded["postings"],
                f"median GET of {what} ({size}; {queries} queries)",
            ),
            Figure(
                f"transparency.{name}_page_p95_ms",
                p95,
                "ms",
                loaded["postings"],
                "95th percentile of the same GETs",
            ),
        ]
    return figures


def main(argv=None) -> int:
    """python -m bench.transparency [--quick] [--write]: the cooperatives and sizes of the whole
    benchmark, then the public page of time given, the open page and a funder's page."""
    from bench import database, ledger, report
    from bench.__main__ import COOPERATIVES

    parser = argparse.ArgumentParser(prog="python -m bench.transparency")
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument(
        "--write",
        action="store_true",
        help="put the figures into bench/results.json and docs/benchmarks.md, in place of an "
        "earlier run's figures of these pages",
    )
    args = parser.parse_args(argv)
    if args.quick and args.write:
        parser.error("--quick sizes are not written")
    url = os.environ.get("DATABASE_URL", "")
    try:
        database.prepare(url)
    except database.BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    database.setup_django()
    size = 10 if args.quick else 1
    postings, members, contributions = 1_000_000 // size, 10_000 // size, 1_000_000 // size
    runs = 10 if args.quick else 50
    load_before = os.getloadavg()[0]
    made = ledger.create_cooperatives(COOPERATIVES)
    ledger.load_postings(url, made["reads"][0], postings)
    reciprocity.load(members, contributions)
    loaded = load(postings)
    time_page = reciprocity.public_page(runs)
    pages_measured = pages(runs)
    figures = {
        figure.name: figure
        for figure in [
            *reciprocity.figures_of(*time_page, members, contributions),
            *figures_of(pages_measured, loaded, members, contributions),
        ]
    }
    report.judge(figures)
    for figure in figures.values():
        verdict = "" if figure.passed is None else (" pass" if figure.passed else " FAIL")
        print(f"{figure.name}: {figure.value:.1f} {figure.unit}{verdict} ({figure.meaning})")
    checks = [
        (
            "`time_given check` finds the summary of time given equal to the contributions",
            _summary_in_order(),
        )
    ]
    for what, ok in checks:
        print(f"{'ok' if ok else 'FAILED'}: {what}")
    if args.write:
        report.merge(
            figures,
            checks,
            f"The figures of the public page of time given, the open page and a funder's page "
            f"come from `python -m bench.transparency --write`, run on "
            f"{datetime.date.today().isoformat()} apart from the other figures, on a machine "
            f"with {os.cpu_count()} processors (load average {load_before:.1f} at the start "
            f"and {os.getloadavg()[0]:.1f} at the end), with the whole benchmark's "
            f"{len(COOPERATIVES)} cooperatives, {postings:,} postings on the bank account of "
            f"one of them, and the pages' cooperative as described under each figure.",
        )
        print("written: bench/results.json, docs/benchmarks.md")
    return 0 if all(ok for _what, ok in checks) else 1


def _summary_in_order() -> bool:
    from members.models import Cooperative
    from reciprocity import summary

    return not summary.differences(Cooperative.objects.get(slug=SLUG))


if __name__ == "__main__":
    sys.exit(main())
