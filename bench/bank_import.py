"""python -m bench.bank_import [--quick]: a year of a busy bank account imported and matched.

A CAMT.053 file of 100,000 lines (twelve monthly statements, each following on from the one
before) is imported with `import_statement` and matched with `match_bank_lines` against 50,000
share subscriptions awaiting payment by bank transfer, each with its RF payment reference, as
the treasurer does it from the web. Of the lines, 45% pay a subscription with its reference and
its exact amount (booked at once), 2.5% pay one with another amount (they wait with a
suggestion), and the rest pay nothing the cooperative expects (rent, shopping, gifts). 2.5% of
the subscriptions are not paid. The data comes from a fixed seed and is made in bulk, untimed;
the import and the matching are timed, each in its own call, as the treasurer starts them.

DATABASE_URL names a PostgreSQL database whose name contains "bench"; standalone, the database
is recreated. `make bench` runs `measure` in its own run; `--write` puts the figures of a run
alone into bench/results.json and docs/benchmarks.md, leaving the other figures as they were.
"""

import argparse
import datetime
import os
import random
import sys
import time
from decimal import Decimal
from xml.sax.saxutils import escape

from stdnum.iso7064 import mod_97_10

LINES = 100_000
ITEMS = 50_000
PAID = 0.9  # of the items, paid with their exact amount
ODD = 0.05  # of the items, paid with another amount
SEED = 23
BANK_IBAN = "NL91ABNA0417164300"
YEAR = 2025


def _reference(pk: int) -> str:
    body = f"SH{pk:08d}"
    return f"RF{mod_97_10.calc_check_digits(body + 'RF')}{body}"


def _iban(chance: random.Random) -> str:
    return f"NL{chance.randint(10, 99)}BANK{chance.randint(0, 9_999_999_999):010d}"


def make_subscriptions(cooperative, count: int) -> list[tuple[int, Decimal, str]]:
    """`count` subscriptions awaiting payment, written in bulk: (pk, amount, reference)."""
    from djmoney.money import Money

    from members.models import Role
    from members.services import register_resident
    from shares import services as share_services
    from shares.models import Subscription, SubscriptionStatus

    board = register_resident(
        cooperative,
        actor=None,
        full_name="Board",
        email=f"board@{cooperative.slug}.example",
        roles=[Role.RESIDENT, Role.BOARD],
    )
    share_class = share_services.create_share_class(
        cooperative,
        actor=board.user,
        code="A",
        name="Resident shares",
        nominal_value=Money("10.00", cooperative.currency),
        authorised_shares=share_services.MAX_SHARES,
    )
    members = [
        register_resident(
            cooperative,
            actor=None,
            full_name=f"Member {number}",
            email=f"member{number}@{cooperative.slug}.example",
        )
        for number in range(50)
    ]
    chance = random.Random(SEED)
    rows = []
    for number in range(count):
        # 1 to 20 shares: 50,000 subscriptions stay within what a class may authorise.
        shares = chance.randint(1, 20)
        rows.append(
            Subscription(
                cooperative=cooperative,
                share_class=share_class,
                membership=members[number % len(members)],
                count=shares,
                amount=Decimal(shares * 10),
                currency=cooperative.currency,
                method="bank",
                status=SubscriptionStatus.AWAITING_PAYMENT,
            )
        )
    made = Subscription.objects.bulk_create(rows, batch_size=5000)
    for each in made:
        each.payment_reference = _reference(each.pk)
    Subscription.objects.bulk_update(made, ["payment_reference"], batch_size=5000)
    return [(each.pk, each.amount, each.payment_reference) for each in made]


def make_lines(items, count: int) -> list[tuple[datetime.date, Decimal, str, str, str]]:
    """The statement lines in booking order: (date, amount, name, IBAN, remittance)."""
    chance = random.Random(SEED + 1)
    order = chance.sample(items, len(items))
    exact = int(len(items) * PAID)
    odd = int(len(items) * ODD)
    lines = []
    for _pk, amount, reference in order[:exact]:
        lines.append((amount, reference))
    for _pk, amount, reference in order[exact : exact + odd]:
        lines.append((amount - Decimal(5), reference))
    paying = []
    for amount, reference in lines:
        grouped = " ".join(reference[i : i + 4] for i in range(0, len(reference), 4))
        written = grouped.lower() if chance.random() < 0.3 else grouped
        paying.append((amount, "Member", _iban(chance), f"Aandelen {written} dank"))
    others = [
        (
            Decimal(chance.randint(-50_000, 50_000) or 1) / 100,
            "Someone",
            _iban(chance),
            f"Factuur {chance.randint(1, 10**6)}",
        )
        for _ in range(count - len(paying))
    ]
    mixed = paying + others
    chance.shuffle(mixed)
    days = sorted(
        datetime.date(YEAR, 1, 1) + datetime.timedelta(days=chance.randint(0, 364)) for _ in mixed
    )
    return [(day, *line) for day, line in zip(days, mixed, strict=True)]


def camt_file(lines, iban: str = BANK_IBAN) -> bytes:
    """One CAMT.053 (001.02) file with a statement per month, each opening at the closing
    balance of the one before."""
    parts = []
    balance = Decimal("1000.00")
    for month in range(1, 13):
        opens = datetime.date(YEAR, month, 1)
        closes = (
            datetime.date(YEAR, month + 1, 1) if month < 12 else datetime.date(YEAR + 1, 1, 1)
        ) - datetime.timedelta(days=1)
        entries = [line for line in lines if opens <= line[0] <= closes]
        closing = balance + sum((line[1] for line in entries), Decimal(0))
        parts.append(
            f"<Stmt><Id>{YEAR}-{month:02d}</Id><Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy>"
            f"</Acct>{_balance('OPBD', balance, opens)}{_balance('CLBD', closing, closes)}"
        )
        parts.extend(_entry(*line) for line in entries)
        parts.append("</Stmt>")
        balance = closing
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        f"<GrpHdr><MsgId>BENCH-{YEAR}</MsgId><CreDtTm>{YEAR + 1}-01-01T06:00:00</CreDtTm>"
        "</GrpHdr>" + "".join(parts) + "</BkToCstmrStmt></Document>"
    ).encode()


def _balance(code: str, amount: Decimal, on: datetime.date) -> str:
    sign = "CRDT" if amount >= 0 else "DBIT"
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
        f'<Amt Ccy="EUR">{abs(amount):.2f}</Amt><CdtDbtInd>{sign}</CdtDbtInd>'
        f"<Dt><Dt>{on.isoformat()}</Dt></Dt></Bal>"
    )


def _entry(on: datetime.date, amount: Decimal, name: str, iban: str, remittance: str) -> str:
    party = "Dbtr" if amount >= 0 else "Cdtr"
    account = "DbtrAcct" if amount >= 0 else "CdtrAcct"
    day = on.isoformat()
    return (
        f'<Ntry><Amt Ccy="EUR">{abs(amount):.2f}</Amt>'
        f"<CdtDbtInd>{'CRDT' if amount >= 0 else 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts>"
        f"<BookgDt><Dt>{day}</Dt></BookgDt><ValDt><Dt>{day}</Dt></ValDt>"
        f"<NtryDtls><TxDtls><RltdPties><{party}><Nm>{escape(name)}</Nm></{party}>"
        f"<{account}><Id><IBAN>{iban}</IBAN></Id></{account}></RltdPties>"
        f"<RmtInf><Ustrd>{escape(remittance)}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
    )


def measure(cooperative_id: int, treasurer_id: int, lines: int = LINES, items: int = ITEMS):
    """Import and match once; the seconds of each step and what the matching decided."""
    from django.contrib.auth import get_user_model

    from budgets import services
    from members.models import Cooperative

    cooperative = Cooperative.objects.get(pk=cooperative_id)
    treasurer = get_user_model().objects.get(pk=treasurer_id)
    services.add_bank_account(cooperative, actor=treasurer, iban=BANK_IBAN, name="Bench")
    made = make_subscriptions(cooperative, items)
    data = camt_file(make_lines(made, lines))
    began = time.perf_counter()
    record = services.import_statement(
        cooperative, actor=treasurer, data=data, file_name="bench.xml"
    )
    imported = time.perf_counter()
    result = services.match_bank_lines(cooperative, actor=treasurer)
    matched = time.perf_counter()
    assert record.line_count == lines, record.line_count
    return {
        "lines": lines,
        "items": items,
        "megabytes": round(len(data) / 1e6, 1),
        "import_s": round(imported - began, 3),
        "match_s": round(matched - imported, 3),
        "total_s": round(matched - began, 3),
        "booked": result["booked"],
        "suggested": result["suggested"],
    }


def figures_of(measured: dict) -> list:
    """The run as benchmark figures: both steps together (the target), and each alone."""
    from bench.report import Figure

    lines = measured["lines"]
    share = (
        f"{measured['booked'] / lines:.0%} of the lines booked at once, "
        f"{measured['suggested'] / lines:.1%} waiting with a suggestion"
    )
    return [
        Figure(
            "bank.import_match_lines_per_s",
            lines / measured["total_s"],
            "lines/s",
            lines,
            f"a CAMT.053 file imported and matched against {measured['items']:,} open share "
            f"subscriptions, end to end; {share}",
        ),
        Figure(
            "bank.import_lines_per_s",
            lines / measured["import_s"],
            "lines/s",
            lines,
            f"import_statement alone ({measured['megabytes']} MB of CAMT.053)",
        ),
        Figure(
            "bank.match_lines_per_s",
            lines / measured["match_s"],
            "lines/s",
            lines,
            f"match_bank_lines alone, with its bookings; {share}",
        ),
    ]


def describe(measured: dict) -> str:
    return (
        f"{measured['lines']:,} lines ({measured['megabytes']} MB of CAMT.053) against "
        f"{measured['items']:,} open share subscriptions: import {measured['import_s']} s, "
        f"matching and booking {measured['match_s']} s, together {measured['total_s']} s = "
        f"{measured['lines'] / measured['total_s']:,.0f} lines per second; "
        f"{measured['booked']:,} lines booked at once "
        f"({measured['booked'] / measured['lines']:.0%}), {measured['suggested']:,} waiting with a "
        f"suggestion ({measured['suggested'] / measured['lines']:.1%})"
    )


def main(argv=None) -> int:
    from bench import database, ledger

    parser = argparse.ArgumentParser(prog="python -m bench.bank_import")
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument(
        "--write",
        action="store_true",
        help="put the figures into bench/results.json and docs/benchmarks.md, in place of an "
        "earlier run's bank figures",
    )
    args = parser.parse_args(argv)
    if args.quick and args.write:
        parser.error("--quick sizes are not written")
    try:
        database.prepare(os.environ.get("DATABASE_URL", ""))
    except database.BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    database.setup_django()
    made = ledger.create_cooperatives(["bank"])
    size = 10 if args.quick else 1
    load_before = os.getloadavg()[0]
    measured = measure(*made["bank"], LINES // size, ITEMS // size)
    print(describe(measured))
    checks = after_the_run(made["bank"][0])
    for what, ok in checks:
        print(f"{'ok' if ok else 'FAILED'}: {what}")
    if args.write:
        from bench import report

        speed = report.python_speed()
        commit = database.commit_ms(os.environ["DATABASE_URL"])
        figures = {figure.name: figure for figure in figures_of(measured)}
        report.judge(figures)
        report.merge(
            figures,
            checks,
            f"The bank figures come from `python -m bench.bank_import --write`, run on "
            f"{datetime.date.today().isoformat()} apart from the other figures, on a machine with "
            f"{os.cpu_count()} processors (load average {load_before:.1f} at the start and "
            f"{os.getloadavg()[0]:.1f} at the end; a fixed loop of ten million multiply-adds "
            f"in pure Python took {speed:.2f} s there, best of three, and committing one small "
            f"row to PostgreSQL {commit:.1f} ms, the median of 50): {describe(measured)}.",
        )
        print("written: bench/results.json, docs/benchmarks.md")
    return 0 if all(ok for _what, ok in checks) else 1


def after_the_run(cooperative_id: int) -> list[tuple[str, bool]]:
    """What the database rules already refuse, checked again from the rows: the books the
    matching wrote and the chain it extended."""
    from members.models import Cooperative
    from wijkbv.audit.chain import verify_chain
    from wijkbv.ledger.checking import find_problems

    cooperative = Cooperative.objects.get(pk=cooperative_id)
    return [
        (
            "`ledger check` finds the books of the bank run in order",
            not find_problems(cooperative).problems,
        ),
        ("`audit verify` finds its chain intact", verify_chain(cooperative).broken is None),
    ]


if __name__ == "__main__":
    sys.exit(main())
