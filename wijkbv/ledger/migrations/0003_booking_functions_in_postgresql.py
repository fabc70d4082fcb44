"""The two steps of a booking as PostgreSQL functions.

The posting service checks everything in Python; these functions only take the locks and write
the rows, in one call each. A function's statements are planned once per database session, where
the same statements sent as text would be parsed and planned on every booking (Django sends no
prepared statements, so that connection poolers keep working). See
docs/decisions/0003-bookings-in-two-round-trips.md. On SQLite the service sends the same
statements itself.

ledger_open_booking(cooperative, user): share-lock the cooperative, read the user's membership,
lock the chain head, read where the closed period ends, and number the new transaction.

ledger_write_booking(...): insert the transaction and its postings, add them to the balance rows,
insert the audit event and move the chain head; returns the event's id and the new balances.
"""

from django.db import migrations

from wijkbv.audit.postgres_sql import PostgresOnlySQL

FORWARD = r"""
CREATE FUNCTION ledger_open_booking(
    cooperative bigint,
    member_user bigint,
    OUT transaction_id bigint,
    OUT membership jsonb,
    OUT chain_label text,
    OUT chain_seq bigint,
    OUT chain_hash text,
    OUT closed_until date
) LANGUAGE plpgsql AS $$
BEGIN
    -- The order every writer of a cooperative takes its locks in: the cooperative, the chain head.
    PERFORM 1 FROM members_cooperative WHERE id = cooperative FOR KEY SHARE;
    SELECT to_jsonb(m) INTO membership
      FROM members_membership m WHERE m.cooperative_id = cooperative AND m.user_id = member_user;
    SELECT label, seq, hash INTO chain_label, chain_seq, chain_hash
      FROM audit_chainhead WHERE cooperative_id = cooperative FOR UPDATE;
    -- After the cooperative's lock: a closing that was under way has committed by now.
    SELECT max(until) INTO closed_until FROM ledger_periodclose WHERE cooperative_id = cooperative;
    transaction_id := nextval(pg_get_serial_sequence('ledger_transaction', 'id'));
END;
$$;

CREATE FUNCTION ledger_write_booking(
    transaction_id bigint,
    cooperative bigint,
    booking_date date,
    description text,
    action text,
    cause text,
    created_by bigint,
    on_behalf_of bigint,
    reverses bigint,
    created_at timestamptz,
    currency text,
    accounts bigint[],
    amounts numeric[],
    event_seq bigint,
    event_time text,
    event_actor text,
    event_on_behalf_of text,
    event_subject text,
    event_payload jsonb,
    event_prev_hash text,
    event_hash text,
    OUT event_id bigint,
    OUT balance_accounts bigint[],
    OUT balances numeric[]
) LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_transaction (id, cooperative_id, booking_date, description, action, cause,
                                    created_by_id, on_behalf_of_id, reverses_id, created_at)
    VALUES (transaction_id, cooperative, booking_date, description, action, cause,
            created_by, on_behalf_of, reverses, created_at);
    INSERT INTO ledger_posting (transaction_id, account_id, amount, currency, booking_date)
    SELECT transaction_id, line.account, line.amount, currency, booking_date
      FROM unnest(accounts, amounts) WITH ORDINALITY AS line(account, amount, position)
     ORDER BY line.position;
    WITH added AS (
        SELECT line.account, sum(line.amount) AS amount
          FROM unnest(accounts, amounts) AS line(account, amount) GROUP BY line.account
    ), updated AS (
        UPDATE ledger_balance b SET amount = b.amount + added.amount
          FROM added WHERE b.account_id = added.account
        RETURNING b.account_id, b.amount
    )
    SELECT array_agg(updated.account_id), array_agg(updated.amount)
      INTO balance_accounts, balances FROM updated;
    INSERT INTO audit_auditevent (cooperative_id, seq, time, actor, on_behalf_of, actor_user_id,
                                  action, subject, payload, prev_hash, hash)
    VALUES (cooperative, event_seq, event_time, event_actor, event_on_behalf_of, created_by,
            action, event_subject, event_payload, event_prev_hash, event_hash)
    RETURNING id INTO event_id;
    UPDATE audit_chainhead SET seq = event_seq, hash = event_hash WHERE cooperative_id = cooperative;
END;
$$;
"""

REVERSE = r"""
DROP FUNCTION ledger_write_booking(bigint, bigint, date, text, text, text, bigint, bigint, bigint,
    timestamptz, text, bigint[], numeric[], bigint, text, text, text, text, jsonb, text, text);
DROP FUNCTION ledger_open_booking(bigint, bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0002_invariants_in_postgresql"),
        ("audit", "0004_chain_rules_in_postgresql"),
    ]

    operations = [PostgresOnlySQL(FORWARD, REVERSE)]
