"""The audit chain on the open pages, for a visitor who is not logged in: how to check it, its
public export and the verifier, and each event, whose content is shown only when it is public."""

import datetime

import pytest
from django.urls import reverse

from budgets.tests.expense_helpers import adopt, claim, invoice
from wijkbv.audit import verify
from wijkbv.audit.models import AuditEvent


@pytest.fixture
def expenses(hood, stream):
    """A project with a resident's claim (private) and a supplier's invoice (public)."""
    budget = adopt(hood, stream).budget_account
    return claim(hood, budget, amount="45.50"), invoice(hood, budget, amount="120.00")


def _event(hood, expense):
    return AuditEvent.objects.get(
        cooperative=hood.cooperative,
        action="expense.submitted",
        subject=f"budgets.expense:{expense.pk}",
    )


def _get(client, name, *args):
    return client.get(reverse(f"budgets:{name}", args=args))


def test_the_chain_page_shows_the_head_and_how_to_check_it(client, hood, expenses):
    last = AuditEvent.objects.filter(cooperative=hood.cooperative).order_by("-seq").first()

    response = _get(client, "open_chain", "teststad")

    html = response.content.decode()
    assert response.status_code == 200
    assert last.hash in html
    assert "python3 verify.py teststad-chain-" in html
    assert f"--head {last.hash}" in html
    assert reverse("budgets:open_chain_export", args=["teststad"]) in html
    assert reverse("budgets:open_verifier", args=["teststad"]) in html
    assert "This decision is about a person" not in html


def test_the_chain_page_lists_the_latest_public_events_only(client, hood, expenses):
    private, public = (_event(hood, expense) for expense in expenses)

    html = _get(client, "open_chain", "teststad").content.decode()

    assert reverse("budgets:open_chain_event", args=["teststad", public.seq]) in html
    assert reverse("budgets:open_chain_event", args=["teststad", private.seq]) not in html
    assert "Expense handed in" in html


def test_the_open_pages_menu_leads_to_how_to_check(client, hood):
    html = _get(client, "open_chain_event", "teststad", 1).content.decode()
    here = _get(client, "open_chain", "teststad").content.decode()

    link = f'<a href="{reverse("budgets:open_chain", args=["teststad"])}"'
    assert link + ">How to check</a>" in html
    assert link + ' aria-current="page">How to check</a>' in here


def test_the_export_is_the_public_chain_as_a_file(client, hood, expenses):
    response = _get(client, "open_chain_export", "teststad")

    assert response.status_code == 200
    assert response.streaming
    day = datetime.date.today().isoformat()
    assert response["Content-Disposition"] == (f'attachment; filename="teststad-chain-{day}.jsonl"')
    lines = b"".join(response.streaming_content).splitlines(keepends=True)
    checked = verify.check_lines(lines, strict=True)
    assert checked.events == AuditEvent.objects.filter(cooperative=hood.cooperative).count()
    assert checked.redacted > 0


def test_the_export_leaves_out_what_the_claim_says(client, hood, expenses):
    private, _public = (_event(hood, expense) for expense in expenses)

    text = b"".join(_get(client, "open_chain_export", "teststad").streaming_content).decode()

    assert private.payload["receipt_sha256"] not in text
    assert f'"claimant":{private.payload["claimant"]}' not in text
    assert '"claimant":null' in text  # the supplier's invoice
    assert f'"seq":{private.seq},"event":null}}' in text


def test_the_verifier_is_the_script_itself(client, hood):
    response = _get(client, "open_verifier", "teststad")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/x-python; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="verify.py"'
    with open(verify.__file__, "rb") as script:
        assert b"".join(response.streaming_content) == script.read()


def test_a_public_event_shows_what_was_recorded(client, hood, expenses):
    _private, public = (_event(hood, expense) for expense in expenses)

    html = _get(client, "open_chain_event", "teststad", public.seq).content.decode()

    assert "Expense handed in" in html
    assert public.hash in html
    assert public.prev_hash in html
    assert "<dt><code>amount</code></dt><dd><code>120.00</code></dd>" in html
    assert public.payload["receipt_sha256"] in html
    assert f"<code>{public.actor}</code>" in html
    assert reverse("budgets:open_chain_event", args=["teststad", public.seq - 1]) in html
    assert "This decision is about a person" not in html


def test_a_redacted_event_shows_only_its_place_and_hashes(client, hood, expenses):
    private, _public = (_event(hood, expense) for expense in expenses)

    html = _get(client, "open_chain_event", "teststad", private.seq).content.decode()

    assert "This decision is about a person, so its content is not public." in html
    assert private.hash in html
    assert private.prev_hash in html
    assert private.payload["receipt_sha256"] not in html
    assert "45.50" not in html
    assert "claimant" not in html
    assert "Expense handed in" not in html
    assert f"<code>{private.actor}</code>" not in html
    assert private.time not in html


def test_the_first_and_the_last_event_link_one_way(client, hood):
    last = AuditEvent.objects.filter(cooperative=hood.cooperative).order_by("-seq").first()

    first = _get(client, "open_chain_event", "teststad", 1).content.decode()
    newest = _get(client, "open_chain_event", "teststad", last.seq).content.decode()

    assert 'rel="prev"' not in first
    assert reverse("budgets:open_chain_event", args=["teststad", 2]) in first
    assert 'rel="next"' not in newest


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("open_chain", []),
        ("open_chain_export", []),
        ("open_verifier", []),
        ("open_chain_event", [1]),
    ],
)
def test_an_unknown_cooperative_is_not_found(client, hood, name, args):
    assert _get(client, name, "nowhere", *args).status_code == 404


def test_an_unknown_event_is_not_found(client, hood):
    last = AuditEvent.objects.filter(cooperative=hood.cooperative).order_by("-seq").first()

    assert _get(client, "open_chain_event", "teststad", last.seq + 1).status_code == 404
    assert _get(client, "open_chain_event", "teststad", 0).status_code == 404


def test_an_event_of_another_cooperative_is_not_shown_under_this_one(client, hood):
    other = AuditEvent.objects.filter(cooperative=hood.other).order_by("-seq").first()
    ours = AuditEvent.objects.filter(cooperative=hood.cooperative, seq=other.seq).first()

    html = _get(client, "open_chain_event", "teststad", other.seq).content.decode()

    assert other.hash not in html
    assert ours is None or ours.hash in html
