"""The pay page in Chromium, with localstripe's stand-in for Stripe.js: our script mounts the
element and shows the form, the Content Security Policy lets Stripe.js (and only it) in, and the
page passes the accessibility gate, with JavaScript and without."""

import pytest

from tests.browser.conftest import browser, page  # noqa: F401 - the browser journeys' fixtures
from tests.browser.helpers import assert_accessible
from wijkbv.payments.tests.helpers import start

pytestmark = pytest.mark.browser

# The stand-in's card fields are plain inputs without labels, typed straight into our page;
# Stripe's own Payment Element labels its fields, inside its own frames.
STAND_IN_FIELDS = frozenset({"label"})


@pytest.fixture
def payment(hood, stripe_server, test_subject):
    return start(hood)


def log_in_as(context, hood, name, live_server):
    session = hood.client_for(name).cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])


def test_the_payment_form_appears_with_stripe_js(page, hood, payment, live_server):  # noqa: F811
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log_in_as(page.context, hood, "alice", live_server)

    page.goto(f"/payments/{payment.pk}/")

    page.locator("#payment-form").wait_for(state="visible")
    assert page.locator("#payment-element input").count() > 0
    assert not page.locator("#payment-needs-javascript").is_visible()
    assert refused == []
    assert_accessible(page, allow=STAND_IN_FIELDS)


def test_without_javascript_it_points_to_the_bank_transfer(browser, hood, payment, live_server):  # noqa: F811
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    log_in_as(context, hood, "alice", live_server)
    page = context.new_page()  # noqa: F811
    page.set_default_timeout(15_000)

    page.goto(f"/payments/{payment.pk}/")

    assert page.locator("#payment-needs-javascript").is_visible()
    assert "bank transfer" in page.locator("#payment-needs-javascript").inner_text()
    assert not page.locator("#payment-form").is_visible()
    context.close()


def test_when_stripe_js_cannot_load_it_says_so_accessibly(page, hood, payment, live_server):  # noqa: F811
    # axe-core runs as a script in the page, so the page without scripts is checked this way.
    page.route("**/js.stripe.com/v3/", lambda route: route.abort())
    log_in_as(page.context, hood, "alice", live_server)

    page.goto(f"/payments/{payment.pk}/")

    assert page.locator("#payment-needs-javascript").is_visible()
    assert not page.locator("#payment-form").is_visible()
    assert_accessible(page)
