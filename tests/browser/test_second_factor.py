import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.helpers import assert_accessible, log_in, submit
from wijkbv.testing import PASSWORD

pytestmark = pytest.mark.browser


def current_code(user) -> str:
    """The code the person's authenticator app shows now."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def test_it_asks_a_board_member_for_the_code_before_any_page(page, hood):
    log_in(page, "carol@example.org", PASSWORD)

    assert "/account/verify/" in page.url
    page.goto("/c/teststad/members/")
    assert "/account/verify/" in page.url
    assert_accessible(page)


def test_it_lets_a_board_member_in_with_the_code_from_the_app(page, hood):
    log_in(page, "carol@example.org", PASSWORD)

    page.fill("input[name=token]", current_code(hood.carol))
    submit(page)

    assert page.url.endswith("/c/teststad/")
    page.goto("/c/teststad/members/")
    assert page.url.endswith("/c/teststad/members/")
    assert_accessible(page)


def test_it_refuses_a_wrong_code(page, hood):
    log_in(page, "carol@example.org", PASSWORD)
    wrong = "000000" if current_code(hood.carol) != "000000" else "111111"

    page.fill("input[name=token]", wrong)
    submit(page)

    assert "/account/verify/" in page.url
    assert page.locator(".has-error .error").count() == 1
