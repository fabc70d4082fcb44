"""A bank line is booked in its own page, touching no index.

Matching books a line by setting its status and its transaction. Both were in an index, so
PostgreSQL wrote each booked line anew in every one of the line's six indexes: about 1.2 seconds
of the 45,000 bookings of a year's run. Without those two indexes, and with room left in each
page (fillfactor 50: half of each page is kept for the lines' next version), PostgreSQL writes
the booked line beside the old one in the same page and the indexes stay as they are (a
"heap-only tuple" update). The lines waiting are found by their bank account, the lines of a
transaction by one grouped query (budgets/closing/reconciliation.py). ADR 0069.

The fillfactor applies to pages written from now on; SQLite has no such setting.
"""

import django.db.models.deletion
from django.db import migrations, models

from wijkbv.audit.postgres_sql import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0009_bank_line_references_per_statement"),
        ("ledger", "0009_posting_references_per_statement"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="bankline",
            name="bank_line_account_status",
        ),
        migrations.AlterField(
            model_name="bankline",
            name="booked_transaction",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="ledger.transaction",
                verbose_name="booked as",
            ),
        ),
        PostgresOnlySQL(
            "ALTER TABLE budgets_bankline SET (fillfactor = 50)",
            "ALTER TABLE budgets_bankline RESET (fillfactor)",
        ),
    ]
