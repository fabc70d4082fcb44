"""A subscription's payment transaction checked once per statement, not by a foreign key per row.

Django declares its foreign keys DEFERRABLE INITIALLY DEFERRED, so PostgreSQL checked each
subscription's payment transaction at commit, one query per row: 45,000 for a year of bank lines
booked in one run, which pays subscriptions in one UPDATE. A statement trigger now checks every
row an INSERT or an UPDATE wrote, in one query (ADR 0067). Ledger transactions are never deleted
or changed (ledger migration 0002), so a payment transaction that exists goes on existing and
nothing needs locking. Errors use SQLSTATE 23503 (foreign_key_violation), which Django raises as
IntegrityError.
"""

import django.db.models.deletion
from django.db import migrations, models

from wijkbv.audit.postgres_sql import PostgresOnlySQL

FORWARD = r"""
CREATE FUNCTION shares_payment_transactions_exist() RETURNS trigger LANGUAGE plpgsql
SET jit = off AS $$
DECLARE
    refused record;
BEGIN
    SELECT subscription.id, subscription.payment_transaction_id INTO refused
      FROM written subscription
     WHERE subscription.payment_transaction_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM ledger_transaction t
                        WHERE t.id = subscription.payment_transaction_id)
     ORDER BY subscription.id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'subscription % refused: ledger transaction % does not exist',
            refused.id, refused.payment_transaction_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER shares_subscription_paid_inserted AFTER INSERT ON shares_subscription
    REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION shares_payment_transactions_exist();
CREATE TRIGGER shares_subscription_paid_updated AFTER UPDATE ON shares_subscription
    REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION shares_payment_transactions_exist();
"""

REVERSE = r"""
DROP TRIGGER shares_subscription_paid_updated ON shares_subscription;
DROP TRIGGER shares_subscription_paid_inserted ON shares_subscription;
DROP FUNCTION shares_payment_transactions_exist();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0009_posting_references_per_statement"),
        ("shares", "0005_subscription_history_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="subscription",
            name="payment_transaction",
            field=models.OneToOneField(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="share_subscription",
                to="ledger.transaction",
            ),
        ),
        PostgresOnlySQL(FORWARD, REVERSE),
    ]
