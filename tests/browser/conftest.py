"""Fixtures for the browser journeys: one Chromium for the session, a fresh context per test,
pointed at pytest-django's live server."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test's thread, and Django refuses database
# access from a thread with a running loop unless told it is safe; here it is, nothing is async.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) whose relative addresses go to the live server."""
    # A Dutch phone, as most residents have: the site answers in Dutch until told otherwise.
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
