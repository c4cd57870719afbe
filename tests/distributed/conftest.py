from __future__ import annotations

import os

import pytest

REDIS_URL = os.environ.get("GOVWATCH_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")  # db 15: tests only


@pytest.fixture
def redis15(monkeypatch):
    """The test Redis database, emptied before and after; skips when no Redis answers."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("GOVWATCH_REQUIRE_SHARED_DATA"):
            pytest.fail(f"Redis is required in CI: {REDIS_URL}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    client.flushdb()
    monkeypatch.setenv("GOVWATCH_BROKER_URL", REDIS_URL)
    yield client
    client.flushdb()
