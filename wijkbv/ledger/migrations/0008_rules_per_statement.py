"""The ledger's rules checked once per statement, not once per row.

Matching a year of bank lines books tens of thousands of transactions in one INSERT. Checked
row by row, every rule called its function once per transaction or posting; checked per
statement, each rule is one query over all the rows the statement wrote (its transition table).
The rules are those of migration 0002, as strict as before:

- Nothing is booked into a closed period. The trigger now runs after the statement instead of
  before each row. That changes nothing about a concurrent closing: the new rows cannot be seen
  by anyone else until this database transaction commits, and the cooperatives' rows are
  share-locked before the closed periods are read and stay locked until then.
- A posting is inserted by the same database transaction (same xmin) as its transaction.
- At commit, every transaction balances (migration 0002 lists what that means). A constraint
  trigger can only fire per row, so it stays, but the first firing checks every transaction this
  database transaction inserted in one set of queries, and the other firings find nothing left
  to check. Which transactions those are is remembered, per statement, in a transaction-local
  setting, which a rolled-back savepoint puts back as it was, together with the rows.

`ledger_check_transaction(tx)` stays as it was; the set-based check calls it for a transaction it
finds wrong, so the messages are the same. Errors use SQLSTATE class 23, so Django raises them as
IntegrityError.
"""

from django.db import migrations

from wijkbv.audit.postgres_sql import PostgresOnlySQL

FORWARD = r"""
DROP TRIGGER ledger_transaction_in_open_period ON ledger_transaction;
DROP FUNCTION ledger_period_open();

-- After a statement has written transactions: are their periods still open? The cooperatives'
-- rows are share-locked first (in the order of their ids, so two bookings cannot deadlock), as
-- the transactions' foreign keys will be at commit. A closing holds its cooperative's row
-- exclusively until it commits, so it is either seen by the query after the lock or waits for
-- this booking, whose rows it cannot see before then.
CREATE FUNCTION ledger_periods_open() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER ledger_transaction_in_open_period AFTER INSERT ON ledger_transaction
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_periods_open();

-- Every transaction with an id from first_id to last_id, in one set of queries: the ones that
-- could be wrong (in more than one currency, or touching a project budget above zero) are handed
-- to ledger_check_transaction, which refuses them with its own message. A posting's account
-- agrees with its transaction when the smallest and the largest of its postings' values both do.
CREATE FUNCTION ledger_check_transactions(first_id bigint, last_id bigint)
RETURNS void LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    suspect ledger_transaction;
BEGIN
    FOR suspect IN
        SELECT * FROM ledger_transaction WHERE id IN (
            SELECT t.id
              FROM ledger_transaction t
              LEFT JOIN (
                    SELECT p.transaction_id, count(*) AS postings, sum(p.amount) AS total,
                           min(p.currency) AS first_currency, max(p.currency) AS last_currency,
                           bool_or(a.currency <> p.currency) AS other_currency,
                           min(a.cooperative_id) AS first_cooperative,
                           max(a.cooperative_id) AS last_cooperative,
                           min(p.booking_date) AS first_date, max(p.booking_date) AS last_date
                      FROM ledger_posting p JOIN ledger_account a ON a.id = p.account_id
                     WHERE p.transaction_id BETWEEN first_id AND last_id
                     GROUP BY p.transaction_id) booked
                ON booked.transaction_id = t.id
             WHERE t.id BETWEEN first_id AND last_id
               AND (booked.postings IS NULL OR booked.postings < 2
                    OR booked.first_currency <> booked.last_currency OR booked.total <> 0
                    OR booked.other_currency
                    OR booked.first_cooperative <> t.cooperative_id
                    OR booked.last_cooperative <> t.cooperative_id
                    OR booked.first_date <> t.booking_date OR booked.last_date <> t.booking_date)
            UNION
            SELECT p.transaction_id
              FROM ledger_account a
              JOIN ledger_posting p
                ON p.account_id = a.id AND p.transaction_id BETWEEN first_id AND last_id
             WHERE a.purpose = 'project_budget'
               AND EXISTS (SELECT 1 FROM ledger_posting touched
                            WHERE touched.account_id = a.id
                              AND touched.transaction_id BETWEEN first_id AND last_id)
               AND (SELECT sum(amount) FROM ledger_posting WHERE account_id = a.id) > 0)
        ORDER BY id
    LOOP
        PERFORM ledger_check_transaction(suspect);
    END LOOP;
END;
$$;

-- Which transactions are still to be checked at commit: from ledger.unchecked_from to
-- ledger.unchecked_through (ids come from one sequence, so one range covers them; the rows of
-- other database transactions in it are checked again, which is harmless). While an insert is
-- under way, ledger.inserting_transactions counts it: a firing of the balance check that comes
-- before the statement's end (the constraint made IMMEDIATE) checks its own row.
CREATE FUNCTION ledger_transactions_inserting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('ledger.inserting_transactions',
        (coalesce(nullif(current_setting('ledger.inserting_transactions', true), ''), '0')::int
         + 1)::text, true);
    RETURN NULL;
END;
$$;

CREATE FUNCTION ledger_transactions_to_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    first_id bigint;
    last_id bigint;
BEGIN
    SELECT min(id), max(id) INTO first_id, last_id FROM inserted;
    IF first_id IS NOT NULL THEN
        first_id := least(first_id,
            nullif(current_setting('ledger.unchecked_from', true), '')::bigint);
        last_id := greatest(last_id,
            nullif(current_setting('ledger.unchecked_through', true), '')::bigint);
        PERFORM set_config('ledger.unchecked_from', first_id::text, true),
                set_config('ledger.unchecked_through', last_id::text, true);
    END IF;
    PERFORM set_config('ledger.inserting_transactions',
        (current_setting('ledger.inserting_transactions')::int - 1)::text, true);
    RETURN NULL;
END;
$$;

CREATE TRIGGER ledger_transactions_inserting BEFORE INSERT ON ledger_transaction
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_transactions_inserting();
CREATE TRIGGER ledger_transactions_to_check AFTER INSERT ON ledger_transaction
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_transactions_to_check();

-- The deferred constraint trigger ledger_transaction_balanced keeps calling this function, once
-- per transaction; only the first call at commit has anything to do.
CREATE OR REPLACE FUNCTION ledger_transaction_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    first_id bigint;
BEGIN
    IF coalesce(nullif(current_setting('ledger.inserting_transactions', true), ''), '0') <> '0'
    THEN
        PERFORM ledger_check_transaction(NEW);
        RETURN NULL;
    END IF;
    first_id := nullif(current_setting('ledger.unchecked_from', true), '')::bigint;
    IF first_id IS NOT NULL THEN
        PERFORM ledger_check_transactions(
            first_id, current_setting('ledger.unchecked_through')::bigint);
        PERFORM set_config('ledger.unchecked_from', '', true),
                set_config('ledger.unchecked_through', '', true);
    END IF;
    RETURN NULL;
END;
$$;

DROP TRIGGER ledger_posting_with_its_transaction ON ledger_posting;
DROP FUNCTION ledger_posting_inserted();

-- A posting belongs to the database transaction that inserted its transaction (same xmin), so
-- nothing can be added to a transaction once it is booked, and the check at commit sees all of
-- it. Every row of one statement is written by the same (sub)transaction, so the xmin of one new
-- posting is the xmin of all; a transition table has no xmin of its own.
CREATE FUNCTION ledger_postings_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER ledger_posting_with_its_transaction AFTER INSERT ON ledger_posting
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_postings_inserted();
"""

# Migration 0002's triggers and functions, as they were.
REVERSE = r"""
DROP TRIGGER ledger_posting_with_its_transaction ON ledger_posting;
DROP FUNCTION ledger_postings_inserted();

CREATE FUNCTION ledger_posting_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM ledger_posting p JOIN ledger_transaction t ON t.id = p.transaction_id
                    WHERE p.id = NEW.id AND p.xmin = t.xmin) THEN
        RAISE EXCEPTION 'posting % refused: ledger transaction % is already booked', NEW.id, NEW.transaction_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER ledger_posting_with_its_transaction AFTER INSERT ON ledger_posting
    FOR EACH ROW EXECUTE FUNCTION ledger_posting_inserted();

CREATE OR REPLACE FUNCTION ledger_transaction_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ledger_check_transaction(NEW);
    RETURN NULL;
END;
$$;

DROP TRIGGER ledger_transactions_to_check ON ledger_transaction;
DROP TRIGGER ledger_transactions_inserting ON ledger_transaction;
DROP FUNCTION ledger_transactions_to_check();
DROP FUNCTION ledger_transactions_inserting();
DROP FUNCTION ledger_check_transactions(bigint, bigint);

DROP TRIGGER ledger_transaction_in_open_period ON ledger_transaction;
DROP FUNCTION ledger_periods_open();

CREATE FUNCTION ledger_period_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM members_cooperative WHERE id = NEW.cooperative_id FOR KEY SHARE;
    IF EXISTS (SELECT 1 FROM ledger_periodclose
                WHERE cooperative_id = NEW.cooperative_id AND until >= NEW.booking_date) THEN
        RAISE EXCEPTION 'ledger transaction % is booked on %, in a closed period', NEW.id, NEW.booking_date
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER ledger_transaction_in_open_period BEFORE INSERT ON ledger_transaction
    FOR EACH ROW EXECUTE FUNCTION ledger_period_open();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0007_bookings_by_cause"),
    ]

    operations = [PostgresOnlySQL(FORWARD, REVERSE)]
