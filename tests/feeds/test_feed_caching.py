"""Feeds get the API's anonymous cache (documents and streams alike) and its throttle, cost-weighted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.selectors.changes import HISTORY_TABLES
from feeds import caching
from tests.factories import CitationFactory, EventFactory
from tests.feeds.conftest import FORMATS, body_of, feed_url


@pytest.fixture(autouse=True)
def empty_cache_and_no_settle_window() -> Any:
    caches["default"].clear()
    with override_settings(CHANGE_FEED_SETTLE_SECONDS=0, API_CACHE_SECONDS=600):
        yield
    caches["default"].clear()


@pytest.fixture
def aged_record(db: Any) -> None:
    for year in range(2001, 2006):
        CitationFactory(event=EventFactory(date=str(year), title_en=f"Event of {year}"))
    for table in HISTORY_TABLES:  # an hour old: past the settle window, with a Last-Modified
        table.model._default_manager.update(history_date=timezone.now() - timedelta(hours=1))


def fetch(client: Any, url: str, **headers: str) -> tuple[Any, bytes, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
        body = body_of(response)
    return response, body, len(captured)


@pytest.mark.parametrize("name", FORMATS)
def test_a_repeated_anonymous_feed_is_answered_from_the_cache(
    client: Any, aged_record: Any, name: str
) -> None:
    first, first_body, first_queries = fetch(client, feed_url(name))
    second, second_body, second_queries = fetch(client, feed_url(name))
    assert first.status_code == second.status_code == 200
    assert second_body == first_body
    assert second["ETag"] == first["ETag"] and second["Content-Type"] == first["Content-Type"]
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert first_queries > 2
    assert second_queries == 1  # the newest public change, for the key: nothing else is read
    not_modified, _, queries = fetch(client, feed_url(name), If_None_Match=first["ETag"])
    assert not_modified.status_code == 304 and queries == 1


def test_a_streamed_feed_is_cached_in_pieces_and_read_back_whole(
    client: Any, aged_record: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(caching, "PIECE_BYTES", 500)
    _, first_body, _ = fetch(client, feed_url("ics"))
    second, second_body, queries = fetch(client, feed_url("ics"))
    assert second.streaming and second_body == first_body and queries == 1


def test_a_stream_left_unread_is_not_cached() -> None:
    stream = caching._kept_while_streamed("feeds:test", iter([b"BEGIN", b"END"]), {})
    assert next(stream) == b"BEGIN"
    stream.close()  # the client hangs up (the server closes the response's iterator)
    assert caches["default"].get("feeds:test") is None
    assert list(caching._kept_while_streamed("feeds:test", iter([b"BEGIN", b"END"]), {})) == [
        b"BEGIN",
        b"END",
    ]
    assert caches["default"].get("feeds:test") == {"pieces": 1, "headers": {}}


def test_a_public_change_invalidates_the_cached_feed(client: Any, aged_record: Any) -> None:
    _, before, _ = fetch(client, feed_url("vis"))
    EventFactory(date="2010", title_en="A new event")
    _, after, _ = fetch(client, feed_url("vis"))
    assert b"A new event" in after and b"A new event" not in before


def test_the_cache_keeps_each_host_its_own_links(client: Any, aged_record: Any) -> None:
    _, evil, _ = fetch(client, feed_url("ndjson"), Host="evil.example")
    _, plain, _ = fetch(client, feed_url("ndjson"))
    assert b"evil.example" in evil and b"evil.example" not in plain


@override_settings(API_ANON_THROTTLE_RATE="25/minute", FEEDS_THROTTLE_COST=10, API_CACHE_SECONDS=0)
def test_feeds_spend_the_apis_anonymous_budget_at_their_cost(client: Any, db: Any) -> None:
    EventFactory(date="2020")  # no cache: each feed is built and costs 10
    statuses = [client.get(feed_url("vis")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = client.get(feed_url("csv"))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert body_of(refused).startswith(b'{"error": {"status": 429, "code": "throttled"')
    assert client.get("/api/v1/events/").status_code == 200  # 20 of 25 spent: a list page still fits
    assert client.get(feed_url("vis"), REMOTE_ADDR="198.51.100.9").status_code == 200  # another address


@override_settings(API_ANON_THROTTLE_RATE="12/minute", FEEDS_THROTTLE_COST=10)
def test_a_feed_from_the_cache_costs_one_request(client: Any, aged_record: Any) -> None:
    assert client.get(feed_url("vis")).status_code == 200  # built: 10
    assert [client.get(feed_url("vis")).status_code for _ in range(3)] == [200, 200, 429]
