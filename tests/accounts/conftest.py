"""Fixtures for the account tests: a clean cache (rate limits, used TOTP codes) and helpers."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and used TOTP codes live in the cache: every test starts without them."""
    cache.clear()
    yield
    cache.clear()
