"""Paying a subscription rewrites it within its page, touching none of its indexes.

A subscription's payment transaction was a one-to-one field: a unique index. Paying a
subscription changes that column, so PostgreSQL wrote the paid subscription anew into all seven
of its indexes, about a second for the 45,000 payments a year's bank run books in one UPDATE.
Without the index, and with room left in each page (fillfactor 50), the paid version is written
beside the old one in the same page (a "heap-only tuple" update) and no index changes (ADR 0069).

That one transaction pays at most one subscription is now checked by the statement trigger of
migration 0006, once per INSERT or UPDATE, for the subscriptions whose payment transaction it
set: SQLSTATE 23505 (unique_violation), which Django raises as IntegrityError, as the index did.
Unlike the index, the check does not see another transaction's rows before they are committed;
a payment transaction is made in the same database transaction that names it, so no other one
can name it first. The fillfactor applies to pages written from now on; SQLite has no such
setting, and there the services alone keep the rule.
"""

import django.db.models.deletion
from django.db import migrations, models

from wijkbv.audit.postgres_sql import PostgresOnlySQL

FORWARD = r"""
CREATE OR REPLACE FUNCTION shares_payment_transactions_exist() RETURNS trigger LANGUAGE plpgsql
SET jit = off AS $$
DECLARE
    refused record;
    doubled bigint;
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
    -- The payment transactions this statement set are each named by one subscription only.
    IF TG_OP = 'INSERT' THEN
        WITH set_now AS (
            SELECT DISTINCT payment_transaction_id AS id FROM written
             WHERE payment_transaction_id IS NOT NULL)
        SELECT s.payment_transaction_id INTO doubled
          FROM shares_subscription s JOIN set_now ON set_now.id = s.payment_transaction_id
         GROUP BY s.payment_transaction_id HAVING count(*) > 1
         ORDER BY 1 LIMIT 1;
    ELSE
        WITH set_now AS (
            SELECT DISTINCT w.payment_transaction_id AS id
              FROM written w JOIN earlier e ON e.id = w.id
             WHERE w.payment_transaction_id IS NOT NULL
               AND w.payment_transaction_id IS DISTINCT FROM e.payment_transaction_id)
        SELECT s.payment_transaction_id INTO doubled
          FROM shares_subscription s JOIN set_now ON set_now.id = s.payment_transaction_id
         GROUP BY s.payment_transaction_id HAVING count(*) > 1
         ORDER BY 1 LIMIT 1;
    END IF;
    IF doubled IS NOT NULL THEN
        RAISE EXCEPTION 'ledger transaction % pays more than one subscription', doubled
            USING ERRCODE = 'unique_violation';
    END IF;
    RETURN NULL;
END;
$$;

DROP TRIGGER shares_subscription_paid_updated ON shares_subscription;
CREATE TRIGGER shares_subscription_paid_updated AFTER UPDATE ON shares_subscription
    REFERENCING OLD TABLE AS earlier NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION shares_payment_transactions_exist();

ALTER TABLE shares_subscription SET (fillfactor = 50);
"""

REVERSE = r"""
ALTER TABLE shares_subscription RESET (fillfactor);
DROP TRIGGER shares_subscription_paid_updated ON shares_subscription;
CREATE TRIGGER shares_subscription_paid_updated AFTER UPDATE ON shares_subscription
    REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION shares_payment_transactions_exist();
CREATE OR REPLACE FUNCTION shares_payment_transactions_exist() RETURNS trigger LANGUAGE plpgsql
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
"""


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0009_posting_references_per_statement"),
        ("shares", "0006_payment_transaction_per_statement"),
    ]

    operations = [
        migrations.AlterField(
            model_name="subscription",
            name="payment_transaction",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="ledger.transaction",
            ),
        ),
        PostgresOnlySQL(FORWARD, REVERSE),
    ]
