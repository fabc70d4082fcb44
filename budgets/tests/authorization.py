"""Who gets what from the budgets pages and API (see tests/authorization_matrix.py for the
format). The rows live in two modules, one for the pages and one for the API."""

from budgets.tests import authorization_api, authorization_pages

MATRIX = authorization_pages.MATRIX | authorization_api.MATRIX
SAMPLE_KWARGS = getattr(authorization_pages, "SAMPLE_KWARGS", {}) | getattr(
    authorization_api, "SAMPLE_KWARGS", {}
)
