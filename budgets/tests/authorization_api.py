"""Rows of the authorization matrix for the budgets api."""

MATRIX = {}
