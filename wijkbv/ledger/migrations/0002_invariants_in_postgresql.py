"""The ledger's rules, enforced a second time by PostgreSQL.

- Transactions, postings, closed periods and closing balances are never updated or deleted.
- At commit (a deferred constraint trigger), every transaction has at least two postings that sum
  to zero per currency, each in its account's currency, on an account of the transaction's
  cooperative and with the transaction's booking date; and no project budget has gone below zero.
- Nothing is booked into a closed period.
- Postings are inserted with their transaction, never added to one booked earlier.

Errors use SQLSTATE class 23, so Django raises them as IntegrityError.
"""

from django.db import migrations

from wijkbv.audit.postgres_sql import PostgresOnlySQL

FORWARD = r"""
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % refused: the ledger is never changed, a mistake is corrected by a reversal',
        TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER ledger_transaction_immutable BEFORE UPDATE OR DELETE ON ledger_transaction
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_posting_immutable BEFORE UPDATE OR DELETE ON ledger_posting
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_periodclose_immutable BEFORE UPDATE OR DELETE ON ledger_periodclose
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_closingbalance_immutable BEFORE UPDATE OR DELETE ON ledger_closingbalance
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

CREATE FUNCTION ledger_check_transaction(tx ledger_transaction) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    postings bigint;
    currencies bigint;
    total numeric;
    mismatched boolean;
    touches_budget boolean;
    wrong text;
BEGIN
    SELECT count(*), count(DISTINCT p.currency), sum(p.amount),
           bool_or(a.cooperative_id <> tx.cooperative_id
                   OR a.currency <> p.currency
                   OR p.booking_date <> tx.booking_date),
           bool_or(a.purpose = 'project_budget')
      INTO postings, currencies, total, mismatched, touches_budget
      FROM ledger_posting p JOIN ledger_account a ON a.id = p.account_id
     WHERE p.transaction_id = tx.id;

    IF postings < 2 THEN
        RAISE EXCEPTION 'ledger transaction % has % posting(s): it needs at least two', tx.id, postings
            USING ERRCODE = 'check_violation';
    END IF;
    IF currencies > 1 THEN
        SELECT string_agg(currency || ' ' || sum, ', ') INTO wrong FROM (
            SELECT currency, sum(amount) FROM ledger_posting
             WHERE transaction_id = tx.id GROUP BY currency HAVING sum(amount) <> 0
        ) AS unbalanced;
    ELSIF total <> 0 THEN
        wrong := total::text;
    END IF;
    IF wrong IS NOT NULL THEN
        RAISE EXCEPTION 'ledger transaction % does not sum to zero: %', tx.id, wrong
            USING ERRCODE = 'check_violation';
    END IF;
    IF mismatched THEN
        RAISE EXCEPTION 'a posting of ledger transaction % differs from its account or transaction (cooperative, currency or booking date)', tx.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF touches_budget THEN
        SELECT string_agg(a.code, ', ') INTO wrong
          FROM ledger_account a
         WHERE a.purpose = 'project_budget'
           AND a.id IN (SELECT account_id FROM ledger_posting WHERE transaction_id = tx.id)
           AND (SELECT sum(amount) FROM ledger_posting WHERE account_id = a.id) > 0;
        IF wrong IS NOT NULL THEN
            RAISE EXCEPTION 'ledger transaction % takes project budget % below zero', tx.id, wrong
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
END;
$$;

-- Before a transaction is written: is its period still open? The cooperative's row is share-locked
-- first, as the insert's foreign key would, so a closing (which holds that row exclusively until
-- it commits) is either seen here or waits for this booking.
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

CREATE FUNCTION ledger_transaction_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ledger_check_transaction(NEW);
    RETURN NULL;
END;
$$;

-- Checked once, at commit, when all of its postings are there.
CREATE CONSTRAINT TRIGGER ledger_transaction_balanced AFTER INSERT ON ledger_transaction
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_transaction_inserted();

-- A posting belongs to the database transaction that inserted its transaction (same xmin), so
-- nothing can be added to a transaction once it is booked, and the check above sees all of it.
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
"""

REVERSE = r"""
DROP TRIGGER ledger_posting_with_its_transaction ON ledger_posting;
DROP FUNCTION ledger_posting_inserted();
DROP TRIGGER ledger_transaction_balanced ON ledger_transaction;
DROP FUNCTION ledger_transaction_inserted();
DROP TRIGGER ledger_transaction_in_open_period ON ledger_transaction;
DROP FUNCTION ledger_period_open();
DROP FUNCTION ledger_check_transaction(ledger_transaction);
DROP TRIGGER ledger_closingbalance_immutable ON ledger_closingbalance;
DROP TRIGGER ledger_periodclose_immutable ON ledger_periodclose;
DROP TRIGGER ledger_posting_immutable ON ledger_posting;
DROP TRIGGER ledger_transaction_immutable ON ledger_transaction;
DROP FUNCTION ledger_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0001_accounts_transactions_postings"),
    ]

    operations = [PostgresOnlySQL(FORWARD, REVERSE)]
