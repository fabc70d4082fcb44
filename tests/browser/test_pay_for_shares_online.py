"""A resident pays for a share online and sees it issued after the board's approval.

Stripe here is localstripe: its server on the loopback address and its stand-in for Stripe.js,
loaded by our pay page exactly as Stripe.js would be. The stand-in offers only the older card
element and `confirmCardPayment`, not the Payment Element's `confirmPayment` our page calls
(docs/decisions/0023-paying-online-in-the-browser-journey.md). So the journey adds that one call
to the stand-in: it hands the card typed into the stand-in's fields to Stripe (localstripe's
API, as Stripe.js hands it to Stripe's servers) and then sends the browser to our return address,
as Stripe.js does. Everything of ours runs as in production: the subscription, the PaymentIntent
made by the server, the pay page with its Content Security Policy, the return page that asks
Stripe how the payment stands, and the signed webhook that books it.
"""

import urllib.request

import pytest
import stripe

from shares import services
from shares.models import Subscription, SubscriptionStatus
from tests.browser.helpers import assert_accessible, submit
from wijkbv.ledger.testing import euros
from wijkbv.payments.models import Payment, PaymentStatus
from wijkbv.payments.testing import intent_event, signature_header, stripe_client

pytestmark = pytest.mark.browser

# The stand-in's card fields are plain inputs without labels; Stripe's own Payment Element
# labels its fields inside its own frames.
STAND_IN_FIELDS = frozenset({"label"})

# Adds `confirmPayment` to localstripe's stand-in for Stripe.js, in the page, before any script
# of the page runs. The stand-in assigns the global `Stripe` when it loads; the setter keeps it
# and the getter hands out a wrapper.
CONFIRM_PAYMENT = """
(() => {
  let standIn;
  const wrap = (factory) => function (key, options) {
    const stripe = factory(key, options);
    if (typeof stripe.confirmPayment === "function") {
      return stripe;
    }
    let clientSecret = null;
    const makeElements = stripe.elements;
    stripe.elements = (elementOptions) => {
      clientSecret = elementOptions && elementOptions.clientSecret;
      return makeElements(elementOptions);
    };
    stripe.confirmPayment = async ({ elements, confirmParams }) => {
      const card = elements.getElement("card");
      const number = card && card.value ? card.value.card.number : "";
      const answer = await window.confirmAtStripe(clientSecret, number);
      if (answer.error) {
        return { error: { message: answer.error } };
      }
      const back = new URL(confirmParams.return_url);
      back.searchParams.set("payment_intent", answer.id);
      back.searchParams.set("redirect_status", answer.status);
      window.location.assign(back.toString());
      return {};
    };
    return stripe;
  };
  Object.defineProperty(window, "Stripe", {
    configurable: true,
    get: () => standIn && wrap(standIn),
    set: (value) => { standIn = value; },
  });
})();
"""


def confirm_at_stripe(client_secret: str, number: str) -> dict:
    """What Stripe's servers do when Stripe.js confirms a PaymentIntent with a card: make the
    payment method from the card and confirm the intent with it."""
    intent_id = client_secret.split("_secret_")[0]
    client = stripe_client()
    try:
        method = client.v1.payment_methods.create(
            {
                "type": "card",
                "card": {"number": number, "exp_month": 12, "exp_year": 2035, "cvc": "123"},
            }
        )
        client.v1.payment_intents.update(intent_id, {"payment_method": method.id})
        intent = client.v1.payment_intents.confirm(intent_id)
    except stripe.StripeError as error:  # the page shows Stripe's refusal, as Stripe.js does
        return {"error": error.user_message or str(error)}
    if intent.status not in ("succeeded", "processing"):
        # Stripe.js answers a declined card with an error and stays on the page.
        declined = intent.to_dict().get("last_payment_error") or {}
        return {"error": declined.get("message") or "Your card was declined."}
    return {"id": intent.id, "status": intent.status}


def deliver_webhook(live_server, payment) -> int:
    """Stripe tells our webhook that the payment succeeded, signed with the shared secret."""
    payload = intent_event(payment)
    request = urllib.request.Request(
        f"{live_server.url}/payments/stripe/webhook/",
        data=payload,
        headers={"Stripe-Signature": signature_header(payload), "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.status


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
    page.context.clear_cookies()
    session = hood.client_for(name).cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])


def wait_for_pay_page(page):
    page.locator("#payment-form").wait_for(state="visible")
    assert_accessible(page, allow=STAND_IN_FIELDS)


def type_card(page, number: str):
    fields = page.locator("#payment-element")
    fields.locator("input[placeholder=number]").fill(number)
    fields.locator("input[placeholder=exp_month]").fill("12")
    fields.locator("input[placeholder=exp_year]").fill("35")
    fields.locator("input[placeholder=cvc]").fill("123")
    fields.locator("input[placeholder=postal_code]").fill("2525")


def test_a_resident_pays_online_and_sees_the_share_issued(
    page, hood, a_class, stripe_server, live_server
):
    page.expose_function("confirmAtStripe", confirm_at_stripe)
    page.add_init_script(CONFIRM_PAYMENT)
    become(page, hood, "alice", live_server)

    page.goto("/c/teststad/shares/subscribe/")
    assert_accessible(page)
    page.fill("input[name=count]", "1")
    page.check("input[name=method][value=stripe]")
    with page.expect_navigation(url="**/payments/*/"):
        page.locator("main form button[type=submit]").click()
    wait_for_pay_page(page)
    assert "10,00" in page.locator("#payment-form button").inner_text()

    type_card(page, "4242424242424242")
    with page.expect_navigation(url="**/done/**"):
        page.locator("#payment-form button[type=submit]").click()
    assert_accessible(page)
    payment = Payment.objects.get()
    assert "Betaald" in page.locator("main").inner_text()

    assert deliver_webhook(live_server, payment) == 200
    payment.refresh_from_db()
    subscription = Subscription.objects.get()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert subscription.status == SubscriptionStatus.PAID

    become(page, hood, "carol", live_server)
    page.goto(f"/c/teststad/shares/subscriptions/{subscription.pk}/")
    page.fill("input[name=approve-deed_date]", "2026-11-20")
    page.fill("input[name=approve-notary]", "Mr. J. de Notaris")
    submit(page, "form[action$='/approve/']")
    submit(page, "form[action$='/issue/']")

    become(page, hood, "alice", live_server)
    page.goto("/c/teststad/shares/")
    assert_accessible(page)
    holding = page.locator("main table").first.inner_text()
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ISSUED
    assert "A" in holding and "1" in holding


def test_a_refused_card_is_shown_on_the_pay_page_and_nothing_is_booked(
    page, hood, a_class, stripe_server, live_server
):
    page.expose_function("confirmAtStripe", confirm_at_stripe)
    page.add_init_script(CONFIRM_PAYMENT)
    become(page, hood, "alice", live_server)
    subscription = services.subscribe_to_shares(a_class, actor=hood.alice, count=1)

    page.goto(f"/c/teststad/shares/subscriptions/{subscription.pk}/")
    with page.expect_navigation(url="**/payments/*/"):
        page.locator("form[action$='/pay-online/'] button").click()
    wait_for_pay_page(page)
    type_card(page, "4000000000000341")  # a test card that is declined when charged
    page.locator("#payment-form button[type=submit]").click()

    page.locator("#payment-error").wait_for(state="visible")
    assert "declined" in page.locator("#payment-error").inner_text()
    subscription.refresh_from_db()
    assert subscription.paid_on is None
    assert Payment.objects.get().status != PaymentStatus.SUCCEEDED
