import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from shares.tests.conftest import give_shares

pytestmark = pytest.mark.django_db


def _run(*args):
    out = io.StringIO()
    call_command("share_register", "--cooperative", "teststad", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_register_as_csv(hood, a_class):
    give_shares(hood, a_class, "alice", 2, issued_on=datetime.date(2026, 1, 10))

    lines = _run().splitlines()

    assert lines[0].startswith("member_number,name,address,share_class,count,certificates")
    number = hood.membership("alice").member_number
    assert lines[1] == f"{number},Alice Test,,A,2,1–2,2026-01-10,20.00,EUR"


def test_it_prints_the_register_as_of_a_date_as_json(hood, a_class):
    give_shares(hood, a_class, "alice", 2, issued_on=datetime.date(2026, 1, 10))

    assert json.loads(_run("--at", "2026-01-09", "--format", "json")) == []
    (row,) = json.loads(_run("--at", "2026-01-10", "--format", "json"))
    assert row["certificates"] == "1–2"


def test_it_refuses_an_unknown_cooperative_or_date(hood):
    with pytest.raises(CommandError, match="no cooperative"):
        call_command("share_register", "--cooperative", "nowhere")
    with pytest.raises(CommandError, match="not a date"):
        _run("--at", "yesterday")


def test_a_name_is_never_a_formula(hood, a_class):
    hood.alice.full_name = "=HYPERLINK(1)"
    hood.alice.save()
    give_shares(hood, a_class, "alice", 1)

    assert ",'=HYPERLINK(1)," in _run()
