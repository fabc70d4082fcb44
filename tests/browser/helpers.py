"""What every browser journey shares: the accessibility gate and the login form.

Forms are found by their field names rather than their labels, so the journeys keep working
whichever language the page is shown in.
"""

import datetime

from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone, translation

# The impacts that fail a journey; "minor" and "moderate" findings do not stop the build.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

_axe = Axe()


class InaccessiblePage(AssertionError):
    """axe-core found a serious or critical violation on the page."""


def blocking_violations(page, *, allow=frozenset()) -> list[dict]:
    violations = _axe.run(page).response["violations"]
    return [v for v in violations if v.get("impact") in BLOCKING_IMPACTS and v["id"] not in allow]


def assert_accessible(page, *, allow=frozenset()) -> None:
    """Fail, naming each rule and the page, when axe-core finds a serious or critical
    violation in what the page shows now. `allow` names rules a page may break for a reason
    outside our hands; keep it empty for our own pages."""
    blocking = blocking_violations(page, allow=allow)
    if not blocking:
        return
    lines = [f"axe-core found {len(blocking)} serious or critical problem(s) on {page.url}:"]
    for violation in blocking:
        targets = "; ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:5])
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} at {targets}"
        )
    raise InaccessiblePage("\n".join(lines))


def translated(message, language: str) -> str:
    """The text a page in `language` shows for an English message id."""
    with translation.override(language):
        return translation.gettext(str(message))


def submit(page, form_selector: str = "main form") -> None:
    """Press the form's submit button and wait for the page it leads to."""
    with page.expect_navigation():
        page.locator(form_selector).first.locator("button[type=submit]").click()
    assert_accessible(page)


def log_in(page, email: str, password: str) -> None:
    """Open the login page, fill it in and send it; the caller checks where it lands."""
    page.goto("/account/login/")
    assert_accessible(page)
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    submit(page)


def wijkbudget(hood, *, earmark=("care", "green")):
    """The municipality's Wijkbudget of € 20.000, running from three months ago for a year,
    € 10.000 of it received."""
    from budgets import services
    from members.models import PartnerOrganisation

    stream = services.add_funding_stream(
        hood.cooperative,
        actor=hood.carol,
        funder=PartnerOrganisation.objects.get(cooperative=hood.cooperative),
        name="Wijkbudget",
        committed="20000",
        starts_on=timezone.localdate() - datetime.timedelta(days=90),
        ends_on=timezone.localdate() + datetime.timedelta(days=270),
        earmark=list(earmark),
    )
    services.record_stream_receipt(stream, actor=hood.dave, amount="10000")
    return stream


def project_budget(hood):
    """The budget account of a project residents adopted, paid from the Wijkbudget."""
    from budgets.tests.expense_helpers import adopt

    return adopt(hood, wijkbudget(hood)).budget_account
