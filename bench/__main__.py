"""python -m bench [--quick]

Build the benchmark database, measure, and write bench/results.json and docs/benchmarks.md.
DATABASE_URL names the PostgreSQL database to (re)create; `make bench` sets it. With --quick
the sizes are small and nothing is written: to try the benchmark, not to quote it.
"""

import argparse
import os
import platform
import sys
import time

from bench import audit, bank_import, database, ledger, reciprocity, report, transparency, votes

COOPERATIVES = [
    *(f"raw-{n}" for n in range(1, 5)),
    *(f"bench-{n}" for n in range(1, 5)),
    "shared",
    "audit",
    "reads",
    "bank",
]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[2])
    parser.add_argument("--quick", action="store_true", help="small sizes, write nothing")
    args = parser.parse_args(argv)
    bookings = 100 if args.quick else 1000
    postings = 100_000 if args.quick else 1_000_000
    events = 30_000 if args.quick else 300_000
    members = 1_000 if args.quick else 10_000
    contributions = 100_000 if args.quick else 1_000_000
    page_runs = 10 if args.quick else 50
    bank_lines = bank_import.LINES // 10 if args.quick else bank_import.LINES
    bank_items = bank_import.ITEMS // 10 if args.quick else bank_import.ITEMS

    url = os.environ.get("DATABASE_URL", "")
    load_before = os.getloadavg()[0]
    try:
        database.prepare(url)
    except database.BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    began = time.perf_counter()
    step("migrating a fresh database")
    database.setup_django()
    made = ledger.create_cooperatives(COOPERATIVES)

    step(f"bookings and appends: {bookings} of each kind per process, in ten blocks")
    speeds = ledger.bookings(url, made, bookings)
    step(f"loading {postings:,} postings on one account")
    account = ledger.load_postings(url, made["reads"][0], postings)
    read_ms, sum_ms, _amount = ledger.balance_reads(url, account, 2000)
    step(f"verify.py on {events:,} events")
    verified, strict = audit.verification(events)
    step(f"loading {members:,} members and {contributions:,} contributions of time")
    reciprocity.load(members, contributions)
    step(f"the public page of time given, {page_runs} times")
    time_page = reciprocity.public_page(page_runs)
    step(f"funders, streams, projects and {postings:,} postings of their spending")
    spending = transparency.load(postings)
    step(f"the open page and a funder's page, {page_runs} times each")
    open_pages = transparency.pages(page_runs)
    step("tallying a participatory-budgeting vote of 10,000 voters on 100 projects")
    tally = votes.measure(compare=not args.quick)
    step(f"importing {bank_lines:,} bank lines and matching them to {bank_items:,} open items")
    bank = bank_import.measure(*made["bank"], bank_lines, bank_items)

    figures = {
        figure.name: figure
        for figure in [
            report.Figure(
                "ledger.post_tps_1",
                speeds["post_1"],
                "transactions/s",
                bookings,
                "bookings through post_transaction, one process",
            ),
            report.Figure(
                "ledger.post_tps_4",
                speeds["post_4"],
                "transactions/s",
                4 * bookings,
                "bookings through post_transaction, four processes, a cooperative each",
            ),
            report.Figure(
                "ledger.balance_read_ms_1m",
                read_ms,
                "ms",
                postings,
                "median balance read of an account with this many postings",
            ),
            report.Figure(
                "audit.append_per_s",
                speeds["append_1"],
                "events/s",
                bookings,
                "events through append_event, one commit each, one process",
            ),
            report.Figure(
                "audit.verify_per_s",
                verified,
                "events/s",
                events,
                "events verified by verify.py, standard library only",
            ),
            report.Figure(
                "ledger.raw_tps_1",
                speeds["raw_1"],
                "transactions/s",
                bookings,
                "the same rows through plain psycopg, one connection",
            ),
            report.Figure(
                "ledger.raw_tps_4",
                speeds["raw_4"],
                "transactions/s",
                4 * bookings,
                "the same rows through plain psycopg, four connections, a cooperative each",
            ),
            report.Figure(
                "ledger.post_tps_4_one_cooperative",
                speeds["post_4_shared"],
                "transactions/s",
                4 * max(bookings // 20, 1) * 10,
                "bookings through post_transaction, four processes, one cooperative",
            ),
            report.Figure(
                "ledger.sum_read_ms_1m",
                sum_ms,
                "ms",
                postings,
                "median plain SUM over the same postings",
            ),
            *reciprocity.figures_of(*time_page, members, contributions),
            *transparency.figures_of(open_pages, spending, members, contributions),
            report.Figure(
                "audit.verify_strict_per_s",
                strict,
                "events/s",
                events,
                "events verified by verify.py --strict",
            ),
            *votes.figures(tally),
            *bank_import.figures_of(bank),
        ]
    }
    report.judge(figures)

    step("checking the books and chains the benchmark wrote")
    checks = after_the_run(made)
    print()
    seen = facts(url, load_before)
    print(report.document(figures, seen, checks).split("## All figures")[0].strip())
    print(f"\n(the benchmark took {time.perf_counter() - began:.0f} s)")
    if not args.quick:
        report.write(figures, seen, checks)
        print("written: bench/results.json, docs/benchmarks.md")
    return 0 if all(ok for _what, ok in checks) else 1


def after_the_run(made) -> list[tuple[str, bool]]:
    from members.models import Cooperative
    from wijkbv.audit.chain import verify_chain
    from wijkbv.ledger.checking import find_problems

    booked = ["bench-1", "bench-2", "bench-3", "bench-4", "shared"]
    checks = []
    cooperatives = {c.slug: c for c in Cooperative.objects.filter(slug__in=[*booked, "audit"])}
    problems = sum(len(find_problems(cooperatives[slug]).problems) for slug in booked)
    checks.append(
        ("`ledger check` finds the books of the service's cooperatives in order", problems == 0)
    )
    intact = all(verify_chain(cooperatives[slug]).broken is None for slug in [*booked, "audit"])
    checks.append(("`audit verify` finds their chains intact", intact))
    lines, accepted = audit.export_verifies(cooperatives["bench-1"])
    checks.append((f"verify.py accepts the export of one of them ({lines:,} events)", accepted))
    return checks


def facts(url: str, load_before: float) -> dict:
    server = database.server_facts(url)
    load_after = os.getloadavg()[0]
    return {
        "processors": os.cpu_count(),
        "Python": platform.python_version(),
        "PostgreSQL": server.pop("postgresql"),
        "server settings": ", ".join(f"{key}={value}" for key, value in sorted(server.items())),
        "database": "on this machine, over TCP",
        # Other work on the machine slows every kind alike; the ratios are what to compare.
        "load average (1 min) at the start and the end": f"{load_before:.1f}, {load_after:.1f}",
    }


def step(text: str) -> None:
    print(f"bench: {text}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
