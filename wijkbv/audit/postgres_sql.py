"""A migration operation for SQL that only PostgreSQL runs: the kernel's triggers.

The services enforce the same rules on every database; PostgreSQL enforces them a second time, so
that a bug or a hand-written query cannot break them either. Each migration carries its SQL and the
SQL that undoes it; a later change is a new migration, never an edit of an old one.
"""

from django.db import migrations


class PostgresOnlySQL(migrations.RunSQL):
    """RunSQL that does nothing on other databases (SQLite in development and tests)."""

    def __init__(self, sql: str, reverse_sql: str):
        # One statement each: the SQL holds function bodies that must not be split on ";".
        super().__init__([sql], [reverse_sql])

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
