"""Fixtures for the browser journeys: one Chromium per test module, a fresh context per test,
pointed at pytest-django's live server."""

import os
import shutil

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    """Chromium, for the tests of one module.

    While Playwright's sync API runs, its event loop counts as running in the test's thread,
    and Django refuses database access there unless told it is safe (it is: nothing here is
    async). The permission lasts only as long as the browser, so that no other test, nor a
    `manage.py check --deploy` started by one, inherits it."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if before is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) whose relative addresses go to the live server."""
    # A Dutch phone, as most residents have: the site answers in Dutch until told otherwise.
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
