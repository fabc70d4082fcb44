import pytest

from tests.browser.helpers import assert_accessible

pytestmark = pytest.mark.browser

# Swagger UI puts a copy button inside each operation's summary button; that markup is the
# widget's own and cannot be changed from here.
SWAGGER_UI_OWN_MARKUP = {"nested-interactive"}


def test_it_shows_the_api_reference_readably(page, hood):
    page.goto("/api/docs/")
    page.locator(".opblock-summary").first.wait_for()
    page.locator(".opblock-summary-control").first.click()
    page.locator(".opblock-body").first.wait_for()

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".opblock-summary-path", has_text="/api/v1/me/").count() >= 1
    assert_accessible(page, allow=SWAGGER_UI_OWN_MARKUP)
