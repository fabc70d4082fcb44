"""The places Stripe.js comes from and talks to, for the Content Security Policy.

Plain Python (settings import it before apps are loaded). Stripe.js is the one script the site
loads from elsewhere (docs/decisions/0021-stripe-js-the-one-outside-script.md): it puts the
card fields in frames of Stripe's own, so card data never reaches our server.
"""

from urllib.parse import urlsplit

STRIPE_API = "https://api.stripe.com"
STRIPE_JS_ORIGIN = "https://js.stripe.com"
# Stripe.js itself loads from these too, and shows 3-D Secure checks in frames from hooks.
STRIPE_JS_EXTRA = {
    "script-src": ["https://*.js.stripe.com"],
    "frame-src": ["https://*.js.stripe.com", "https://hooks.stripe.com"],
}


def origin(url: str) -> str:
    """'https://js.stripe.com' for 'https://js.stripe.com/v3/'."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        raise ValueError(f"not an absolute address: {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def with_stripe_origins(policy: dict, *, js_url: str, api_base: str = "") -> dict:
    """`policy` (a SECURE_CSP dictionary) that also lets the page load Stripe.js from `js_url`,
    show its frames and let it call the API at `api_base` (Stripe's own when empty)."""
    self_only = policy.get("default-src", [])
    js = origin(js_url)
    extended = {key: list(values) for key, values in policy.items()}
    additions = {
        "script-src": [js],
        "frame-src": [js],
        "connect-src": [origin(api_base or STRIPE_API)],
    }
    if js == STRIPE_JS_ORIGIN:
        for key, values in STRIPE_JS_EXTRA.items():
            additions[key] = additions[key] + values
    for key, values in additions.items():
        current = extended.setdefault(key, list(self_only))
        current.extend(value for value in values if value not in current)
    return extended
