"""A posting's transaction and account, and a transaction's cooperative, checked once per
statement, not by a foreign key per row.

Django declares its foreign keys DEFERRABLE INITIALLY DEFERRED, so PostgreSQL checked each new
posting's two references and each transaction's cooperative at commit, one query per row: for a
year of bank lines booked in one run, 225,000 queries. The rules of migration 0008 already read
each new posting's transaction and each new transaction's cooperative; they now also refuse one
that does not exist, once per statement (ADR 0067). What the foreign keys also gave stays:

- A posting names a transaction that exists: a missing one is refused at once, by its own
  message. Transactions are never deleted or changed (migration 0002), so it goes on existing.
- A posting names an account that exists. The accounts a statement posts to are share-locked, as
  the foreign key locked them, and an account with postings cannot be deleted or renumbered: a
  delete that waited for the lock sees the new postings and is refused.
- A transaction names a cooperative that exists. The cooperatives were already share-locked by
  the period rule, and a cooperative with transactions cannot be deleted or renumbered.

Errors use SQLSTATE 23503 (foreign_key_violation), which Django raises as IntegrityError.
"""

import django.db.models.deletion
from django.db import migrations, models

from wijkbv.audit.postgres_sql import PostgresOnlySQL

FORWARD = r"""
CREATE OR REPLACE FUNCTION ledger_periods_open() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    refused record;
BEGIN
    PERFORM 1 FROM members_cooperative
      WHERE id IN (SELECT cooperative_id FROM inserted) ORDER BY id FOR KEY SHARE;
    SELECT booked.id, booked.cooperative_id INTO refused
      FROM inserted booked
     WHERE booked.cooperative_id IN (
           SELECT used.cooperative_id
             FROM (SELECT DISTINCT cooperative_id FROM inserted) used
             LEFT JOIN members_cooperative c ON c.id = used.cooperative_id
            WHERE c.id IS NULL)
     ORDER BY booked.id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transaction % refused: cooperative % does not exist',
            refused.id, refused.cooperative_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    SELECT booked.id, booked.booking_date INTO refused
      FROM inserted booked
      JOIN (SELECT cooperative_id, max(until) AS until FROM ledger_periodclose
             WHERE cooperative_id IN (SELECT cooperative_id FROM inserted)
             GROUP BY cooperative_id) closed
        ON closed.cooperative_id = booked.cooperative_id AND booked.booking_date <= closed.until
     ORDER BY booked.id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transaction % is booked on %, in a closed period',
            refused.id, refused.booking_date
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;

-- A cooperative keeps its books: it is not deleted, nor given another id, while any
-- transaction names it.
CREATE FUNCTION ledger_cooperative_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM ledger_transaction WHERE cooperative_id = OLD.id) THEN
        RAISE EXCEPTION 'cooperative % has ledger transactions: it cannot be deleted or given another id',
            OLD.id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE TRIGGER ledger_cooperative_with_transactions
    BEFORE DELETE OR UPDATE OF id ON members_cooperative
    FOR EACH ROW EXECUTE FUNCTION ledger_cooperative_kept();

CREATE OR REPLACE FUNCTION ledger_postings_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    written_by xid;
    refused record;
BEGIN
    SELECT p.xmin INTO written_by
      FROM ledger_posting p WHERE p.id = (SELECT id FROM inserted LIMIT 1);
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    -- Share-locked in the order of their ids, as the foreign key locked each: an account cannot
    -- be deleted while postings to it are being booked.
    PERFORM 1 FROM ledger_account
      WHERE id IN (SELECT DISTINCT account_id FROM inserted) ORDER BY id FOR KEY SHARE;
    SELECT posting.id, posting.account_id INTO refused
      FROM inserted posting
     WHERE posting.account_id IN (
           SELECT used.account_id
             FROM (SELECT DISTINCT account_id FROM inserted) used
             LEFT JOIN ledger_account a ON a.id = used.account_id
            WHERE a.id IS NULL)
     ORDER BY posting.id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'posting % refused: account % does not exist',
            refused.id, refused.account_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    SELECT posting.id, posting.transaction_id, wrong.missing INTO refused
      FROM inserted posting
      JOIN (SELECT booked.transaction_id, t.id IS NULL AS missing
              FROM (SELECT DISTINCT transaction_id FROM inserted) booked
              LEFT JOIN ledger_transaction t ON t.id = booked.transaction_id
             WHERE t.xmin IS DISTINCT FROM written_by) wrong
        ON wrong.transaction_id = posting.transaction_id
     ORDER BY posting.id LIMIT 1;
    IF FOUND AND refused.missing THEN
        RAISE EXCEPTION 'posting % refused: ledger transaction % does not exist',
            refused.id, refused.transaction_id
            USING ERRCODE = 'foreign_key_violation';
    ELSIF FOUND THEN
        RAISE EXCEPTION 'posting % refused: ledger transaction % is already booked',
            refused.id, refused.transaction_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;

-- An account keeps its postings: it is not deleted, nor given another id, while any names it.
CREATE FUNCTION ledger_account_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM ledger_posting WHERE account_id = OLD.id) THEN
        RAISE EXCEPTION 'account % has postings: it cannot be deleted or given another id', OLD.id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE TRIGGER ledger_account_with_postings BEFORE DELETE OR UPDATE OF id ON ledger_account
    FOR EACH ROW EXECUTE FUNCTION ledger_account_kept();
"""

# Migration 0008's functions, as they were; the foreign keys come back with the fields.
REVERSE = r"""
DROP TRIGGER ledger_cooperative_with_transactions ON members_cooperative;
DROP FUNCTION ledger_cooperative_kept();
DROP TRIGGER ledger_account_with_postings ON ledger_account;
DROP FUNCTION ledger_account_kept();

CREATE OR REPLACE FUNCTION ledger_periods_open() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    refused record;
BEGIN
    PERFORM 1 FROM members_cooperative
      WHERE id IN (SELECT cooperative_id FROM inserted) ORDER BY id FOR KEY SHARE;
    SELECT booked.id, booked.booking_date INTO refused
      FROM inserted booked
      JOIN (SELECT cooperative_id, max(until) AS until FROM ledger_periodclose
             WHERE cooperative_id IN (SELECT cooperative_id FROM inserted)
             GROUP BY cooperative_id) closed
        ON closed.cooperative_id = booked.cooperative_id AND booked.booking_date <= closed.until
     ORDER BY booked.id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transaction % is booked on %, in a closed period',
            refused.id, refused.booking_date
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;


CREATE OR REPLACE FUNCTION ledger_postings_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    written_by xid;
    refused record;
BEGIN
    SELECT p.xmin INTO written_by
      FROM ledger_posting p WHERE p.id = (SELECT id FROM inserted LIMIT 1);
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    SELECT posting.id, posting.transaction_id INTO refused
      FROM inserted posting
     WHERE posting.transaction_id IN (
           SELECT booked.transaction_id
             FROM (SELECT DISTINCT transaction_id FROM inserted) booked
             LEFT JOIN ledger_transaction t ON t.id = booked.transaction_id
            WHERE t.xmin IS DISTINCT FROM written_by)
     ORDER BY posting.id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'posting % refused: ledger transaction % is already booked',
            refused.id, refused.transaction_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0008_rules_per_statement"),
        ("members", "0002_retained_identity"),
    ]

    operations = [
        migrations.AlterField(
            model_name="transaction",
            name="cooperative",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="transactions",
                to="members.cooperative",
            ),
        ),
        migrations.AlterField(
            model_name="posting",
            name="account",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="postings",
                to="ledger.account",
            ),
        ),
        migrations.AlterField(
            model_name="posting",
            name="transaction",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="postings",
                to="ledger.transaction",
            ),
        ),
        PostgresOnlySQL(FORWARD, REVERSE),
    ]
