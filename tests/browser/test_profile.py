import pytest

from tests.browser.helpers import assert_accessible, log_in, submit, translated
from wijkbv.testing import PASSWORD

pytestmark = pytest.mark.browser


def test_it_saves_name_and_language_and_answers_in_the_new_language(page, hood):
    log_in(page, "alice@example.org", PASSWORD)
    page.goto("/account/profile/")
    assert_accessible(page)
    assert page.locator("html").get_attribute("lang") == "nl"

    page.fill("input[name=full_name]", "Alice van der Berg")
    page.select_option("select[name=preferred_language]", "en")
    submit(page)

    assert page.url.endswith("/account/profile/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "My details"
    assert page.get_by_role("status").inner_text().strip() == "Your details have been saved."
    assert page.input_value("input[name=full_name]") == "Alice van der Berg"
    hood.alice.refresh_from_db()
    assert (hood.alice.full_name, hood.alice.preferred_language) == ("Alice van der Berg", "en")


def test_it_keeps_the_new_language_on_the_next_page(page, hood):
    log_in(page, "alice@example.org", PASSWORD)
    page.goto("/account/profile/")
    assert_accessible(page)
    page.select_option("select[name=preferred_language]", "en")
    submit(page)

    page.goto("/c/teststad/")
    assert_accessible(page)

    assert page.locator("h1").inner_text() == translated("Hello %(name)s", "en") % {"name": "Alice"}
