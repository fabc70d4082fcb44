"""`manage.py audit verify` recomputes each chain and names the first seq that does not hold.

The rows are changed the way only someone with direct access to the database could: on
PostgreSQL with the triggers switched off as a superuser can (session_replication_role)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from wijkbv.audit.models import AuditEvent, ChainHead
from wijkbv.audit.services import append_event

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def chain(hood):
    """The test neighbourhood's chain with a few more events: seq 1 to 12 or so."""
    for number in range(3):
        with transaction.atomic():
            append_event(
                hood.cooperative, actor=hood.bob, action="test.done", payload={"n": number}
            )
    return list(AuditEvent.objects.filter(cooperative=hood.cooperative).order_by("seq"))


def behind_the_back(sql, params=()):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def verify(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=err)
    except CommandError as error:
        return err.getvalue(), str(error)
    return out.getvalue(), None


def test_an_untouched_chain_is_intact(hood, chain):
    output, error = verify()
    assert error is None
    assert f"teststad: intact, {len(chain)} events, head {chain[-1].hash}" in output
    assert "elders: intact, 2 events" in output


def test_it_verifies_one_cooperative(hood, chain):
    output, error = verify("--cooperative", "elders")
    assert error is None
    assert "teststad" not in output


def test_it_names_a_changed_event(hood, chain):
    changed = chain[4]
    behind_the_back(
        "UPDATE audit_auditevent SET action = %s WHERE id = %s", ["member.removed", changed.pk]
    )
    output, error = verify()
    assert f"teststad: BROKEN at seq {changed.seq}: hash mismatch" in output
    assert error.startswith("the audit chain is broken: teststad at seq 5")


def test_it_names_a_changed_payload(hood, chain):
    changed = chain[-1]
    behind_the_back(
        "UPDATE audit_auditevent SET payload = %s WHERE id = %s", ['{"n": 99}', changed.pk]
    )
    output, error = verify()
    assert f"BROKEN at seq {changed.seq}: hash mismatch" in output


def test_it_names_the_wrong_link_after_an_event_rewritten_with_a_new_hash(hood, chain):
    changed = chain[3]
    behind_the_back("UPDATE audit_auditevent SET hash = %s WHERE id = %s", ["f" * 64, changed.pk])
    output, error = verify()
    assert f"BROKEN at seq {changed.seq}: hash mismatch" in output
    behind_the_back(
        "UPDATE audit_auditevent SET hash = %s WHERE id = %s", [chain[4].prev_hash, changed.pk]
    )
    behind_the_back(
        "UPDATE audit_auditevent SET prev_hash = %s WHERE id = %s", ["e" * 64, chain[4].pk]
    )
    output, error = verify()
    assert f"BROKEN at seq {chain[4].seq}: wrong link: prev_hash is {'e' * 64}" in output


def test_it_names_a_removed_event(hood, chain):
    behind_the_back("DELETE FROM audit_auditevent WHERE id = %s", [chain[6].pk])
    output, error = verify()
    assert "BROKEN at seq 7: gap: seq 7 is missing, the chain goes on at seq 8" in output


def test_it_notices_the_last_event_removed(hood, chain):
    behind_the_back("DELETE FROM audit_auditevent WHERE id = %s", [chain[-1].pk])
    output, error = verify()
    last = chain[-1].seq
    assert f"BROKEN at seq {last}: gap: the chain ends at seq {last - 1}" in output
    assert ChainHead.objects.get(cooperative=hood.cooperative).seq == last


def test_it_refuses_an_unknown_cooperative(hood):
    with pytest.raises(CommandError, match="there is no cooperative 'nowhere'"):
        call_command("audit", "verify", "--cooperative", "nowhere")
