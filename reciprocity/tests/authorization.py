"""Who gets what from the reciprocity pages (see tests/authorization_matrix.py for the format).

The personas' cooperative has no contribution 1 and no activity 1."""

from tests.authorization_matrix import LOGIN, everyone, members_only

# fmt: off
MATRIX = {
    # Pages: every member logs and sees their own time; coordinators and the board coordinate;
    # whoever reads the books reads the partner organisations' hours.
    #                                    anon   res  coord board treas audit fund  other
    "reciprocity:home":                 members_only(200),
    "reciprocity:log":                  members_only(200),
    "reciprocity:wall":                 members_only(405),  # POST only
    "reciprocity:ask_share":            members_only(405),  # POST only
    "reciprocity:decide":               (LOGIN, 404, 404,  404,  404,  404,  404,  403),
    "reciprocity:coordinate":           (LOGIN, 403, 200,  200,  403,  403,  403,  403),
    "reciprocity:add_activity":         (LOGIN, 403, 405,  405,  403,  403,  403,  403),
    "reciprocity:change_activity":      (LOGIN, 403, 405,  405,  403,  403,  403,  403),
    "reciprocity:partners":             (LOGIN, 403, 200,  200,  200,  200,  403,  403),
    "reciprocity:qr":                   (LOGIN, 403, 200,  200,  403,  403,  403,  403),
    # Public: aggregates and the names people chose to show, without logging in.
    "reciprocity:public":               everyone(200),
    "reciprocity:thanks":               everyone(200),
    # The API answers 403 rather than redirecting to the login page; its public aggregates and
    # thank-you wall need no login either.
    #                                    anon   res  coord board treas audit fund  other
    "api-time-contributions":           members_only(200, anonymous=403),
    "api-time-contribution":            (403,   404, 404,  404,  404,  404,  404,  403),
    "api-time-contribution-confirm":    (403,   405, 405,  405,  405,  405,  405,  403),
    "api-time-contribution-decline":    (403,   405, 405,  405,  405,  405,  405,  403),
    "api-time-waiting":                 members_only(200, anonymous=403),
    "api-time-balance":                 members_only(200, anonymous=403),
    "api-time-activities":              members_only(200, anonymous=403),
    "api-time-partners":                (403,   403, 200,  200,  200,  200,  403,  403),
    "api-time-wall":                    members_only(200, anonymous=403),
    "api-time-share":                   members_only(200, anonymous=403),
    "api-time-public":                  everyone(200),
    "api-time-thanks":                  everyone(200),
}
# fmt: on

SAMPLE_KWARGS = {
    "reciprocity:decide": lambda s: {"slug": s.slug, "pk": 1, "decision": "confirm"},
}
