"""Every web page of the site, found through the URL configuration, passes the accessibility
gate: as it first appears, and with the errors its form shows when sent empty.

Each page is opened by a visitor who is not logged in, where the authorization matrix lets one
in, and in the member role that sees the most of it (the board, where it may), so a page added
to the site is checked without anyone adding it here.
"""

import pytest

from tests.authorization_matrix import PERSONA, ROLES, expected_answers
from tests.browser.helpers import InaccessiblePage, assert_accessible
from tests.url_patterns import discover_patterns, sample_url

pytestmark = pytest.mark.browser

# The admin site is Django's own; the API answers JSON (its reference page has its own test);
# the audit chain's export and verifier and the funder's report as PDF and XLSX are files to
# download, not pages.
NOT_SITE_PAGES = (
    "admin:",
    "api-",
    "budgets:open_chain_export",
    "budgets:open_verifier",
    "budgets:open_report_pdf",
    "budgets:open_report_xlsx",
)
MEMBER_ROLES_BY_REACH = ("board", "coordinator", *ROLES)


def viewers(answers) -> set[str]:
    """The roles to open a page in: a visitor and the member who sees most, where allowed."""
    allowed = [role for role, answer in zip(ROLES, answers, strict=True) if answer == 200]
    members = [role for role in MEMBER_ROLES_BY_REACH if role in allowed and role != "anonymous"]
    return ({"anonymous"} & set(allowed)) | set(members[:1])


def site_pages():
    """(role, pattern) for every page of the site and every role it is opened in."""
    pages = []
    for pattern in discover_patterns():
        answers = expected_answers(pattern.key)
        if pattern.key.startswith(NOT_SITE_PAGES) or answers is None:
            continue
        pages.extend((role, pattern) for role in sorted(viewers(answers)))
    return pages


def log_in_as(page, hood, name, live_server):
    """Give the browser the session of a persona, second factor included."""
    if name is None:
        return
    session = hood.client_for(name).cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])


def send_empty(page) -> bool:
    """Empty the text fields of the page's own form and send it; False if it has none."""
    form = page.locator("main form[method=post]:not([action])").first
    if not form.count():
        return False
    for field in form.locator("input[type=text], input[type=email], input[type=password]").all():
        field.fill("")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    return True


@pytest.mark.parametrize("role", sorted({role for role, _pattern in site_pages()}))
def test_every_page_passes_the_accessibility_gate(role, page, hood, samples, live_server):
    log_in_as(page, hood, PERSONA[role], live_server)
    problems = []
    for _role, pattern in (entry for entry in site_pages() if entry[0] == role):
        response = page.goto(sample_url(pattern, samples))
        assert response.status == 200, f"{pattern.key} answered {response.status} to {role}"
        try:
            assert_accessible(page)
            if send_empty(page):
                assert_accessible(page)
        except InaccessiblePage as problem:
            problems.append(f"{pattern.key}: {problem}")

    assert not problems, "\n".join(problems)


def test_the_error_pages_pass_the_accessibility_gate(page, hood, samples, live_server):
    log_in_as(page, hood, "olivia", live_server)

    for url, status in [("/c/teststad/", 403), ("/no-such-page/", 404), ("/invite/no/", 410)]:
        assert page.goto(url).status == status
        assert_accessible(page)
