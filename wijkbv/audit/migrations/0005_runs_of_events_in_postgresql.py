"""A run of events appended at once: PostgreSQL checks each link, and the head moves once.

A decision that records many events (a bank statement's payments booked together) inserts them
in one statement and then moves the head to the last of them. Moving the head once per event
would rewrite its row thousands of times in one database transaction, and every such version
stays until the transaction ends, so each move gets slower than the one before.

The chain's shape stays what migration 0004 made it, whoever writes:
- an event is the next link of the head (`seq` one more, `prev_hash` its hash), or the next
  link of an event beyond the head that is already there (`seq` one more than it, `prev_hash`
  its hash); with `seq` unique per cooperative, that is one gapless, linked chain;
- the head only moves forward, to an event of its chain, which by the rule above is linked all
  the way back to where the head was.
"""

from django.db import migrations

from wijkbv.audit.postgres_sql import PostgresOnlySQL

FORWARD = r"""
-- Events are looked up by their hash, which is unique: the lookup stays one index probe however
-- many events a chain holds, whatever plan the table's statistics would suggest otherwise.
CREATE OR REPLACE FUNCTION audit_event_extends_head() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head audit_chainhead%ROWTYPE;
    previous audit_auditevent%ROWTYPE;
BEGIN
    SELECT * INTO head FROM audit_chainhead WHERE cooperative_id = NEW.cooperative_id;
    IF FOUND AND NEW.seq = head.seq + 1 AND NEW.prev_hash = head.hash THEN
        RETURN NEW;
    END IF;
    IF FOUND AND NEW.seq > head.seq + 1 THEN
        SELECT * INTO previous FROM audit_auditevent WHERE hash = NEW.prev_hash;
        IF FOUND AND previous.cooperative_id = NEW.cooperative_id
           AND previous.seq = NEW.seq - 1 THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit event seq % of cooperative % is not the next link of its chain',
        NEW.seq, NEW.cooperative_id
        USING ERRCODE = 'check_violation';
END;
$$;

CREATE OR REPLACE FUNCTION audit_head_moves_forward() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    target audit_auditevent%ROWTYPE;
BEGIN
    SELECT * INTO target FROM audit_auditevent WHERE hash = NEW.hash;
    IF NEW.cooperative_id <> OLD.cooperative_id OR NEW.label <> OLD.label
       OR NEW.seq <= OLD.seq OR NOT FOUND
       OR target.cooperative_id <> NEW.cooperative_id OR target.seq <> NEW.seq THEN
        RAISE EXCEPTION 'the audit chain head of cooperative % may only move to its next event',
            OLD.cooperative_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
"""

REVERSE = r"""
CREATE OR REPLACE FUNCTION audit_event_extends_head() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head audit_chainhead%ROWTYPE;
BEGIN
    SELECT * INTO head FROM audit_chainhead WHERE cooperative_id = NEW.cooperative_id;
    IF NOT FOUND OR NEW.seq <> head.seq + 1 OR NEW.prev_hash <> head.hash THEN
        RAISE EXCEPTION 'audit event seq % of cooperative % is not the next link of its chain',
            NEW.seq, NEW.cooperative_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION audit_head_moves_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.cooperative_id <> OLD.cooperative_id OR NEW.label <> OLD.label
       OR NEW.seq <> OLD.seq + 1
       OR NOT EXISTS (SELECT 1 FROM audit_auditevent
                       WHERE cooperative_id = NEW.cooperative_id
                         AND seq = NEW.seq AND hash = NEW.hash) THEN
        RAISE EXCEPTION 'the audit chain head of cooperative % may only move to its next event',
            OLD.cooperative_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_chain_rules_in_postgresql"),
    ]

    operations = [PostgresOnlySQL(FORWARD, REVERSE)]
