"""The budgets tests' cooperative, with a funding stream that received money, for the open
pages' tests."""

from budgets.tests.conftest import funder, place, proposals, stream  # noqa: F401 (fixtures)
from budgets.tests.expense_helpers import receipts_in_tmp  # noqa: F401 (fixture)
