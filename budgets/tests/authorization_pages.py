"""Rows of the authorization matrix for the budgets pages."""

MATRIX = {}
