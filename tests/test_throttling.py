"""Nothing invites guessing or abuse: admin logins lock out after repeated wrong passwords (django-axes),
anonymous API reads are throttled per address with Retry-After; curators are not throttled."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories
from tests.test_settings import PRODUCTION, start_django

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def sign_in(client: Client, username: str, password: str, address: str = "203.0.113.7") -> int:
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )
    return response.status_code


@override_settings(AXES_FAILURE_LIMIT=5)
def test_after_five_wrong_admin_passwords_even_the_right_one_is_refused() -> None:
    factories.curator("mei")
    client = Client()
    assert [sign_in(client, "mei", f"guess {n}") for n in range(4)] == [200] * 4  # the form again
    assert sign_in(client, "mei", "guess 5") == 429
    assert sign_in(client, "mei", PASSWORD) == 429
    assert "_auth_user_id" not in client.session
    # The lock is for this name from this address: mei signs in from her own desk.
    assert sign_in(Client(), "mei", PASSWORD, address="198.51.100.20") == 302


@override_settings(AXES_FAILURE_LIMIT=5)
def test_a_right_password_before_the_limit_signs_in_and_resets_the_count() -> None:
    factories.curator("mei")
    client = Client()
    for n in range(4):
        sign_in(client, "mei", f"guess {n}")
    assert sign_in(client, "mei", PASSWORD) == 302
    assert [sign_in(Client(), "mei", f"again {n}") for n in range(4)] == [200] * 4


@override_settings(API_ANON_THROTTLE_RATE="3/minute")
def test_anonymous_reads_beyond_the_rate_get_429_with_retry_after() -> None:
    client = APIClient(REMOTE_ADDR="203.0.113.7")
    # Three different questions, each computed: answers from the cache cost nothing and are not counted.
    assert [client.get("/api/v1/tags/", {"limit": size}).status_code for size in (1, 2, 3)] == [200] * 3
    refused = client.get("/api/v1/events/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "throttled"
    assert client.get("/api/v1/tags/", {"limit": 1}).status_code == 200  # from the cache, even now
    # Another address has its own allowance.
    assert APIClient(REMOTE_ADDR="198.51.100.20").get("/api/v1/tags/").status_code == 200


@override_settings(API_ANON_THROTTLE_RATE="3/minute")
def test_curators_are_not_throttled_on_reads() -> None:
    token = Token.objects.create(user=factories.curator("mei"))
    client = APIClient(REMOTE_ADDR="203.0.113.7")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert {client.get("/api/v1/events/").status_code for _ in range(10)} == {200}


def test_the_default_rate_lets_a_busy_reader_through() -> None:
    client = APIClient(REMOTE_ADDR="203.0.113.7")
    assert {client.get("/api/v1/tags/").status_code for _ in range(100)} == {200}


SHOW_CACHE = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({"cache": settings.CACHES["default"], "rate": settings.API_ANON_THROTTLE_RATE,
                  "axes_limit": settings.AXES_FAILURE_LIMIT}))
"""


def test_counts_are_shared_through_redis_when_redis_url_is_set() -> None:
    import json

    shared = start_django({**PRODUCTION, "REDIS_URL": "redis://127.0.0.1:6390/2"}, SHOW_CACHE)
    assert shared.returncode == 0, shared.stderr
    cache = json.loads(shared.stdout)["cache"]
    assert (cache["BACKEND"], cache["LOCATION"]) == (
        "django_redis.cache.RedisCache",
        "redis://127.0.0.1:6390/2",
    )
    local = json.loads(start_django(PRODUCTION, SHOW_CACHE).stdout)
    assert local["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_rates_come_from_the_environment() -> None:
    import json

    result = start_django(
        {**PRODUCTION, "API_ANON_THROTTLE_RATE": "30/minute", "AXES_FAILURE_LIMIT": "3"}, SHOW_CACHE
    )
    assert json.loads(result.stdout) | {"cache": None} == {
        "cache": None,
        "rate": "30/minute",
        "axes_limit": 3,
    }


def test_a_malformed_rate_is_refused_by_name() -> None:
    result = start_django({**PRODUCTION, "API_ANON_THROTTLE_RATE": "lots"})
    assert result.returncode != 0
    assert "API_ANON_THROTTLE_RATE='lots' is not a rate" in result.stderr


@pytest.fixture
def redis_url() -> str:
    """A Redis server to count in: TEST_REDIS_URL (.ci/run starts one); else skipped, or with
    REQUIRE_REDIS=1 failed."""
    import os

    url = os.environ.get("TEST_REDIS_URL", "")
    if not url:
        reason = "TEST_REDIS_URL is not set: the shared-cache throttle test needs a Redis server"
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(reason + " (REQUIRE_REDIS=1 says it must run).")
        pytest.skip(reason + ".")
    return url


def test_with_redis_every_worker_counts_in_the_same_place(redis_url: str) -> None:
    import redis
    from django.core.cache import cache

    shared = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url}}
    with override_settings(CACHES=shared, API_ANON_THROTTLE_RATE="3/minute"):
        cache.clear()
        client = APIClient(REMOTE_ADDR="203.0.113.7")
        # Four different questions (a repeated one is answered from the cache, which is not throttled).
        statuses = [client.get("/api/v1/tags/", {"limit": size}).status_code for size in (1, 2, 3, 4)]
        assert statuses == [200, 200, 200, 429]
        # The count is in Redis, where another process (a fresh connection here) reads the same one.
        server = redis.Redis.from_url(redis_url)
        assert server.keys("*throttle_anon_203.0.113.7")  # django-redis stores the request times there
        assert len(cache.get("throttle_anon_203.0.113.7")) == 3
        cache.clear()
