"""Shares in the browser: a resident asks for shares and sees how to pay, the treasurer records
the payment, the board approves with the notarial deed and issues them, the resident sees their
certificates and the audit committee reads the register. Every page passes the accessibility
gate, with and without its form's errors."""

import pytest

from shares import services
from shares.models import SubscriptionStatus
from tests.browser.helpers import assert_accessible, submit
from wijkbv.ledger.testing import euros

pytestmark = pytest.mark.browser


@pytest.fixture
def a_class(hood):
    return services.create_share_class(
        hood.cooperative,
        actor=hood.carol,
        code="A",
        name="Bewonersaandeel",
        nominal_value=euros("10.00"),
        authorised_shares=100,
        max_per_member=5,
    )


def become(page, hood, name, live_server):
    """Continue in the browser as a persona (board and treasurer with their second factor)."""
    page.context.clear_cookies()
    session = hood.client_for(name).cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])


def test_from_request_to_issued_shares(page, hood, a_class, live_server):
    become(page, hood, "alice", live_server)
    page.goto("/c/teststad/shares/")
    assert_accessible(page)
    page.locator("main a.button").click()
    page.wait_for_url("**/shares/subscribe/")
    assert_accessible(page)

    page.fill("input[name=count]", "0")
    submit(page)
    assert page.locator(".error").count() == 1
    page.fill("input[name=count]", "2")
    submit(page)

    subscription = hood.alice.memberships.get().share_subscriptions.get()
    assert subscription.payment_reference[:4] in page.locator(".secret").inner_text()

    become(page, hood, "dave", live_server)
    page.goto(f"/c/teststad/shares/subscriptions/{subscription.pk}/")
    assert_accessible(page)
    submit(page, "form[action$='/pay/']")

    become(page, hood, "carol", live_server)
    page.goto(f"/c/teststad/shares/subscriptions/{subscription.pk}/")
    submit(page, "form[action$='/approve/']")
    assert page.locator(".has-error").count() == 2
    page.fill("input[name=approve-deed_date]", "2026-01-15")
    page.fill("input[name=approve-notary]", "Mr. J. de Notaris")
    submit(page, "form[action$='/approve/']")
    submit(page, "form[action$='/issue/']")
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ISSUED

    become(page, hood, "alice", live_server)
    page.goto("/c/teststad/shares/")
    assert_accessible(page)
    assert "1–2" in page.locator("main table").first.inner_text()

    become(page, hood, "erin", live_server)
    page.goto("/c/teststad/shares/register/")
    assert_accessible(page)
    assert "Alice Test" in page.locator("main table").inner_text()
    page.goto("/c/teststad/shares/register/print/")
    assert_accessible(page)
