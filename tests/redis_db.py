"""The Redis database that tests may empty and use: RARE_TEST_REDIS_URL (default redis://127.0.0.1:6379/5).

Without a reachable Redis a test that needs it is skipped, except in CI (the variable CI is set),
where it fails: there, the tests against Redis are part of what must pass.
"""

from __future__ import annotations

import os

import pytest
import redis

URL = os.environ.get("RARE_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def empty_redis() -> redis.Redis:
    """A client of the test Redis database, emptied; skips (or fails in CI) when Redis is unreachable."""
    client = redis.Redis.from_url(URL, socket_timeout=5)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {URL} is unreachable in CI: {error}")
        pytest.skip(f"Redis at {URL} is unreachable")
    client.flushdb()
    return client
