"""The cache is shared through a real Redis: what one worker process stores, every other one reads."""

from __future__ import annotations

import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache import cache

from tests.test_settings import start_django

pytestmark = pytest.mark.scaleout("redis")


def test_values_cached_by_django_are_kept_in_redis() -> None:
    key = f"probe-{uuid.uuid4().hex}"
    raw = redis.Redis.from_url(settings.REDIS_URL)

    cache.set(key, 4242, timeout=60)
    assert raw.get(cache.make_key(key)) == b"4242"
    assert 0 < raw.ttl(cache.make_key(key)) <= 60

    cache.delete(key)
    assert raw.get(cache.make_key(key)) is None


def test_another_worker_process_shares_the_cache() -> None:
    mine, theirs = f"mine-{uuid.uuid4().hex}", f"theirs-{uuid.uuid4().hex}"
    cache.set(mine, "stored by the test process", timeout=60)
    other_worker = f"""
import django
django.setup()
from django.core.cache import cache
print(cache.get({mine!r}))
cache.set({theirs!r}, "stored by another process", timeout=60)
"""
    result = start_django({"DJANGO_DEBUG": "1", "REDIS_URL": settings.REDIS_URL}, other_worker)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "stored by the test process"
    assert cache.get(theirs) == "stored by another process"
    cache.delete_many([mine, theirs])
