"""The benchmark's targets, and its two reports: bench/results.json and docs/benchmarks.md."""

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"
DOCUMENT = ROOT / "docs" / "benchmarks.md"


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    size: int
    meaning: str
    target: str = ""
    ratio: float | None = None
    passed: bool | None = None

    def as_result(self) -> dict:
        result = {"name": self.name, "value": round(self.value, 3), "unit": self.unit}
        result["size"] = self.size
        if self.target:
            result["target"] = self.target
            if self.ratio is not None:
                result["ratio"] = round(self.ratio, 3)
            result["passed"] = self.passed
        return result


def python_speed() -> float:
    """Seconds a fixed loop of pure Python takes here (ten million multiply-adds, the best of
    three): written beside figures measured apart, so that runs on different machines can be
    compared. Not a figure of the project."""
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        total = 0
        for number in range(10_000_000):
            total += number * 3
        best = min(best, time.perf_counter() - began)
    return best


def judge(figures: dict[str, Figure]) -> None:
    """Set each target's ratio and verdict; the speeds against the limit measured in the run."""
    for name, limit in (
        ("ledger.post_tps_1", "ledger.raw_tps_1"),
        ("ledger.post_tps_4", "ledger.raw_tps_4"),
        ("audit.append_per_s", "ledger.raw_tps_1"),
    ):
        if name not in figures or limit not in figures:
            continue  # measured apart (python -m bench.bank_import --write)
        figure = figures[name]
        figure.ratio = figure.value / figures[limit].value
        figure.target = f">= 0.6 x {limit}"
        figure.passed = figure.ratio >= 0.6
    read = figures.get("ledger.balance_read_ms_1m")
    if read is not None:
        read.target, read.passed = "< 2 ms", read.value < 2
    verified = figures.get("audit.verify_per_s")
    if verified is not None:
        verified.target, verified.passed = ">= 200000 events/s", verified.value >= 200_000
    for name in ("transparency.open_page_p95_ms", "transparency.funder_page_p95_ms"):
        page = figures.get(name)
        if page is not None:
            page.target, page.passed = "< 150 ms", page.value < 150
    bank = figures.get("bank.import_match_lines_per_s")
    if bank is not None:
        bank.target, bank.passed = ">= 10000 lines/s", bank.value >= 10_000
    for name, limit in (("votes.mes_ms_100x10k", 300), ("votes.mes_complete_ms_100x10k", 3000)):
        tally = figures.get(name)
        if tally is not None:
            tally.target, tally.passed = f"< {limit} ms", tally.value < limit
            other = figures.get(name.replace("votes.", "votes.pabutools_"))
            tally.ratio = tally.value / other.value if other is not None else None


def write(figures: dict[str, Figure], facts: dict, checks: list[tuple[str, bool]]) -> None:
    results = [figure.as_result() for figure in figures.values()]
    temporary = RESULTS.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, RESULTS)
    DOCUMENT.parent.mkdir(exist_ok=True)
    DOCUMENT.write_text(document(figures, facts, checks), encoding="utf-8")


def merge(figures: dict[str, Figure], checks: list[tuple[str, bool]], note: str) -> None:
    """Put `figures` into bench/results.json and docs/benchmarks.md in place of the same
    metrics of an earlier run, leaving every other metric as that run measured it; a benchmark
    run alone (`python -m bench.bank_import --write`) reports this way. `note` says when and
    where these figures were measured, apart from the rest."""
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else []
    kept = [result for result in results if result["name"] not in figures]
    temporary = RESULTS.with_suffix(".json.tmp")
    merged = kept + [figure.as_result() for figure in figures.values()]
    temporary.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, RESULTS)
    lines = DOCUMENT.read_text(encoding="utf-8").splitlines()
    for figure in figures.values():
        if figure.target:
            ratio = f"{figure.ratio:.2f}" if figure.ratio is not None else ""
            verdict = "pass" if figure.passed else "**FAIL**"
            row = (
                f"| `{figure.name}` | {_number(figure.value, figure.unit)} {figure.unit} "
                f"| {figure.target} | {ratio} | {verdict} |"
            )
            _put_row(lines, "## Targets", figure.name, row)
        row = (
            f"| `{figure.name}` | {_number(figure.value, figure.unit)} | {figure.unit} "
            f"| {figure.size:,} | {figure.meaning} |"
        )
        _put_row(lines, "## All figures", figure.name, row)
    run = [note, "", *(f"- {'ok' if ok else '**FAILED**'}: {what}" for what, ok in checks)]
    _put_section(lines, "## Measured apart", [*_other_runs_apart(lines, note), *run])
    _put_section(lines, "## How it measures", METHOD.strip("\n").splitlines()[2:])
    DOCUMENT.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")


def _put_row(lines: list[str], section: str, name: str, row: str) -> None:
    """Replace the table row of `name` under `section`, or add it at the end of that table."""
    start = lines.index(section)
    end = next((n for n in range(start + 1, len(lines)) if lines[n].startswith("## ")), len(lines))
    for n in range(start, end):
        if lines[n].startswith(f"| `{name}` |"):
            lines[n] = row
            return
    last = max(n for n in range(start, end) if lines[n].startswith("|"))
    lines.insert(last + 1, row)


def _other_runs_apart(lines: list[str], note: str) -> list[str]:
    """The notes (with their checks) of runs apart made by another command than `note` names,
    kept as they were: each command's run replaces only its own note."""
    if "## Measured apart" not in lines:
        return []
    command = note.split("`")[1] if note.count("`") >= 2 else note
    start = lines.index("## Measured apart") + 1
    end = next((n for n in range(start, len(lines)) if lines[n].startswith("## ")), len(lines))
    runs: list[list[str]] = []
    for line in lines[start:end]:
        if line and not line.startswith("- "):
            runs.append([line])
        elif runs:
            runs[-1].append(line)
    kept = []
    for run in runs:
        if command not in run[0]:
            kept += [*run] if run[-1] == "" else [*run, ""]
    return kept


def _put_section(lines: list[str], heading: str, body: list[str]) -> None:
    """Replace the section under `heading` with `body`, or add it before "Where it ran"."""
    if heading in lines:
        start = lines.index(heading)
        end = next(
            (n for n in range(start + 1, len(lines)) if lines[n].startswith("## ")), len(lines)
        )
        lines[start:end] = [heading, "", *body, ""]
        return
    at = lines.index("## Where it ran") if "## Where it ran" in lines else len(lines)
    lines[at:at] = [heading, "", *body, ""]


def _number(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value:.3f}" if value < 10 else f"{value:.0f}"
    return f"{value:,.0f}"


def document(figures: dict[str, Figure], facts: dict, checks: list[tuple[str, bool]]) -> str:
    targets = [f for f in figures.values() if f.target]
    others = [f for f in figures.values() if not f.target]
    lines = [
        "# Benchmarks",
        "",
        "The money and trust kernel, measured by `make bench` (`python -m bench`) on PostgreSQL.",
        "This file and `bench/results.json` are written by that run; do not edit them by hand.",
        "",
        "Absolute speeds differ between machines, so each speed is set against the physical",
        "limit measured in the same run: plain psycopg writing the same rows, one commit per",
        "booking (`ledger.raw_tps_1` with one connection, `ledger.raw_tps_4` with four).",
        "",
        "## Targets",
        "",
        "| metric | measured | target | ratio | result |",
        "| --- | ---: | --- | ---: | --- |",
    ]
    for figure in targets:
        ratio = f"{figure.ratio:.2f}" if figure.ratio is not None else ""
        verdict = "pass" if figure.passed else "**FAIL**"
        lines.append(
            f"| `{figure.name}` | {_number(figure.value, figure.unit)} {figure.unit} "
            f"| {figure.target} | {ratio} | {verdict} |"
        )
    lines += ["", "## All figures", "", "| metric | value | unit | size | what it is |"]
    lines += ["| --- | ---: | --- | ---: | --- |"]
    for figure in [*targets, *others]:
        lines.append(
            f"| `{figure.name}` | {_number(figure.value, figure.unit)} | {figure.unit} "
            f"| {figure.size:,} | {figure.meaning} |"
        )
    lines += ["", "## Checks after the run", ""]
    lines += [f"- {'ok' if ok else '**FAILED**'}: {what}" for what, ok in checks]
    lines += ["", "## Where it ran", ""]
    lines += [f"- {key}: {value}" for key, value in facts.items()]
    lines += ["", *METHOD.strip("\n").splitlines(), ""]
    return "\n".join(lines)


METHOD = """
## How it measures

- The run drops and recreates its own database (its name must contain `bench`), migrates it,
  and creates its cooperatives through `create_cooperative`, each with its standard chart and a
  treasurer.
- A booking is a balanced transaction of two postings (bank account and gifts), with its two
  balance updates and its audit event, one commit each. `ledger.post_tps_*` books through
  `post_transaction` as the treasurer, with every check the service makes: the treasurer's role,
  the period, the lines, the budgets, the chain. `ledger.raw_tps_*` writes the same rows with
  plain psycopg: the transaction, the two postings (one statement), the two balance rows, the
  chain head and the audit event, with psycopg's prepared statements and no checks. The database
  and its triggers are the same for both.
- With four processes, each books for its own cooperative, as the cooperatives of one
  installation do. `ledger.post_tps_4_one_cooperative` books for one cooperative on the same two
  accounts: every booking locks the chain head and the two balance rows until it commits, so the
  four processes take turns (no target; it shows the cost of a gapless chain per cooperative).
- The kinds take turns in ten blocks: in one process raw bookings, service bookings and audit
  appends; in four, raw and service bookings. All processes start each block together, and a
  block's clock runs from the first start to the last finish, so a busy moment of the machine
  falls on every kind alike. Each process warms up before the first block.
- `ledger.balance_read_ms_1m` is the median of 2,000 reads of `selectors.balance` for an account
  with 1,000,000 postings, generated in the database (transactions of ten postings of one euro
  against one of minus ten, loaded with the triggers off for the session, then checked).
  `ledger.sum_read_ms_1m` is a plain `SUM` over the same postings, for comparison.
- `audit.append_per_s` appends events through `append_event`, each in its own transaction, as
  the treasurer, in the one-process blocks.
- `audit.verify_per_s` runs `python -I -S wijkbv/audit/verify.py` (standard library only) on an
  export of 300,000 booking events written with the application's canonical rules; the median of
  three runs, the time of the whole process. `audit.verify_strict_per_s` adds `--strict`, which
  also parses every event and checks its canonical form.
- `reciprocity.public_page_ms` asks for the public page of time given (`/c/<slug>/open/time/`)
  through Django's test client, nothing cached, for a cooperative of 10,000 members with
  1,000,000 contributions spread over a year (generated in the database: nine in ten confirmed,
  one in ten to a partner organisation, one activity done by three people, so that a group is
  suppressed). The median of 50 GETs after three to warm up; `reciprocity.public_page_p95_ms`
  is their 95th percentile. No target; the number of queries, which does not grow with the
  data, is in the figure's description.
- `transparency.open_page_ms` and `transparency.funder_page_ms` ask for the open page
  (`/c/<slug>/open/`) and the first funder's page (`/c/<slug>/open/funders/<id>/`) of the same
  cooperative, nothing cached, after giving it through the services three funders with two
  funding streams each, money received on each stream, a participatory-budget vote per stream
  adopting five projects, and four supplier invoices per project approved by two people and
  paid; then a year of the projects' spending is generated in the database, as many postings as
  the ledger figures' account holds (half on the project budgets, half on the bank account). The
  median of 50 GETs after three to warm up; the `_p95_ms` figures are their 95th percentile, with
  a target of 150 ms.
- `votes.mes_ms_100x10k` and `votes.mes_complete_ms_100x10k` tally one participatory-budgeting
  vote with `budgets.rules` (no database): 100 projects costing 1,000 to 50,000, 10,000 voters
  approving 3 to 10 projects each, a budget of 30% of the total cost, drawn from a fixed seed;
  the median of five runs (three for `mes-complete`). `votes.pabutools_*` is one run of the
  pabutools package on the same vote, and the ratio in the targets table is our time over
  pabutools' time (below 1: faster).
  `python -m bench.votes` prints these figures alone.
- `bank.import_match_lines_per_s` imports a generated CAMT.053 file of 100,000 lines (twelve
  monthly statements of one account) with `import_statement` and then matches them with
  `match_bank_lines`, each as the treasurer, each in its own database transaction, against
  50,000 share subscriptions awaiting payment with their RF payment reference (written in bulk
  before the clock starts). 45% of the lines pay a subscription with its reference and exact
  amount and are booked at once, together through `record_subscription_payments`, each with
  its own ledger transaction and audit event; 2.5% pay one with another amount and wait with a
  suggestion; the rest pay nothing the cooperative expects. The lines per second are over both
  calls together; `bank.import_lines_per_s` and `bank.match_lines_per_s` are each call alone.
  One run.
  `python -m bench.bank_import` runs it alone (`--quick`: a tenth of the sizes; `--write`: its
  figures replace the earlier bank figures here, and say when they were measured); `python -m
  bench.bank` times the matching algorithm alone, without a database.
"""
