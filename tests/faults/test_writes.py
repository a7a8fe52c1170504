"""Writes under faults: a gunicorn worker killed mid-write, a client gone mid-request. Nothing half-written.

Each event written carries three actors and two citations, so a write cut short would show as an event
with fewer. Every 201 the client saw must be in the database whole; whatever else was sent is either
whole or absent.
"""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest

from tests.faults.conftest import Record, links_by_slug
from tests.faults.engines import Answer, Gunicorn, kill, load, request

pytestmark = [pytest.mark.faults("postgres"), pytest.mark.django_db(transaction=True)]

WHOLE = (3, 2)
KILLS = 4


def test_killing_workers_during_writes_loses_no_acknowledged_event_and_leaves_none_half_written(
    record: Record, tmp_path: Path
) -> None:
    server = Gunicorn(tmp_path, workers=2)
    killed = []
    try:

        def write(n: int) -> Answer:
            return request(
                server.port, "POST", "/api/v1/events/", record.event_body(n), record.token, tag=f"fault-{n}"
            )

        with load(4, write) as running:
            for _ in range(KILLS):  # a worker killed every 1.5 s, mid-request as four clients write
                time.sleep(1.5)
                victims = server.worker_pids()
                if victims:
                    kill(victims[0])
                    killed.append(victims[0])
            time.sleep(1.5)  # gunicorn replaces the killed workers; the writes go on
        answers = running.stop()
    finally:
        server.stop()

    stored = links_by_slug()
    created = [answer.tag for answer in answers if answer.status == 201]
    cut = [answer for answer in answers if answer.status is None or answer.status >= 500]
    print(f"\n{len(answers)} writes, {len(created)} created, {len(cut)} cut by {KILLS} kills:", end=" ")
    print(sorted({(a.status, a.error[:40]) for a in cut}, key=str))
    assert len(killed) == KILLS
    assert cut, "no request was cut by a kill: the test did not test anything"
    assert len(created) >= 10
    assert {slug: stored.get(slug) for slug in created} == dict.fromkeys(created, WHOLE), "a 201 lost work"
    assert {slug: links for slug, links in stored.items() if links != WHOLE} == {}, "a half-written event"
    assert all(answer.status in {201, 500, 502, None} for answer in answers), {a.status for a in answers}


def send_raw(port: int, head: bytes, body: bytes, wait: float = 0.0) -> None:
    """Sends a request's head and (part of) its body, then hangs up without reading the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(head + body)
        time.sleep(wait)


def post_head(path: str, token: str, length: int) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode()


def test_a_client_hanging_up_mid_request_leaves_nothing_partial(record: Record, tmp_path: Path) -> None:
    from events.models import Source

    server = Gunicorn(tmp_path, workers=2)
    try:
        sources_before = Source.objects.count()
        for n in range(10):
            body = json.dumps(record.event_body(n, prefix="cut")).encode()
            # Half of the body, then gone: the worker reads a short body, which is no JSON to write.
            send_raw(
                server.port, post_head("/api/v1/events/", record.token, len(body)), body[: len(body) // 2]
            )
            # The whole body, then gone before the answer: the write is done whole or not at all.
            whole = json.dumps(record.event_body(n, prefix="sent")).encode()
            send_raw(server.port, post_head("/api/v1/events/", record.token, len(whole)), whole)
            article = json.dumps(
                {"text": "新华社北京7月26日电 李强26日出席论坛。" * 20, "published": "2025-07-26"}
            )
            raw = article.encode()
            send_raw(
                server.port,
                post_head("/api/v1/sources/ingest/", record.token, len(raw)),
                raw[: len(raw) // 3],
            )
        # The server is still serving, and has finished with every request it was sent.
        time.sleep(1.0)
        assert request(server.port, "GET", "/api/v1/events/").status == 200
    finally:
        server.stop()

    stored = links_by_slug()
    assert not [slug for slug in stored if slug.startswith("cut-")], "a truncated body was stored"
    assert {slug: links for slug, links in stored.items() if links != WHOLE} == {}, "a half-written event"
    assert Source.objects.count() == sources_before, "a truncated ingest stored a source"
