import os
import shutil

import pytest
from django.db import connection
from django.utils import translation

from wijkbv.testing import build_neighbourhood

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    """PostgreSQL tests skip on SQLite, browser journeys skip without Chromium, each with a
    reason; in CI (WIJKBV_REQUIRE_POSTGRES / WIJKBV_REQUIRE_BROWSER) a skip would be an error."""
    on_postgres = connection.vendor == "postgresql"
    if os.environ.get("WIJKBV_REQUIRE_POSTGRES") == "1" and not on_postgres:
        raise pytest.UsageError("WIJKBV_REQUIRE_POSTGRES=1 but DATABASE_URL is not PostgreSQL")
    if os.environ.get("WIJKBV_REQUIRE_BROWSER") == "1" and not CHROMIUM:
        raise pytest.UsageError("WIJKBV_REQUIRE_BROWSER=1 but Chromium is not installed")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(
                pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (.ci/run does)")
            )
        if "browser" in item.keywords and not CHROMIUM:
            item.add_marker(
                pytest.mark.skip(reason="needs Chromium: apt-get install chromium (.ci/run does)")
            )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # A deliberately slow hash protects real passwords; tests only need a correct one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _receipts_outside_the_project(settings, tmp_path_factory):
    # Receipts a test stores (the demo stores some) go to a temporary folder, never to var/.
    settings.RECEIPTS_ROOT = tmp_path_factory.getbasetemp() / "receipts"


@pytest.fixture(autouse=True)
def _english_outside_requests():
    # Services speak the active language; tests read them in English. Requests still choose
    # their own language (Dutch by default) through LocaleMiddleware.
    with translation.override("en"):
        yield


@pytest.fixture
def hood(db):
    """A cooperative with a named person in every role (see wijkbv/testing.py)."""
    return build_neighbourhood()


# Stripe for the tests, localstripe included: the payment tests and the browser journeys share it.
pytest_plugins = ["wijkbv.payments.testing"]
