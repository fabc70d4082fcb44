import pytest

from members.forms import EmailAuthenticationForm
from tests.browser.helpers import assert_accessible, log_in, translated
from wijkbv.testing import PASSWORD

pytestmark = pytest.mark.browser


def test_it_takes_a_resident_to_the_cooperative_home_page(page, hood):
    log_in(page, "alice@example.org", PASSWORD)

    assert page.url.endswith("/c/teststad/")
    assert page.locator("h1").inner_text() == translated("Hello %(name)s", "nl") % {"name": "Alice"}
    assert_accessible(page)


def test_it_shows_a_wrong_password_in_dutch(page, hood):
    log_in(page, "alice@example.org", "not-the-password")

    assert page.url.endswith("/account/login/")
    assert page.locator("html").get_attribute("lang") == "nl"
    english = str(EmailAuthenticationForm.error_messages["invalid_login"])
    dutch = translated(english, "nl")
    assert dutch != english, "the Dutch catalogue has no translation of the login error"
    assert page.get_by_role("alert").inner_text().strip() == dutch
