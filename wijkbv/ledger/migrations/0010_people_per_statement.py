"""A transaction's author and the person it was booked for, checked once per statement, not by a
foreign key per row.

Django declares its foreign keys DEFERRABLE INITIALLY DEFERRED, so PostgreSQL checked each new
transaction's `created_by` and `on_behalf_of` at commit, one query per row: a year of bank lines
booked in one run wrote 45,000 transactions and paid 45,000 of these queries at its commit
(about 0.3 s). A statement trigger now refuses a transaction that names a user who does not
exist, once per statement (ADR 0070). What the foreign keys also gave stays:

- The users a statement names are share-locked, as the foreign keys locked each, so none of them
  is deleted while the bookings are being written.
- A user named by a transaction is neither deleted nor given another id. Forgetting a person
  (members/personal_data.py) erases the row's identity and keeps the row, so the books keep it.

Few transactions are booked on someone's behalf, so `on_behalf_of` is indexed only where it is
set; the rule's own lookup is the one query that reads it by value.

Errors use SQLSTATE 23503 (foreign_key_violation), which Django raises as IntegrityError.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from wijkbv.audit.postgres_sql import PostgresOnlySQL

FORWARD = r"""
CREATE FUNCTION ledger_transactions_name_people() RETURNS trigger LANGUAGE plpgsql SET jit = off
AS $$
DECLARE
    refused record;
BEGIN
    -- Share-locked in the order of their ids, as the foreign keys locked each: a person cannot be
    -- deleted while bookings that name them are being written.
    PERFORM 1 FROM members_user
      WHERE id IN (SELECT created_by_id FROM inserted UNION SELECT on_behalf_of_id FROM inserted)
      ORDER BY id FOR KEY SHARE;
    SELECT booked.id, missing.id AS user_id INTO refused
      FROM (SELECT named.id
              FROM (SELECT created_by_id AS id FROM inserted
                    UNION SELECT on_behalf_of_id FROM inserted) named
              LEFT JOIN members_user u ON u.id = named.id
             WHERE named.id IS NOT NULL AND u.id IS NULL) missing
      JOIN inserted booked ON missing.id IN (booked.created_by_id, booked.on_behalf_of_id)
     ORDER BY booked.id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transaction % refused: user % does not exist',
            refused.id, refused.user_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER ledger_transaction_names_people AFTER INSERT ON ledger_transaction
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_transactions_name_people();

-- A person named by the books stays: not deleted, nor given another id.
CREATE FUNCTION ledger_user_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM ledger_transaction WHERE created_by_id = OLD.id)
       OR EXISTS (SELECT 1 FROM ledger_transaction WHERE on_behalf_of_id = OLD.id) THEN
        RAISE EXCEPTION 'user % is named by ledger transactions: it cannot be deleted or given another id',
            OLD.id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE TRIGGER ledger_user_named_by_transactions BEFORE DELETE OR UPDATE OF id ON members_user
    FOR EACH ROW EXECUTE FUNCTION ledger_user_kept();
"""

# The foreign keys come back with the fields.
REVERSE = r"""
DROP TRIGGER ledger_user_named_by_transactions ON members_user;
DROP FUNCTION ledger_user_kept();
DROP TRIGGER ledger_transaction_names_people ON ledger_transaction;
DROP FUNCTION ledger_transactions_name_people();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0009_posting_references_per_statement"),
        ("members", "0002_retained_identity"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="transaction",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="transaction",
            name="on_behalf_of",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="transaction",
            index=models.Index(
                condition=models.Q(("on_behalf_of__isnull", False)),
                fields=["on_behalf_of"],
                name="transaction_on_behalf_of",
            ),
        ),
        PostgresOnlySQL(FORWARD, REVERSE),
    ]
