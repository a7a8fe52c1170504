"""Scale-out settings from the environment: read replicas (DATABASE_REPLICA_URLS) and the cache (REDIS_URL).

Each test starts Django in a new process with only the given variables, as ``tests/test_settings.py``
does; none needs a running replica or Redis.
"""

from __future__ import annotations

import json
import socket

from tests.test_settings import refusal_under, start_django

DEVELOPMENT = {"DJANGO_DEBUG": "1"}
PRIMARY = "postgres://timeline@db-primary.internal:5432/timeline"

SHOW_DATABASES_AND_CACHE = """
import json
import django
django.setup()
from django.conf import settings
keys = ("ENGINE", "HOST", "PORT", "NAME", "TEST", "DISABLE_SERVER_SIDE_CURSORS")
print(json.dumps({
    "DATABASES": {alias: {key: db.get(key) for key in keys} for alias, db in settings.DATABASES.items()},
    "DATABASE_REPLICAS": settings.DATABASE_REPLICAS,
    "DATABASE_ROUTERS": settings.DATABASE_ROUTERS,
    "CACHE": settings.CACHES["default"],
}))
"""


def started_with(environment: dict[str, str], code: str = SHOW_DATABASES_AND_CACHE) -> dict:
    result = start_django({**DEVELOPMENT, **environment}, code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_replica_urls_add_one_read_only_alias_per_replica() -> None:
    started = started_with(
        {
            "DATABASE_URL": PRIMARY,
            "DATABASE_REPLICA_URLS": "postgres://timeline@db-replica-a.internal:5433/timeline, "
            "postgres://timeline@db-replica-b.internal/timeline",
        }
    )

    assert started["DATABASE_REPLICAS"] == ["replica_0", "replica_1"]
    databases = started["DATABASES"]
    assert set(databases) == {"default", "replica_0", "replica_1"}
    assert (databases["replica_0"]["HOST"], databases["replica_0"]["PORT"]) == ("db-replica-a.internal", 5433)
    assert databases["replica_1"]["HOST"] == "db-replica-b.internal"
    assert databases["replica_1"]["ENGINE"] == "django.db.backends.postgresql"
    # Tests never create or flush a replica's database: it mirrors the primary's test database.
    assert databases["replica_0"]["TEST"]["MIRROR"] == "default"
    assert started["DATABASE_ROUTERS"] == ["timeline.db_routers.ReplicaRouter"]


def test_without_replica_urls_there_is_only_the_primary() -> None:
    started = started_with({"DATABASE_URL": PRIMARY})

    assert set(started["DATABASES"]) == {"default"}
    assert started["DATABASE_REPLICAS"] == []


def test_a_replica_of_another_kind_of_database_is_refused_with_a_message() -> None:
    message = refusal_under(
        {**DEVELOPMENT, "DATABASE_URL": PRIMARY, "DATABASE_REPLICA_URLS": "sqlite:////tmp/replica.sqlite3"}
    )

    assert "DATABASE_REPLICA_URLS: replica 0 is not the same kind of database as DATABASE_URL" in message


def test_behind_a_transaction_pooler_no_database_uses_server_side_cursors() -> None:
    replicas = {
        "DATABASE_URL": PRIMARY,
        "DATABASE_REPLICA_URLS": "postgres://timeline@db-replica-a.internal/t",
    }
    pooled = started_with({**replicas, "DATABASE_DISABLE_SERVER_SIDE_CURSORS": "1"})["DATABASES"]
    direct = started_with(replicas)["DATABASES"]

    assert [database["DISABLE_SERVER_SIDE_CURSORS"] for database in pooled.values()] == [True, True]
    assert [database["DISABLE_SERVER_SIDE_CURSORS"] for database in direct.values()] == [False, False]


def test_redis_url_selects_the_shared_redis_cache() -> None:
    cache = started_with({"REDIS_URL": "redis://cache.internal:6379/2"})["CACHE"]

    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/2"


def test_without_redis_url_each_process_caches_in_memory() -> None:
    cache = started_with({})["CACHE"]

    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_a_redis_that_is_down_is_a_cache_miss_not_an_error() -> None:
    # A port nobody listens on: connecting is refused at once.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    use_cache = """
import django
django.setup()
from django.core.cache import cache
cache.set("greeting", "hello")
print(repr(cache.get("greeting", "missed")))
"""
    result = start_django({**DEVELOPMENT, "REDIS_URL": f"redis://127.0.0.1:{closed_port}/0"}, use_cache)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "'missed'"
    assert f"connecting to 127.0.0.1:{closed_port}" in result.stderr  # logged, for the operators
