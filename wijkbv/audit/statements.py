"""Statements that go to the database together.

A decision writes a few rows; on this kind of work the time goes to the round trips to the
database, not to the database itself. With Django's default client-side
parameter binding, PostgreSQL accepts several statements in one query, so a `Statements` batch
costs one round trip there. Elsewhere (SQLite, or PostgreSQL with server-side binding) the
statements run one by one, with the same result.
"""

import datetime
from decimal import Decimal

from django.db.models.lookups import In


class Statements:
    def __init__(self, cursor):
        self.cursor = cursor
        self._queued: list[tuple[str, list]] = []

    def add(self, sql: str, params=()) -> int:
        """Queue a statement; returns its index in the list `run` gives back."""
        self._queued.append((sql, list(params)))
        return len(self._queued) - 1

    def run(self) -> list[list[tuple]]:
        """Run the queued statements in order; the rows of each ([] when it returns none)."""
        queued, self._queued = self._queued, []
        if len(queued) > 1 and _sends_several_at_once(self.cursor):
            self.cursor.execute(
                ";\n".join(sql for sql, _params in queued),
                [param for _sql, params in queued for param in params],
            )
            results = [self._rows()]
            while self.cursor.nextset():
                results.append(self._rows())
            return results
        results = []
        for sql, params in queued:
            self.cursor.execute(sql, params)
            results.append(self._rows())
        return results

    def _rows(self) -> list[tuple]:
        return self.cursor.fetchall() if self.cursor.description else []


def _sends_several_at_once(cursor) -> bool:
    if cursor.db.vendor != "postgresql":
        return False
    import psycopg

    return isinstance(cursor.cursor, psycopg.ClientCursor)


def array_literal(values) -> str:
    """`values` as the text of a PostgreSQL array, to be cast in the statement (`%s::text[]`).
    For arrays of many thousands of values: the driver's own conversion of a list, done value by
    value in Python, takes several times longer."""
    return "{" + ",".join(map(_element, values)) + "}"


def _element(value) -> str:
    # The common exact types first, by a type comparison each; the rest as below.
    kind = type(value)
    if kind is str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if kind is int or kind is Decimal:
        return str(value)
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, datetime.date):  # and datetime, which writes its offset
        return value.isoformat()
    text = str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class AnyOf(In):
    """`field IN (values)`, for many thousands of integer values: on PostgreSQL one array
    parameter (`= ANY(...)`), as `filter(AnyOf(F("pk"), values))`. Django's `pk__in` writes a
    parameter per value, which the driver then quotes one by one, and which takes longer than
    the query; elsewhere it is `pk__in`."""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, array_literal(self.rhs)]
