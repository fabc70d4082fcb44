"""Audit benchmarks: events verified per second by the standalone verifier on an export. (Events
appended per second are measured with the bookings, in bench/ledger.py.)"""

import datetime
import hashlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import wijkbv.audit.verify as verify
from wijkbv.audit.canonical import GENESIS_HASH, canonical

ROUNDS = 3


def write_chain(path: Path, events: int) -> None:
    """An export of `events` realistic events (bookings with their lines), built with the
    application's canonical rules, in the format `manage.py audit export` writes."""
    prev = GENESIS_HASH
    moment = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    with path.open("w", encoding="utf-8") as export:
        for seq in range(1, events + 1):
            amount = f"{10 + seq % 990}.{seq % 100:02}"
            event = {
                "cooperative": "moerwijk-oost",
                "seq": seq,
                "time": (moment + datetime.timedelta(seconds=seq)).isoformat(
                    timespec="microseconds"
                ),
                "actor": f"member:{seq % 150 + 1}",
                "on_behalf_of": "",
                "action": "ledger.posted",
                "subject": f"ledger.transaction:{seq}",
                "payload": {
                    "transaction": seq,
                    "booking_date": "2026-01-01",
                    "currency": "EUR",
                    "lines": [["1000", amount], ["8000", f"-{amount}"]],
                    "cause": f"budgets.expense:{seq}",
                },
            }
            text = canonical(event)
            digest = hashlib.sha256((prev + text).encode("utf-8")).hexdigest()
            export.write(verify.export_line(prev, digest, seq, text) + "\n")
            prev = digest


def verification(events: int) -> tuple[float, float]:
    """Events per second of `python verify.py export` (the median of ROUNDS runs, each a fresh
    process with only the standard library), and of one run with --strict."""
    script = Path(verify.__file__)
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "chain.jsonl"
        write_chain(export, events)

        def run(*options):
            began = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-I", "-S", str(script), str(export), *options],
                capture_output=True,
                text=True,
                check=False,
            )
            elapsed = time.perf_counter() - began
            if result.returncode != 0 or f"OK: {events} events" not in result.stdout:
                raise RuntimeError(f"verify.py did not accept the chain: {result.stdout}")
            return events / elapsed

        plain = statistics.median(run() for _round in range(ROUNDS))
        strict = run("--strict")
    return plain, strict


def export_verifies(cooperative) -> tuple[int, bool]:
    """Export a benchmark cooperative's chain and run verify.py on it: (events, accepted)."""
    from wijkbv.audit.chain import export_chain

    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "chain.jsonl"
        with export.open("w", encoding="utf-8") as out:
            lines = 0
            for line in export_chain(cooperative):
                out.write(line)
                lines += 1
        result = subprocess.run(
            [sys.executable, "-I", "-S", str(Path(verify.__file__)), str(export)],
            capture_output=True,
            text=True,
            check=False,
        )
    return lines, result.returncode == 0
