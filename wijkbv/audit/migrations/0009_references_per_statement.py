"""An event's cooperative and acting user, checked once per statement, not by a foreign key per
row.

Django declares its foreign keys DEFERRABLE INITIALLY DEFERRED, so PostgreSQL checked each new
event's `cooperative` and `actor_user` at commit, one query per row and reference: a year of bank
lines booked in one run writes 45,000 events, and their commit ran 90,000 such queries (about
0.75 s). A statement trigger now refuses an event that names a cooperative or a user that does
not exist, once per statement (ADR 0070). It is named to run before the chain rule of migration
0007, so a missing cooperative is reported as such. What the foreign keys also gave stays:

- The cooperatives and users a statement names are share-locked, as the foreign keys locked
  each, so none is deleted while the events are being written.
- A cooperative or user named by an event is neither deleted nor given another id. Events are
  never changed or deleted (migration 0004), so they go on naming them.

Errors use SQLSTATE 23503 (foreign_key_violation), which Django raises as IntegrityError.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from wijkbv.audit.postgres_sql import PostgresOnlySQL

FORWARD = r"""
CREATE FUNCTION audit_events_name_existing() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    refused record;
BEGIN
    PERFORM 1 FROM members_cooperative
      WHERE id IN (SELECT cooperative_id FROM inserted) ORDER BY id FOR KEY SHARE;
    SELECT event.cooperative_id, event.seq INTO refused
      FROM inserted event
     WHERE event.cooperative_id IN (
           SELECT used.cooperative_id
             FROM (SELECT DISTINCT cooperative_id FROM inserted) used
             LEFT JOIN members_cooperative c ON c.id = used.cooperative_id
            WHERE c.id IS NULL)
     ORDER BY event.cooperative_id, event.seq LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'audit event seq % refused: cooperative % does not exist',
            refused.seq, refused.cooperative_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    PERFORM 1 FROM members_user
      WHERE id IN (SELECT actor_user_id FROM inserted) ORDER BY id FOR KEY SHARE;
    SELECT event.cooperative_id, event.seq, event.actor_user_id INTO refused
      FROM inserted event
     WHERE event.actor_user_id IN (
           SELECT used.actor_user_id
             FROM (SELECT DISTINCT actor_user_id FROM inserted) used
             LEFT JOIN members_user u ON u.id = used.actor_user_id
            WHERE used.actor_user_id IS NOT NULL AND u.id IS NULL)
     ORDER BY event.cooperative_id, event.seq LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'audit event seq % of cooperative % refused: user % does not exist',
            refused.seq, refused.cooperative_id, refused.actor_user_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER audit_event_cooperative_and_user_exist AFTER INSERT ON audit_auditevent
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_name_existing();

-- A cooperative with a chain keeps it: not deleted, nor given another id.
CREATE FUNCTION audit_cooperative_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM audit_auditevent WHERE cooperative_id = OLD.id) THEN
        RAISE EXCEPTION 'cooperative % has audit events: it cannot be deleted or given another id',
            OLD.id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE TRIGGER audit_cooperative_with_events BEFORE DELETE OR UPDATE OF id ON members_cooperative
    FOR EACH ROW EXECUTE FUNCTION audit_cooperative_kept();

-- A person who acted in the chain stays: not deleted, nor given another id.
CREATE FUNCTION audit_user_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM audit_auditevent WHERE actor_user_id = OLD.id) THEN
        RAISE EXCEPTION 'user % has audit events: it cannot be deleted or given another id',
            OLD.id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE TRIGGER audit_user_with_events BEFORE DELETE OR UPDATE OF id ON members_user
    FOR EACH ROW EXECUTE FUNCTION audit_user_kept();
"""

# The foreign keys come back with the fields.
REVERSE = r"""
DROP TRIGGER audit_user_with_events ON members_user;
DROP FUNCTION audit_user_kept();
DROP TRIGGER audit_cooperative_with_events ON members_cooperative;
DROP FUNCTION audit_cooperative_kept();
DROP TRIGGER audit_event_cooperative_and_user_exist ON audit_auditevent;
DROP FUNCTION audit_events_name_existing();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0008_event_indexes"),
        ("members", "0002_retained_identity"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor_user",
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
            model_name="auditevent",
            name="cooperative",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="audit_events",
                to="members.cooperative",
            ),
        ),
        PostgresOnlySQL(FORWARD, REVERSE),
    ]
