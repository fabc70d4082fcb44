"""The accessibility gate itself: it must be able to fail, or every journey passes for nothing."""

import pytest

from tests.browser.helpers import InaccessiblePage, assert_accessible

pytestmark = pytest.mark.browser


def test_it_fails_a_page_with_an_image_without_text(page):
    page.set_content(
        '<!doctype html><html lang="en"><title>t</title><main><img src="x.png"></main>'
    )

    with pytest.raises(InaccessiblePage, match=r"image-alt \(critical\)"):
        assert_accessible(page)


def test_it_fails_a_site_page_with_an_unlabelled_field(page, hood):
    page.goto("/account/login/")
    assert_accessible(page)
    page.evaluate(
        "document.querySelector('main form').insertAdjacentHTML("
        "'beforeend', '<input type=\"text\" name=\"unlabelled\">')"
    )

    with pytest.raises(InaccessiblePage) as failure:
        assert_accessible(page)
    assert "label (critical)" in str(failure.value)
    assert "/account/login/" in str(failure.value)
