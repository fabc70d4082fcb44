"""Expenses, advances and payment batches: the pages and the API (the rules are in budgets/services.py)."""
