"""Closing periods, the reconciliation of each bank account, and the audit file for accountants."""
