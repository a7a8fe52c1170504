"""Reads and writes while PostgreSQL restarts, Redis stops or the standby stops, under gunicorn.

The figures each test prints (errors, recovery time) are the ones README "Reliability" gives.
"""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest

from tests.faults.conftest import Record, links_by_slug
from tests.faults.engines import (
    Answer,
    Gunicorn,
    Redis,
    close_connections,
    database_url,
    load,
    request,
    restart_primary,
    standby_stopped,
)

# Errors are allowed while the server restarts and for this long after; then every answer is a success.
RECOVERY_BOUND = 5.0


@pytest.fixture
def published(record: Record) -> list[int]:
    from events.models import Event
    from tests.factories import EventFactory

    return [EventFactory(status=Event.Status.PUBLISHED, date=f"2025-07-{day:02}").pk for day in range(1, 21)]


@pytest.mark.faults("postgres")
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_restart_under_load_fails_only_requests_during_it_and_poisons_no_connection(
    record: Record, published: list[int], tmp_path: Path
) -> None:
    # Cache off, so that every read reaches PostgreSQL; connections kept between requests (the default).
    server = Gunicorn(tmp_path, workers=2, API_CACHE_SECONDS="0")
    try:

        def read(n: int) -> Answer:
            path = f"/api/v1/events/{published[n % len(published)]}/" if n % 2 else "/api/v1/events/?limit=20"
            return request(server.port, "GET", path)

        def write(n: int) -> Answer:
            return request(
                server.port, "POST", "/api/v1/events/", record.event_body(n), record.token, tag=f"fault-{n}"
            )

        with load(3, read) as running:
            running.add(1, write)
            time.sleep(2)
            restart_began = time.monotonic()
            restart_primary()
            restarted = time.monotonic()
            time.sleep(RECOVERY_BOUND + 3)
        answers = running.stop()
        close_connections()
        # Afterwards, on whichever worker answers: no connection left broken, prepared statements redone.
        after = [request(server.port, "GET", "/api/v1/events/?limit=20") for _ in range(20)]
    finally:
        server.stop()

    failed = [answer for answer in answers if answer.failed]
    before = [answer for answer in answers if answer.ended < restart_began]
    late = [answer for answer in answers if answer.started > restarted + RECOVERY_BOUND]
    window = max((a.ended for a in failed), default=0) - min((a.started for a in failed), default=0)
    first_success = min((a.ended for a in answers if a.started > restarted and not a.failed), default=0)
    print(
        f"\nrestart took {restarted - restart_began:.2f} s; {len(answers)} requests, {len(failed)} failed "
        f"within {window:.2f} s; first success {first_success - restarted:.2f} s after pg_ctl returned;",
        sorted({(answer.status, answer.error[:40]) for answer in failed}, key=str),
    )
    assert before and not [answer for answer in before if answer.failed], "errors before the restart"
    # What a client got meanwhile: the API's error shape (or a connection closed), never a traceback.
    assert all(json.loads(a.body)["error"]["status"] == a.status for a in failed if a.status is not None)
    assert late and not [answer for answer in late if answer.failed], "errors long after the restart"
    assert all(answer.status == 200 for answer in after), [answer.status for answer in after]
    created = [answer.tag for answer in answers if answer.status == 201]
    stored = links_by_slug()
    assert created and all(stored.get(slug) == (3, 2) for slug in created)
    assert all(links == (3, 2) for slug, links in stored.items() if slug.startswith("fault-"))


def redis_keys(redis: Redis) -> int:
    with socket.create_connection(("127.0.0.1", redis.port), timeout=2) as sock:
        sock.sendall(b"DBSIZE\r\n")
        return int(sock.recv(64).strip().lstrip(b":"))


@pytest.mark.faults("postgres", "redis")
@pytest.mark.django_db(transaction=True)
def test_reads_go_on_from_the_database_while_redis_is_down_and_use_it_again_once_back(
    published: list[int], tmp_path: Path
) -> None:
    redis = Redis(tmp_path)
    server = Gunicorn(tmp_path, workers=2, REDIS_URL=redis.url)
    paths = ["/api/v1/events/?limit=20", f"/api/v1/events/{published[0]}/", "/api/v1/actors/"]
    try:
        assert all(request(server.port, "GET", path).status == 200 for path in paths * 3)
        assert redis_keys(redis) > 0, "the answers were not cached in Redis"
        cached = {path: request(server.port, "GET", path).body for path in paths}

        redis.stop()
        down = [request(server.port, "GET", path) for path in paths * 5]

        redis.start()  # empty: it kept nothing in memory
        back = [request(server.port, "GET", path) for path in paths * 2]
        keys_after = redis_keys(redis)
        log = server.log_text()
    finally:
        server.stop()
        redis.stop()

    assert [answer.status for answer in down] == [200] * len(down)
    assert {answer.path: answer.body for answer in down} == cached, "Redis down changed the answers"
    slowest = max(answer.ended - answer.started for answer in down)
    print(f"\nRedis down: {len(down)} reads, all 200, the slowest in {slowest * 1000:.0f} ms")
    assert slowest < 2.0, "a read waited on the dead Redis for longer than its socket timeouts"
    assert f"Error 111 connecting to 127.0.0.1:{redis.port}" in log, "the cache errors were not logged"
    assert [answer.status for answer in back] == [200] * len(back)
    assert keys_after > 0, "the answers were not cached again once Redis was back"


@pytest.mark.faults("postgres", "redis")
@pytest.mark.django_db(transaction=True)
def test_the_anonymous_throttle_fails_open_while_redis_is_down_and_counts_again_once_back(
    published: list[int], tmp_path: Path
) -> None:
    redis = Redis(tmp_path)
    server = Gunicorn(tmp_path, workers=2, REDIS_URL=redis.url, API_ANON_THROTTLE_RATE="5/minute")
    try:
        # Each a different question: answers from the cache cost nothing and are not throttled.
        up = [request(server.port, "GET", f"/api/v1/events/?limit={size}").status for size in range(1, 8)]
        redis.stop()
        down = [request(server.port, "GET", "/api/v1/events/").status for _ in range(10)]
        redis.start()
        back = [request(server.port, "GET", f"/api/v1/events/?limit={size}").status for size in range(1, 8)]
    finally:
        server.stop()
        redis.stop()

    assert up == [200] * 5 + [429] * 2
    # The counts live in Redis: with none to keep them, readers are served rather than refused.
    assert down == [200] * 10
    assert back == [200] * 5 + [429] * 2


@pytest.mark.faults("postgres", "standby")
@pytest.mark.django_db(transaction=True, databases=["default", "replica_0"])
def test_anonymous_reads_fall_back_to_the_primary_while_the_standby_is_down(
    record: Record, published: list[int], tmp_path: Path
) -> None:
    from events.models import Event
    from tests.scaleout.replica import wait_until_replicated

    wait_until_replicated(Event.objects.filter(pk=published[-1]))
    server = Gunicorn(
        tmp_path, workers=2, API_CACHE_SECONDS="0", DATABASE_REPLICA_URLS=database_url("replica_0")
    )
    paths = ["/api/v1/events/?limit=20", f"/api/v1/events/{published[0]}/"]
    try:
        up = [request(server.port, "GET", path) for path in paths * 3]
        with standby_stopped():
            down = [request(server.port, "GET", path) for path in paths * 10]
            curator = [request(server.port, "GET", path, token=record.token) for path in paths]
        close_connections()
        back = [request(server.port, "GET", path) for path in paths * 5]
        log = server.log_text()
    finally:
        server.stop()

    assert [answer.status for answer in up] == [200] * len(up)
    assert [answer.status for answer in down] == [200] * len(down), log[-3000:]
    assert {answer.path: answer.body for answer in down} == {answer.path: answer.body for answer in up}
    assert [answer.status for answer in curator] == [200] * len(curator)
    assert [answer.status for answer in back] == [200] * len(back)
    slowest = max(answer.ended - answer.started for answer in down)
    print(
        f"\nstandby down: {len(down)} anonymous reads, all 200 (the primary), slowest {slowest * 1000:.0f} ms"
    )
    assert "replica_0 is unreachable" in log
