import pytest

from members.services import add_member
from tests.browser.helpers import assert_accessible, log_in, submit
from wijkbv.testing import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def bob_in_two_cooperatives(hood):
    add_member(hood.other, actor=None, user=hood.bob, roles=["coordinator"])
    return hood


def test_it_lets_a_member_of_two_cooperatives_choose_after_login(page, bob_in_two_cooperatives):
    log_in(page, "bob@example.org", PASSWORD)

    assert page.url.endswith("/")
    links = page.locator("main .card-list a")
    assert links.all_inner_texts() == ["Buurt-BV Elders", "Wijk-BV Teststad"]


def test_it_switches_cooperative_with_the_header_form(page, bob_in_two_cooperatives):
    log_in(page, "bob@example.org", PASSWORD)
    page.locator("main .card-list a", has_text="Wijk-BV Teststad").click()
    page.wait_for_url("**/c/teststad/")
    assert_accessible(page)

    page.select_option("#switch-cooperative", "elders")
    submit(page, "form.switcher")

    assert page.url.endswith("/c/elders/")
    assert "Buurt-BV Elders" in page.locator("main").inner_text()
    assert page.locator("#switch-cooperative").input_value() == "elders"
