"""A paid advance is settled once, with receipts: the budget pays what was spent up to the
advance; what was not spent is owed back; what was spent above it is claimed as an expense."""

import pytest

from budgets import services
from budgets.models import AdvanceStatus, ExpenseStatus
from budgets.sources import credit_balance
from budgets.tests.expense_helpers import (
    approved,
    ask_advance,
    expense_written,
    image_bytes,
    pay,
    pdf_bytes,
)
from wijkbv.audit.testing import assert_audit_event, captures_events
from wijkbv.errors import DomainError, NotAllowed
from wijkbv.ledger.models import Account, Posting, Purpose
from wijkbv.ledger.selectors import balance

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(hood, project_budget):
    advance = approved(hood, ask_advance(hood, project_budget))
    pay(hood, advances=[advance])
    advance.refresh_from_db()
    return advance


def _advances(hood):
    return Account.objects.get(cooperative=hood.cooperative, purpose=Purpose.ADVANCES)


def _settle(hood, advance, spent, files=None, actor="alice"):
    files = [(pdf_bytes(), "bon.pdf")] if files is None else files
    return services.settle_advance(
        advance, actor=hood.people[actor], spent=spent, receipts_files=files
    )


def test_less_spent_books_what_was_spent_and_the_rest_is_owed(hood, paid, project_budget):
    with captures_events(hood.cooperative) as events:
        advance = _settle(hood, paid, "80,25", [(pdf_bytes(), "a.pdf"), (image_bytes(), "b.png")])
    assert advance.status == AdvanceStatus.OWED
    assert (advance.spent, advance.to_return) == (80.25, 19.75)
    assert credit_balance(project_budget) == 3000 - 80.25
    assert balance(_advances(hood)).amount == 19.75
    receipts = list(advance.receipts.order_by("pk"))
    assert [r.content_type for r in receipts] == ["application/pdf", "image/png"]
    event = assert_audit_event(events, action="advance.settled", actor=hood.alice)
    assert event.payload["cause"] == f"budgets.advance:{advance.pk}"
    assert event.payload["lines"] == [[project_budget.code, "80.25"], ["1300", "-80.25"]]
    assert (event.payload["spent"], event.payload["to_return"]) == ("80.25", "19.75")
    assert event.payload["receipts_sha256"] == [r.sha256 for r in receipts]


def test_all_spent_settles_it(hood, paid):
    advance = _settle(hood, paid, "100")
    assert (advance.status, advance.to_return) == (AdvanceStatus.SETTLED, 0)
    assert balance(_advances(hood)).amount == 0


def test_more_spent_becomes_a_claim_for_the_difference(hood, paid):
    advance = _settle(hood, paid, "130.00")
    assert advance.status == AdvanceStatus.SETTLED
    claim = advance.difference_claim
    assert (claim.amount, claim.status, claim.claimant) == (
        30,
        ExpenseStatus.SUBMITTED,
        hood.membership("alice"),
    )
    assert claim.payee_iban == advance.payee_iban


def test_nothing_spent_books_nothing_and_all_is_owed(hood, paid):
    postings = Posting.objects.count()
    with captures_events(hood.cooperative) as events:
        advance = _settle(hood, paid, "0", files=[])
    assert (advance.status, advance.to_return) == (AdvanceStatus.OWED, 100)
    assert Posting.objects.count() == postings
    assert_audit_event(events, action="advance.settled", actor=hood.alice, subject=advance)


def test_the_treasurer_settles_for_the_resident(hood, paid):
    assert _settle(hood, paid, "100", actor="dave").status == AdvanceStatus.SETTLED


def _refused(hood, advance, message, error=DomainError, **options):
    before = expense_written(hood.cooperative)
    with pytest.raises(error, match=message):
        _settle(hood, advance, **({"spent": "50"} | options))
    assert expense_written(hood.cooperative) == before


def test_settling_twice_is_refused(hood, paid):
    _settle(hood, paid, "100")
    _refused(hood, paid, "already been settled")


def test_an_advance_not_paid_yet_is_not_settled(hood, project_budget):
    _refused(hood, ask_advance(hood, project_budget), "after it has been paid")


def test_spending_needs_receipts(hood, paid):
    _refused(hood, paid, "each receipt", files=[])


def test_a_receipt_that_is_not_a_pdf_or_image_is_refused(hood, paid):
    _refused(hood, paid, "not a PDF, JPEG or PNG", files=[(b"MZ\x90\x00", "bon.exe")])


def test_a_bad_amount_is_refused(hood, paid):
    _refused(hood, paid, "euros and cents", spent="-3")


@pytest.mark.parametrize("name", ["bob", "carol", "frank"])
def test_only_the_holder_or_treasurer_settles(hood, paid, name):
    _refused(hood, paid, None, error=NotAllowed, actor=name)
