"""A bank line's statement, bank account and booking checked once per statement, not by a
foreign key per row.

Django declares its foreign keys DEFERRABLE INITIALLY DEFERRED, so PostgreSQL checked each new
line's statement and bank account at commit, one query per row and reference: 200,000 queries for
a year of a busy account; and each line a matching run booked, 45,000 more. A statement trigger
now checks every line an INSERT wrote, in one query (ADR 0067), and checks more than the keys
did: the line's bank account is its statement's. Another checks the bookings an UPDATE wrote.
What the foreign keys also gave stays:

- The statements the lines name are share-locked, as the foreign key locked them, and a statement
  with lines cannot be deleted, given another id or moved to another bank account: a delete that
  waited for the lock sees the new lines and is refused.
- A line stays on its statement and its bank account. The bank account cannot go while its
  statements are there (their foreign key stays).
- A line is booked as a ledger transaction that exists; transactions are never deleted (ledger
  migration 0002), so nothing needs locking for it.

Errors use SQLSTATE 23503 (foreign_key_violation), which Django raises as IntegrityError.
"""

import django.db.models.deletion
from django.db import migrations, models

from wijkbv.audit.postgres_sql import PostgresOnlySQL

FORWARD = r"""
CREATE FUNCTION budgets_bank_lines_inserted() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    refused record;
BEGIN
    PERFORM 1 FROM budgets_bankstatement
      WHERE id IN (SELECT DISTINCT statement_id FROM inserted) ORDER BY id FOR KEY SHARE;
    SELECT line.id, line.statement_id, wrong.missing INTO refused
      FROM inserted line
      JOIN (SELECT used.statement_id, used.bank_account_id, s.id IS NULL AS missing
              FROM (SELECT DISTINCT statement_id, bank_account_id FROM inserted) used
              LEFT JOIN budgets_bankstatement s ON s.id = used.statement_id
             WHERE s.id IS NULL OR s.bank_account_id <> used.bank_account_id) wrong
        ON wrong.statement_id = line.statement_id
       AND wrong.bank_account_id = line.bank_account_id
     ORDER BY line.id LIMIT 1;
    IF FOUND AND refused.missing THEN
        RAISE EXCEPTION 'bank line % refused: bank statement % does not exist',
            refused.id, refused.statement_id
            USING ERRCODE = 'foreign_key_violation';
    ELSIF FOUND THEN
        RAISE EXCEPTION 'bank line % refused: bank statement % is of another bank account',
            refused.id, refused.statement_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    SELECT line.id, line.booked_transaction_id INTO refused
      FROM inserted line
     WHERE line.booked_transaction_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM ledger_transaction t WHERE t.id = line.booked_transaction_id)
     ORDER BY line.id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'bank line % refused: ledger transaction % does not exist',
            refused.id, refused.booked_transaction_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER budgets_bank_line_on_its_statement AFTER INSERT ON budgets_bankline
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION budgets_bank_lines_inserted();

-- The bookings an UPDATE wrote (a matching run books thousands of lines in one).
CREATE FUNCTION budgets_bank_lines_booked() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    refused record;
BEGIN
    SELECT line.id, line.booked_transaction_id INTO refused
      FROM changed line
     WHERE line.booked_transaction_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM ledger_transaction t WHERE t.id = line.booked_transaction_id)
     ORDER BY line.id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'bank line % refused: ledger transaction % does not exist',
            refused.id, refused.booked_transaction_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER budgets_bank_line_booked AFTER UPDATE ON budgets_bankline
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION budgets_bank_lines_booked();

CREATE FUNCTION budgets_bank_line_stays() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'bank line % stays on its statement and bank account', OLD.id
        USING ERRCODE = 'foreign_key_violation';
END;
$$;

CREATE TRIGGER budgets_bank_line_stays BEFORE UPDATE OF statement_id, bank_account_id
    ON budgets_bankline FOR EACH ROW
    WHEN (OLD.statement_id IS DISTINCT FROM NEW.statement_id
          OR OLD.bank_account_id IS DISTINCT FROM NEW.bank_account_id)
    EXECUTE FUNCTION budgets_bank_line_stays();

-- A statement keeps its lines: it is not deleted, given another id or moved to another bank
-- account while any line names it.
CREATE FUNCTION budgets_bank_statement_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.bank_account_id = OLD.bank_account_id THEN
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM budgets_bankline WHERE statement_id = OLD.id) THEN
        RAISE EXCEPTION 'bank statement % has lines: it cannot be deleted or changed', OLD.id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE TRIGGER budgets_bank_statement_with_lines
    BEFORE DELETE OR UPDATE OF id, bank_account_id ON budgets_bankstatement
    FOR EACH ROW EXECUTE FUNCTION budgets_bank_statement_kept();
"""

REVERSE = r"""
DROP TRIGGER budgets_bank_statement_with_lines ON budgets_bankstatement;
DROP FUNCTION budgets_bank_statement_kept();
DROP TRIGGER budgets_bank_line_booked ON budgets_bankline;
DROP FUNCTION budgets_bank_lines_booked();
DROP TRIGGER budgets_bank_line_stays ON budgets_bankline;
DROP FUNCTION budgets_bank_line_stays();
DROP TRIGGER budgets_bank_line_on_its_statement ON budgets_bankline;
DROP FUNCTION budgets_bank_lines_inserted();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0008_bank_line_account_index"),
        ("ledger", "0009_posting_references_per_statement"),
    ]

    operations = [
        migrations.AlterField(
            model_name="bankline",
            name="bank_account",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lines",
                to="budgets.bankaccount",
            ),
        ),
        migrations.AlterField(
            model_name="bankline",
            name="booked_transaction",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="ledger.transaction",
                verbose_name="booked as",
            ),
        ),
        migrations.AlterField(
            model_name="bankline",
            name="statement",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lines",
                to="budgets.bankstatement",
            ),
        ),
        PostgresOnlySQL(FORWARD, REVERSE),
    ]
