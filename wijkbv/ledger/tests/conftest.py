"""Fixtures for the ledger tests."""

import datetime

import pytest

from members.models import Cooperative


@pytest.fixture
def founded_in_2026(hood):
    """The books begin in 2026, the year the cooperative was founded, in whatever year the
    tests run: the personas' cooperative is otherwise founded the day a test runs. For tests
    whose books are written in 2025 and 2026 (the audit file)."""
    Cooperative.objects.filter(pk=hood.cooperative.pk).update(
        created_at=datetime.datetime(2026, 1, 5, 12, tzinfo=datetime.UTC)
    )
    hood.cooperative.refresh_from_db()
