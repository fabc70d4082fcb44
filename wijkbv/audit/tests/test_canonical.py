"""The canonical form of an event built around its payload, as a run of events writes it, is the
canonical form itself, byte for byte."""

import pytest

from wijkbv.audit import canonical as ours
from wijkbv.audit.tests.test_verify_script import EVENTS

MORE_PAYLOADS = [
    {},
    {"lines": [["1000", "12.50"], ["3000", "-12.50"]], "count": 3, "paid": True, "why": None},
    {"é": "ü", "tab\t": "line\nbreak", 'quote"': "back\\slash", "emoji": "☕\U0001f600"},
    {"nested": {"b": [1, [2, [3, {"z": "", "a": False}]]], "a": -7}},
    {"big": 10**30, "zero": 0, "list": []},
]


def _events():
    yield from EVENTS
    for seq, payload in enumerate(MORE_PAYLOADS, start=10):
        yield {
            "cooperative": 'wijk "de Bron" — Zuid',
            "seq": seq,
            "time": "2026-03-14T09:00:00.000001+00:00",
            "actor": "member:12",
            "on_behalf_of": "",
            "action": "shares.subscription_paid",
            "subject": "ledger.transaction:9",
            "payload": payload,
        }


@pytest.mark.parametrize("event", list(_events()))
def test_the_form_built_around_a_written_payload_is_the_canonical_form(event):
    text = ours.canonical_payload(event["payload"])

    assert ours.canonical_around(event, text) == ours.canonical(event)
    assert ours.text_hash("a" * 64, ours.canonical_around(event, text)) == ours.event_hash(
        "a" * 64, event
    )
