"""Who gets what from the Stripe pages and API (see tests/authorization_matrix.py for the
format). The treasurer keeps the Stripe fees and payouts; the board and the audit committee
read them."""

from tests.authorization_matrix import LOGIN

# fmt: off
MATRIX = {
    #                                    anon   res  coord board treas audit fund  other
    "payments:stripe_balance":          (LOGIN, 403, 403,  200,  200,  200,  403,  403),
    "api-stripe-payouts":               (403,   403, 403,  200,  200,  200,  403,  403),
}
# fmt: on
