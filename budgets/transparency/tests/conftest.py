"""The budgets tests' cooperative, with a funding stream that received money, for the open
pages' tests."""

import pytest
from django.utils import translation

from budgets.tests.conftest import funder, place, proposals, stream  # noqa: F401 (fixtures)
from budgets.tests.expense_helpers import receipts_in_tmp  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def in_english(client):
    """The tests read the pages in English, the site's second language."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield
