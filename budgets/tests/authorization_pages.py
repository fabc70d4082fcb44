"""Rows of the authorization matrix for the budgets pages (see tests/authorization_matrix.py).

Every member reads what there is to decide, the money and the results; funders do not propose
or vote. The board checks proposals and opens and closes votes; the treasurer records money
received and closes the year; coordinators and the board enter paper ballots and agreements.
The personas' cooperative has no vote 1, no stream 1 and no proposal 1."""

from tests.authorization_matrix import LOGIN, everyone, members_only

# fmt: off
MATRIX = {
    #                                    anon   res  coord board treas audit fund  other
    "budgets:home":                     members_only(200),
    "budgets:propose":                  (LOGIN, 200, 200,  200,  200,  200,  403,  403),
    "budgets:withdraw":                 members_only(405),  # POST only
    "budgets:streams":                  members_only(200),
    "budgets:add_stream":               (LOGIN, 403, 403,  200,  200,  403,  403,  403),
    "budgets:record_receipt":           (LOGIN, 403, 403,  403,  404,  403,  403,  403),
    "budgets:bank_accounts":            (LOGIN, 403, 403,  200,  200,  200,  403,  403),
    "budgets:import_statement":         (LOGIN, 403, 403,  403,  200,  403,  403,  403),
    "budgets:bank_lines":               (LOGIN, 403, 403,  404,  404,  404,  403,  403),
    # Matching and booking lines is the treasurer's; matching and accepting take a POST only.
    "budgets:match_bank_lines":         (LOGIN, 403, 403,  403,  405,  403,  403,  403),
    "budgets:accept_suggestion":        (LOGIN, 403, 403,  403,  405,  403,  403,  403),
    "budgets:book_bank_line":           (LOGIN, 403, 403,  403,  404,  403,  403,  403),
    "budgets:link_bank_line":           (LOGIN, 403, 403,  403,  405,  403,  403,  403),
    "budgets:closing":                  (LOGIN, 403, 403,  200,  200,  200,  403,  403),
    "budgets:reconciliation":           (LOGIN, 403, 403,  404,  404,  404,  403,  403),
    "budgets:reconciliation_csv":       (LOGIN, 403, 403,  404,  404,  404,  403,  403),
    "budgets:audit_file":               (LOGIN, 403, 403,  403,  200,  200,  403,  403),
    "budgets:close_year":               (LOGIN, 403, 403,  403,  200,  403,  403,  403),
    "budgets:reports":                  (LOGIN, 403, 403,  200,  200,  200,  403,  403),
    "budgets:report_balance_sheet":     (LOGIN, 403, 403,  200,  200,  200,  403,  403),
    "budgets:report_income_and_expenditure": (LOGIN, 403, 403, 200, 200, 200, 403, 403),
    "budgets:report_funding_streams":   (LOGIN, 403, 403,  200,  200,  200,  403,  403),
    "budgets:board":                    (LOGIN, 403, 200,  200,  200,  403,  403,  403),
    "budgets:check":                    (LOGIN, 403, 403,  405,  403,  403,  403,  403),
    "budgets:open_vote":                (LOGIN, 403, 403,  200,  403,  403,  403,  403),
    "budgets:agreements":               (LOGIN, 403, 200,  200,  403,  403,  403,  403),
    "budgets:agreement_done":           members_only(405),  # POST only
    "budgets:ballot":                   members_only(404),
    "budgets:proxy":                    members_only(405),  # POST only
    "budgets:paper":                    (LOGIN, 403, 404,  404,  403,  403,  403,  403),
    "budgets:close_vote":               (LOGIN, 403, 403,  405,  403,  403,  403,  403),
    "budgets:results":                  members_only(404),
    "budgets:download":                 members_only(404),
    # Expenses and advances: residents claim and ask, and see their own; the treasurer, board
    # and audit committee see all; funders do not. The personas have no expense, advance,
    # receipt or batch 1; approving, rejecting and settling take a POST only.
    "budgets:expenses":                 (LOGIN, 200, 200,  200,  200,  200,  403,  403),
    "budgets:declare_expense":          (LOGIN, 200, 200,  200,  200,  200,  403,  403),
    "budgets:enter_invoice":            (LOGIN, 403, 200,  200,  200,  403,  403,  403),
    "budgets:expense":                  (LOGIN, 404, 404,  404,  404,  404,  403,  403),
    "budgets:approve_expense":          members_only(405),
    "budgets:reject_expense":           members_only(405),
    "budgets:receipt":                  members_only(404),
    "budgets:advances":                 (LOGIN, 200, 200,  200,  200,  200,  403,  403),
    "budgets:ask_advance":              (LOGIN, 200, 200,  200,  200,  200,  403,  403),
    "budgets:advance":                  (LOGIN, 404, 404,  404,  404,  404,  403,  403),
    "budgets:approve_advance":          members_only(405),
    "budgets:reject_advance":           members_only(405),
    "budgets:settle_advance":           members_only(405),
    "budgets:advance_returned":         members_only(405),
    "budgets:payments":                 (LOGIN, 403, 403,  200,  200,  200,  403,  403),
    "budgets:payment_batch":            (LOGIN, 403, 403,  404,  404,  404,  403,  403),
    "budgets:payment_file":             (LOGIN, 403, 403,  403,  404,  403,  403,  403),
    # The open pages: anyone, logged in or not. Their samples are the other cooperative's
    # stream and funder; it has no adopted project, so a project's page is not found by anyone.
    "budgets:open":                     everyone(200),
    "budgets:open_funder":              everyone(200),
    "budgets:open_stream":              everyone(200),
    "budgets:open_project":             everyone(404),
    # The audit chain on the open pages: anyone, logged in or not, of any cooperative. Event 1
    # is in every chain (the cooperative's founding).
    "budgets:open_chain":               everyone(200),
    "budgets:open_chain_export":        everyone(200),  # a file to download
    "budgets:open_verifier":            everyone(200),  # a file to download
    "budgets:open_chain_event":         everyone(200),
    # The funder's report of a funding stream: anyone. Its sample stream is the other
    # cooperative's (tests/conftest.py), since the personas' cooperative has none.
    "budgets:open_report":              everyone(200),
    "budgets:open_report_pdf":          everyone(200),  # a file to download
    "budgets:open_report_xlsx":         everyone(200),  # a file to download
}
# fmt: on

SAMPLE_KWARGS = {
    name: lambda s: {"slug": s.stream_slug, "pk": s.stream_pk}
    for name in (
        "budgets:open_stream",
        "budgets:open_report",
        "budgets:open_report_pdf",
        "budgets:open_report_xlsx",
    )
} | {"budgets:open_funder": lambda s: {"slug": s.stream_slug, "pk": s.funder_pk}}
