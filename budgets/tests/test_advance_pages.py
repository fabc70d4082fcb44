"""The advance pages: a resident asks for an advance and settles it with receipts; the
treasurer sees the open advances with their age and records money returned. Refusals are shown
on the page and write nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from budgets import services
from budgets.models import Advance, AdvanceStatus
from budgets.tests.expense_helpers import (
    ALICE_IBAN,
    approved,
    ask_advance,
    expense_written,
    pay,
    pdf_bytes,
)
from budgets.tests.page_helpers import BASE, client, page

pytestmark = pytest.mark.django_db

MONEY = f"{BASE}/money"


@pytest.fixture
def paid(hood, project_budget):
    advance = approved(hood, ask_advance(hood, project_budget))
    pay(hood, advances=[advance])
    advance.refresh_from_db()
    return advance


def test_a_resident_asks_for_an_advance(hood, project_budget):
    form = {
        "budget": project_budget.pk,
        "amount": "100",
        "purpose": "Boodschappen",
        "payee_iban": ALICE_IBAN,
    }
    response = client(hood, "alice").post(f"{MONEY}/advances/ask/", form)
    advance = Advance.objects.get()
    assert response["Location"] == f"{MONEY}/advances/{advance.number}/"
    assert advance.holder == hood.membership("alice")


def test_a_bad_iban_is_shown_and_nothing_is_written(hood, project_budget):
    form = {
        "budget": project_budget.pk,
        "amount": "100",
        "purpose": "Boodschappen",
        "payee_iban": "NL00 0000",
    }
    before = expense_written(hood.cooperative)
    response = client(hood, "alice").post(f"{MONEY}/advances/ask/", form)
    assert response.status_code == 400
    assert "This is not a valid IBAN" in page(response)
    assert 'value="NL00 0000"' in page(response)
    assert expense_written(hood.cooperative) == before


def _settle(hood, advance, spent, files=(), name="alice"):
    data = {"spent": spent, "receipts": list(files)}
    return client(hood, name).post(f"{MONEY}/advances/{advance.number}/settle/", data)


def test_the_resident_settles_with_two_receipts(hood, paid):
    files = [
        SimpleUploadedFile("a.pdf", pdf_bytes(), "application/pdf"),
        SimpleUploadedFile("b.pdf", pdf_bytes(), "application/pdf"),
    ]
    assert _settle(hood, paid, "80", files).status_code == 302
    paid.refresh_from_db()
    assert (paid.status, paid.to_return, paid.receipts.count()) == (AdvanceStatus.OWED, 20, 2)
    assert "Please transfer € 20.00 back" in page(
        client(hood, "alice").get(f"{MONEY}/advances/{paid.number}/")
    )


def test_settling_twice_is_shown_and_nothing_is_written(hood, paid):
    _settle(hood, paid, "100", [SimpleUploadedFile("a.pdf", pdf_bytes())])
    before = expense_written(hood.cooperative)
    response = _settle(hood, paid, "100", [SimpleUploadedFile("a.pdf", pdf_bytes())])
    assert response.status_code == 400
    assert "already been settled" in page(response)
    assert expense_written(hood.cooperative) == before


def test_a_receipt_that_is_not_a_pdf_or_image_is_shown(hood, paid):
    before = expense_written(hood.cooperative)
    response = _settle(hood, paid, "50", [SimpleUploadedFile("a.pdf", b"<svg></svg>")])
    assert response.status_code == 400
    assert "not a PDF, JPEG or PNG" in page(response)
    assert 'value="50"' in page(response)
    assert expense_written(hood.cooperative) == before


def test_the_treasurer_sees_open_advances_with_their_age_oldest_first(hood, project_budget):
    older = approved(hood, ask_advance(hood, project_budget, purpose="Oud"))
    newer = approved(hood, ask_advance(hood, project_budget, purpose="Nieuw"))
    pay(hood, advances=[older, newer])
    Advance.objects.filter(pk=older.pk).update(
        paid_on=datetime.date.today() - datetime.timedelta(days=12)
    )
    text = page(client(hood, "dave").get(f"{MONEY}/advances/"))
    assert "Open advances" in text
    assert text.index(f'advances/{older.number}/"') < text.index(f'advances/{newer.number}/"')
    assert "<td>12</td>" in text
    assert "Open advances" not in page(client(hood, "alice").get(f"{MONEY}/advances/"))


def test_the_treasurer_records_money_returned(hood, paid):
    services.settle_advance(
        paid, actor=hood.alice, spent="60", receipts_files=[(pdf_bytes(), "bon.pdf")]
    )
    url = f"{MONEY}/advances/{paid.number}/"
    assert "Record € 40.00 received" in page(client(hood, "dave").get(url))
    response = client(hood, "dave").post(
        url + "returned/", {"received_on": datetime.date.today().isoformat()}
    )
    assert response.status_code == 302
    paid.refresh_from_db()
    assert paid.status == AdvanceStatus.SETTLED


def test_a_reject_needs_a_reason_and_the_resident_reads_it(hood, project_budget):
    advance = ask_advance(hood, project_budget)
    url = f"{MONEY}/advances/{advance.number}/"
    before = expense_written(hood.cooperative)
    response = client(hood, "carol").post(url + "reject/", {"reason": ""})
    assert response.status_code == 400
    assert "Write down why" in page(response)
    assert expense_written(hood.cooperative) == before
    response = client(hood, "carol").post(url + "reject/", {"reason": "Te duur voor dit project"})
    assert response.status_code == 302
    advance.refresh_from_db()
    assert advance.status == AdvanceStatus.REJECTED
    assert "Te duur voor dit project" in page(client(hood, "alice").get(url))
