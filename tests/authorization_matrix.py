"""Who gets what from every URL: the expected answer to a GET, per URL pattern and per role.

tests/test_authorization_matrix.py walks the URL configuration and asks every pattern in every
role. A new URL pattern fails that test until it has a row here, so every new page or endpoint
starts with a deliberate decision about who may see it.

Read a row left to right, in the order of ROLES:

    anonymous  resident  coordinator  board  treasurer  audit_committee  funder  other_cooperative

An answer is a status code, or a redirect (`Redirect(prefix)`: a 302 whose target starts with
`prefix`). The personas are those of wijkbv/testing.py; "other_cooperative" is olivia, a member
(and board member) of another cooperative only. Board members and treasurers are logged in with
their second factor.
"""

from dataclasses import dataclass

from wijkbv.testing import PERSONA_ROLE

ROLES = (
    "anonymous",
    "resident",
    "coordinator",
    "board",
    "treasurer",
    "audit_committee",
    "funder",
    "other_cooperative",
)

# The persona who plays each role (None: not logged in).
PERSONA = {role: name for name, role in PERSONA_ROLE.items()} | {"anonymous": None}


@dataclass(frozen=True)
class Redirect:
    """A 302 whose Location starts with `to`."""

    to: str

    def __str__(self):
        return f"302 to {self.to}"


LOGIN = Redirect("/account/login/")
ADMIN_LOGIN = Redirect("/admin/login/")
START = Redirect("/")
HOME = Redirect("/c/teststad/")
OTHER_HOME = Redirect("/c/elders/")


def everyone(answer):
    return (answer,) * len(ROLES)


def members_only(member_answer, *, anonymous=LOGIN):
    """Any member of the cooperative gets `member_answer`; a member of another one gets 403."""
    return (anonymous, *(member_answer,) * 6, 403)


# fmt: off
MATRIX = {
    # Pages anyone may open.
    "members:login":                    (200, START, START, START, START, START, START, START),
    "members:logout":                   everyone(405),  # POST only
    "members:password_reset":           everyone(200),
    "members:password_reset_done":      everyone(200),
    "members:password_reset_confirm":   everyone(200),  # a link that does not work (any more)
    "members:password_reset_complete":  everyone(200),
    "members:accept_invitation":        everyone(200),
    "set_language":                     everyone(START),  # POST changes the language
    "api-schema":                       everyone(200),
    "api-docs":                         everyone(200),
    "api-invitation-accept":            everyone(405),  # POST only, without login
    # The start page: a visitor sees what the site is, a member goes to their cooperative.
    "members:home":                     (200, HOME, HOME, HOME, HOME, HOME, HOME, OTHER_HOME),
    # A person's own account.
    "members:switch":                   (LOGIN, *(START,) * 7),  # no cooperative chosen
    "members:profile":                  (LOGIN, *(200,) * 7),
    "members:api_token":                (LOGIN, *(405,) * 7),  # POST only
    "members:my_data":                  (LOGIN, *(200,) * 7),
    "members:forget":                   (LOGIN, *(200,) * 7),  # forgets only on POST
    # Verified board members and treasurers go on; the others are offered an authenticator.
    "members:verify":                   (LOGIN, Redirect("/account/two-factor/"),
                                         Redirect("/account/two-factor/"), START, START,
                                         Redirect("/account/two-factor/"),
                                         Redirect("/account/two-factor/"), START),
    "members:two_factor_setup":         (LOGIN, 200, 200, Redirect("/account/verify/"),
                                         Redirect("/account/verify/"), 200, 200,
                                         Redirect("/account/verify/")),
    # The cooperative's pages.
    #                                    anon   res  coord board treas audit fund  other
    "members:cooperative_home":         members_only(200),
    "members:cooperative_settings":     (LOGIN, 403, 403,  200,  403,  403,  403,  403),
    "members:places":                   members_only(200),
    "members:partners":                 members_only(200),
    "members:member_list":              (LOGIN, 403, 200,  200,  200,  200,  403,  403),
    "members:register_resident":        (LOGIN, 403, 200,  200,  403,  403,  403,  403),
    "members:member_roles":             (LOGIN, 403, 403,  200,  403,  403,  403,  403),
    "members:invitations":              (LOGIN, 403, 200,  200,  403,  403,  403,  403),
    "members:revoke_invitation":        (LOGIN, 403, 405,  405,  403,  403,  403,  403),
    "members:forget_member":            (LOGIN, 403, 403,  200,  403,  403,  403,  403),
    "members:retained_identities":      (LOGIN, 403, 403,  403,  200,  200,  403,  403),
    # The API answers 403 rather than redirecting to the login page.
    "api-me":                           (403, *(200,) * 7),
    "api-cooperatives":                 (403, *(200,) * 7),
    "api-my-data":                      (403, *(200,) * 7),
    "api-cooperative":                  members_only(200, anonymous=403),
    "api-places":                       members_only(200, anonymous=403),
    "api-partners":                     members_only(200, anonymous=403),
    "api-members":                      (403,   403, 200,  200,  200,  200,  403,  403),
    "api-invitations":                  (403,   403, 405,  405,  403,  403,  403,  403),
    # Shares: members ask for shares and see their own; the register is for the board,
    # treasurer and audit committee. The personas' cooperative has no subscription 1.
    #                                    anon   res  coord board treas audit fund  other
    "shares:home":                      members_only(200),
    "shares:subscribe":                 members_only(200),
    "shares:classes":                   members_only(200),
    "shares:subscription":              (LOGIN, 404, 404,  404,  404,  404,  404,  403),
    "shares:subscription_decision":     (LOGIN, 405, 405,  405,  405,  405,  405,  403),
    "shares:pay_online":                (LOGIN, 405, 405,  405,  405,  405,  405,  403),
    "shares:ask_transfer":              members_only(200),
    "shares:transfer_request_decision": (LOGIN, 405, 405,  405,  405,  405,  405,  403),
    "shares:manage":                    (LOGIN, 403, 403,  200,  200,  200,  403,  403),
    "shares:transfer":                  (LOGIN, 403, 403,  200,  200,  403,  403,  403),
    "shares:redeem":                    (LOGIN, 403, 403,  403,  200,  403,  403,  403),
    "shares:gift_back":                 (LOGIN, 403, 403,  200,  403,  403,  403,  403),
    "shares:register":                  (LOGIN, 403, 403,  200,  200,  200,  403,  403),
    "shares:register_print":            (LOGIN, 403, 403,  200,  200,  200,  403,  403),
    "api-share-classes":                members_only(200, anonymous=403),
    "api-share-subscriptions":          members_only(200, anonymous=403),
    "api-share-subscription":           (403,   404, 404,  404,  404,  404,  404,  403),
    "api-share-subscription-payment":   (403,   405, 405,  405,  405,  405,  405,  403),
    "api-share-subscription-approve":   (403,   405, 405,  405,  405,  405,  405,  403),
    "api-share-subscription-refuse":    (403,   405, 405,  405,  405,  405,  405,  403),
    "api-share-subscription-issue":     (403,   405, 405,  405,  405,  405,  405,  403),
    "api-share-subscription-cancel":    (403,   405, 405,  405,  405,  405,  405,  403),
    "api-share-subscription-refund":    (403,   405, 405,  405,  405,  405,  405,  403),
    "api-share-subscription-pay-online": (403,  405, 405,  405,  405,  405,  405,  403),
    "api-share-transfers":              (403,   403, 403,  405,  405,  403,  403,  403),
    "api-share-transfer-requests":      members_only(200, anonymous=403),
    "api-share-transfer-request-withdraw": (403, 405, 405, 405,  405,  405,  405,  403),
    "api-share-transfer-request-refuse": (403,  405, 405,  405,  405,  405,  405,  403),
    "api-share-transfer-request-carry-out": (403, 403, 403, 405, 405,  403,  403,  403),
    "api-share-redemptions":            (403,   403, 403,  403,  405,  403,  403,  403),
    "api-share-gifts":                  (403,   403, 403,  405,  403,  403,  403,  403),
    "api-share-holding":                members_only(200, anonymous=403),
    "api-share-register":               (403,   403, 403,  200,  200,  200,  403,  403),
    # Payments: the pay page and the return page are for the payer alone (the personas have no
    # payment 1); Stripe's webhook takes signed POSTs only.
    "payments:pay":                     (LOGIN, *(404,) * 7),
    "payments:done":                    (LOGIN, *(404,) * 7),
    "payments:stripe_webhook":          everyone(405),
    # The admin site is for staff, and none of the personas is staff.
    "admin:login":                      everyone(200),
    "admin:logout":                     everyone(Redirect("/admin/")),
}
# fmt: on


def _app_rows():
    """Rows an app keeps beside its own tests, in `<app>/tests/authorization.py` (a dict MATRIX
    and optionally SAMPLE_KWARGS), so that each app decides for its own pages."""
    import importlib

    from django.apps import apps

    rows, samples = {}, {}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.tests.authorization")
        except ModuleNotFoundError as missing:
            if missing.name.startswith(config.name):
                continue
            raise
        rows |= module.MATRIX
        samples |= getattr(module, "SAMPLE_KWARGS", {})
    return rows, samples


# Every pattern whose name starts with a prefix here, and that has no row of its own, answers
# as the group does.
GROUPS = {
    "admin:": everyone(ADMIN_LOGIN),
}


def expected_answers(key: str):
    """The row for a pattern: its own, or its group's; None when it has neither."""
    if key in MATRIX:
        return MATRIX[key]
    for prefix, answers in GROUPS.items():
        if key.startswith(prefix):
            return answers
    return None


@dataclass(frozen=True)
class Samples:
    """Values for URL parameters, taken from the personas' neighbourhood."""

    slug: str
    member_number: int
    invitation_pk: int
    invitation_token: str
    # A funding stream of the other cooperative, for open pages that show one: the personas'
    # own cooperative has none, so its stream 1 stays missing.
    stream_slug: str = ""
    stream_pk: int = 0
    funder_pk: int = 0


# URL parameters by pattern; any other parameter gets a default from its converter (a slug
# gets the personas' cooperative, a number or a string gets "1").
SAMPLE_KWARGS = {
    "members:accept_invitation": lambda s: {"token": s.invitation_token},
    "members:member_roles": lambda s: {"slug": s.slug, "number": s.member_number},
    "members:forget_member": lambda s: {"slug": s.slug, "number": s.member_number},
    "members:revoke_invitation": lambda s: {"slug": s.slug, "pk": s.invitation_pk},
    "members:password_reset_confirm": lambda s: {"uidb64": "MQ", "token": "no-such-token"},
    "admin:app_list": lambda s: {"app_label": "members"},
    "admin:<admin/(?P<url>.*)$>": lambda s: {"url": "no-such-page/"},
}

_rows, _samples = _app_rows()
MATRIX |= _rows
SAMPLE_KWARGS |= _samples
