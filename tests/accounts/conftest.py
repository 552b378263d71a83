"""Fixtures for the account tests: a clean cache (rate limits, used TOTP codes) and helpers."""

from __future__ import annotations

import pytest
from django.core.cache import cache

IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "notifications"],
    }
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and used TOTP codes live in the cache: every test starts without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tasks_run_now(settings):
    """Background tasks run as soon as they are enqueued (after the transaction commits)."""
    settings.TASKS = IMMEDIATE_TASKS
