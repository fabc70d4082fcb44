"""Each new event is checked once per statement, not once per row.

A run of events (migration 0005) is inserted in one statement; checked row by row, every event
called the rule's function. Checked per statement, the rule is one query over all the events the
statement wrote (its transition table), and the chain keeps the shape migrations 0004 and 0005
gave it. Every new event must be:
- the next link of its cooperative's head (`seq` one more, `prev_hash` its hash), or
- the next link of another event of its chain beyond the head (`seq` one more than it,
  `prev_hash` its hash), written earlier or by the same statement.
Following the links down from any new event reaches the head one `seq` at a time, so a run with
a gap, a wrong `prev_hash`, another cooperative's event or a `seq` that does not follow is refused
whole. Two events that both claim the head's next `seq` are refused by the unique (cooperative,
seq) constraint before this check runs.

Errors use SQLSTATE class 23, so Django raises them as IntegrityError.
"""

from django.db import migrations

from wijkbv.audit.postgres_sql import PostgresOnlySQL

FORWARD = r"""
DROP TRIGGER audit_event_extends_head ON audit_auditevent;
DROP FUNCTION audit_event_extends_head();

-- The statement's events in the order of their chain: each is linked to the head, or to the
-- event before it in the statement. One that is neither is looked up by its unique hash: it may
-- continue events written by an earlier statement (usually none, so the lookups stay few).
-- Planned without knowing how many rows a statement writes; compiling the plan would cost more
-- than running it.
CREATE FUNCTION audit_events_extend_head() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    event record;
BEGIN
    FOR event IN
        SELECT run.cooperative_id, run.seq, run.prev_hash, head.seq AS head_seq
          FROM (SELECT cooperative_id, seq, prev_hash,
                       lag(seq) OVER links AS previous_seq, lag(hash) OVER links AS previous_hash
                  FROM inserted
                WINDOW links AS (PARTITION BY cooperative_id ORDER BY seq)) run
          LEFT JOIN audit_chainhead head ON head.cooperative_id = run.cooperative_id
         WHERE ((run.seq = head.seq + 1 AND run.prev_hash = head.hash)
                OR (run.seq > head.seq + 1 AND run.previous_seq = run.seq - 1
                    AND run.previous_hash = run.prev_hash)) IS NOT TRUE
         ORDER BY run.cooperative_id, run.seq
    LOOP
        IF (event.seq > event.head_seq + 1
            AND EXISTS (SELECT 1 FROM audit_auditevent earlier
                         WHERE earlier.hash = event.prev_hash
                           AND earlier.cooperative_id = event.cooperative_id
                           AND earlier.seq = event.seq - 1)) IS NOT TRUE THEN
            RAISE EXCEPTION 'audit event seq % of cooperative % is not the next link of its chain',
                event.seq, event.cooperative_id
                USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;

CREATE TRIGGER audit_event_extends_head AFTER INSERT ON audit_auditevent
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_extend_head();
"""

# Migration 0005's trigger, as it was.
REVERSE = r"""
DROP TRIGGER audit_event_extends_head ON audit_auditevent;
DROP FUNCTION audit_events_extend_head();

CREATE FUNCTION audit_event_extends_head() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER audit_event_extends_head BEFORE INSERT ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_extends_head();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0006_events_by_subject"),
    ]

    operations = [PostgresOnlySQL(FORWARD, REVERSE)]
