"""What tests read from PostgreSQL's own statistics about how rows were written.

PostgreSQL rewrites a row within its page and leaves every index alone (a "heap-only tuple"
update) when no indexed column changes and the page has room (ADR 0069). The counts below are of
the current transaction, so a test reads them inside one."""

import dataclasses
from contextlib import contextmanager

from django.db import connection


@dataclasses.dataclass
class Updates:
    """The rows of a table updated while a `updates_of` block ran: in all, and in place."""

    all: int = 0
    in_place: int = 0


def _counted(table: str) -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = %s",
            [table],
        )
        return cursor.fetchone()


@contextmanager
def updates_of(table: str):
    """Count the updates of `table` made inside the block (which must run in a transaction)."""
    counted = Updates()
    all_before, in_place_before = _counted(table)
    yield counted
    all_after, in_place_after = _counted(table)
    counted.all = all_after - all_before
    counted.in_place = in_place_after - in_place_before


def storage_options(table: str) -> list[str] | None:
    """The table's storage parameters, such as ["fillfactor=50"]."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]
