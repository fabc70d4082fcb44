"""The audit chain's rules, enforced a second time by PostgreSQL.

- Audit events are never updated or deleted, and neither is a chain head.
- An event is inserted only as the next link of its chain: `seq` one more than the head's and
  `prev_hash` the head's hash. The head only moves forward, one event at a time, to an event
  that exists. Together: the chain is gapless and linked, whoever writes to it.

Errors use SQLSTATE class 23, so Django raises them as IntegrityError.
"""

from django.db import migrations

from wijkbv.audit.postgres_sql import PostgresOnlySQL

FORWARD = r"""
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % refused: the audit chain is never changed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER audit_event_immutable BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_head_kept BEFORE DELETE ON audit_chainhead
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();

CREATE FUNCTION audit_event_extends_head() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER audit_event_extends_head BEFORE INSERT ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_extends_head();

CREATE FUNCTION audit_head_moves_forward() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER audit_head_moves_forward BEFORE UPDATE ON audit_chainhead
    FOR EACH ROW EXECUTE FUNCTION audit_head_moves_forward();
"""

REVERSE = r"""
DROP TRIGGER audit_head_moves_forward ON audit_chainhead;
DROP FUNCTION audit_head_moves_forward();
DROP TRIGGER audit_event_extends_head ON audit_auditevent;
DROP FUNCTION audit_event_extends_head();
DROP TRIGGER audit_head_kept ON audit_chainhead;
DROP TRIGGER audit_event_immutable ON audit_auditevent;
DROP FUNCTION audit_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_chainhead_label"),
    ]

    operations = [PostgresOnlySQL(FORWARD, REVERSE)]
