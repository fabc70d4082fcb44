"""Small helpers shared by the budgets page tests."""

BASE = "/c/teststad/decide"


def client(hood, name):
    """A persona's browser, reading the site in English (the messages the tests assert)."""
    browser = hood.client_for(name)
    browser.cookies["django_language"] = "en"
    return browser


def page(response) -> str:
    return response.content.decode()
