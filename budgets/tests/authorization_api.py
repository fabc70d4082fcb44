"""Rows of the authorization matrix for the budgets API (see tests/authorization_matrix.py for
the format).

Every member, funders included, reads the streams, proposals, votes and agreements; who may
decide is the services' answer to a POST, with a message that says why. The API answers 403
rather than redirecting to the login page. The personas' cooperative has no stream, proposal,
vote or agreement 1."""

from tests.authorization_matrix import everyone, members_only

# What a member of the cooperative gets from a GET on a URL that takes a POST only.
POST_ONLY = (403, 405, 405, 405, 405, 405, 405, 403)
# What a member gets from a GET on a URL naming a stream, proposal or vote that does not exist.
NOT_FOUND = (403, 404, 404, 404, 404, 404, 404, 403)

# fmt: off
MATRIX = {
    #                                    anon   res  coord board treas audit fund  other
    "api-budget-streams":               members_only(200, anonymous=403),
    "api-budget-stream-receipts":       POST_ONLY,
    "api-budget-proposals":             members_only(200, anonymous=403),
    "api-budget-proposal":              NOT_FOUND,
    "api-budget-proposal-withdraw":     POST_ONLY,
    "api-budget-proposal-check":        POST_ONLY,
    "api-budget-votes":                 members_only(200, anonymous=403),
    "api-budget-vote":                  NOT_FOUND,
    "api-budget-ballot":                POST_ONLY,
    "api-budget-paper-ballots":         POST_ONLY,
    "api-budget-proxy":                 POST_ONLY,  # POST gives a proxy, DELETE takes it back
    "api-budget-vote-close":            POST_ONLY,
    "api-budget-vote-results":          NOT_FOUND,
    "api-budget-vote-ballots":          NOT_FOUND,
    "api-budget-agreements":            members_only(200, anonymous=403),
    "api-budget-agreement-done":        POST_ONLY,
    "api-budget-years":                 POST_ONLY,
    "api-budget-bank-accounts":         (403, 403, 403,  200,  200,  200,  403,  403),
    "api-budget-bank-account-statements": (403, 403, 403, 404, 404, 404, 403, 403),
    "api-budget-bank-lines":            (403, 403, 403,  404,  404,  404,  403,  403),
    "api-budget-bank-csv-mapping":      (403, 403, 403,  404,  404,  404,  403,  403),
    "api-budget-bank-statements":       (403, 403, 403,  200,  200,  200,  403,  403),
    # Matching, accepting and booking lines: the treasurer only, by POST.
    "api-budget-bank-match":            (403, 403, 403,  403,  405,  403,  403,  403),
    "api-budget-bank-line-accept":      (403, 403, 403,  403,  405,  403,  403,  403),
    "api-budget-bank-line-book":        (403, 403, 403,  403,  405,  403,  403,  403),
    "api-budget-bank-line-link":        (403, 403, 403,  403,  405,  403,  403,  403),
    "api-budget-closing-periods":       (403, 403, 403,  200,  200,  200,  403,  403),
    "api-budget-closing-reconciliation": (403, 403, 403, 404,  404,  404,  403,  403),
    "api-budget-closing-audit-file":    (403, 403, 403,  403,  200,  200,  403,  403),
    "api-budget-report-balance-sheet":  (403, 403, 403,  200,  200,  200,  403,  403),
    "api-budget-report-income-and-expenditure": (403, 403, 403, 200, 200, 200, 403, 403),
    "api-budget-report-funding-streams": (403, 403, 403, 200,  200,  200,  403,  403),
    # Expenses and advances: residents claim and ask and see their own, funders do not; the
    # personas have no expense, advance, receipt or batch 1.
    "api-expenses":                     (403, 200, 200,  200,  200,  200,  403,  403),
    "api-expense":                      (403, 404, 404,  404,  404,  404,  403,  403),
    "api-expense-approve":              (403, 405, 405,  405,  405,  405,  403,  403),
    "api-expense-reject":               (403, 405, 405,  405,  405,  405,  403,  403),
    "api-receipt":                      (403, 404, 404,  404,  404,  404,  403,  403),
    "api-advances":                     (403, 200, 200,  200,  200,  200,  403,  403),
    "api-advances-open":                (403, 403, 403,  200,  200,  200,  403,  403),
    "api-advance":                      (403, 404, 404,  404,  404,  404,  403,  403),
    "api-advance-approve":              (403, 405, 405,  405,  405,  405,  403,  403),
    "api-advance-reject":               (403, 405, 405,  405,  405,  405,  403,  403),
    "api-advance-settle":               (403, 405, 405,  405,  405,  405,  403,  403),
    "api-advance-return":               (403, 405, 405,  405,  405,  405,  403,  403),
    "api-payment-batches":              (403, 403, 403,  200,  200,  200,  403,  403),
    "api-payment-batch":                (403, 403, 403,  404,  404,  404,  403,  403),
    "api-payment-batch-file":           (403, 403, 403,  403,  404,  403,  403,  403),
    # The open data: anyone, logged in or not, of any cooperative. The personas' cooperative
    # has no adopted project 1 and no funding stream 1, and partner 1 funds no stream.
    "api-open":                         everyone(200),
    "api-open-flows":                   everyone(200),
    "api-open-decisions":               everyone(200),
    "api-open-projects":                everyone(200),
    "api-open-partners":                everyone(200),
    "api-open-expenses":                everyone(404),
    "api-open-funder":                  everyone(404),
    "api-open-stream":                  everyone(404),
}
# fmt: on
