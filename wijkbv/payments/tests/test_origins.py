import pytest
from django.utils.csp import CSP

from wijkbv.payments.origins import origin, with_stripe_origins

POLICY = {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.NONCE]}


def test_stripe_itself_gets_the_addresses_stripe_js_needs():
    policy = with_stripe_origins(POLICY, js_url="https://js.stripe.com/v3/")

    assert policy["script-src"] == [
        CSP.SELF,
        CSP.NONCE,
        "https://js.stripe.com",
        "https://*.js.stripe.com",
    ]
    assert policy["frame-src"] == [
        CSP.SELF,
        "https://js.stripe.com",
        "https://*.js.stripe.com",
        "https://hooks.stripe.com",
    ]
    assert policy["connect-src"] == [CSP.SELF, "https://api.stripe.com"]


def test_a_stand_in_gets_its_own_address_alone():
    policy = with_stripe_origins(
        POLICY, js_url="http://127.0.0.1:8420/js.stripe.com/v3/", api_base="http://127.0.0.1:8420"
    )

    assert policy["script-src"] == [CSP.SELF, CSP.NONCE, "http://127.0.0.1:8420"]
    assert policy["frame-src"] == [CSP.SELF, "http://127.0.0.1:8420"]
    assert policy["connect-src"] == [CSP.SELF, "http://127.0.0.1:8420"]


def test_it_leaves_the_policy_it_was_given_alone():
    with_stripe_origins(POLICY, js_url="https://js.stripe.com/v3/")

    assert POLICY == {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.NONCE]}


def test_it_refuses_an_address_that_is_not_absolute():
    with pytest.raises(ValueError, match="not an absolute address"):
        origin("/js.stripe.com/v3/")
