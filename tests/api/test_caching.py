"""Anonymous reads from the cache: keyed by the public generation, answered without SQL, never stale,
never for curators, and untouched by draft edits."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import public_generation
from events.models import Event
from events.public_generation import current_generation
from events.selectors.changes import HISTORY_TABLES, latest_public_change_at
from tests.api.conftest import result_slugs
from tests.factories import ActorFactory, EventFactory, ParticipationFactory, TagFactory

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"
TAGS = "/api/v1/tags/"


@pytest.fixture(autouse=True)
def empty_cache_and_no_settle_window() -> Any:
    caches["default"].clear()
    with override_settings(CHANGE_FEED_SETTLE_SECONDS=0, API_CACHE_SECONDS=600):
        yield
    caches["default"].clear()


def age_the_record(seconds: int = 3600) -> None:
    """Date every change an hour back, so answers carry a Last-Modified (whole seconds, in the past)."""
    for table in HISTORY_TABLES:
        table.model._default_manager.update(history_date=timezone.now() - timedelta(seconds=seconds))


def queries_of(client: Any, url: str, **headers: str) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    return response, len(captured)


def test_a_repeated_anonymous_read_is_answered_from_the_cache(api_client):
    EventFactory(slug="waic", title_en="WAIC")
    age_the_record()
    first, first_queries = queries_of(api_client, EVENTS)
    second, second_queries = queries_of(api_client, EVENTS)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"] and second["Last-Modified"] == first["Last-Modified"]
    assert second["Content-Type"] == "application/json" and "Accept-Language" in second["Vary"]
    assert first_queries > 2
    assert second_queries == 0  # the generation is in the cache: no data read, nothing serialized


def test_a_304_from_the_cache_costs_no_query(api_client):
    EventFactory()
    age_the_record()
    etag = api_client.get(EVENTS)["ETag"]
    response, queries = queries_of(api_client, EVENTS, if_none_match=etag)
    assert (response.status_code, queries) == (304, 0)
    assert response["ETag"] == etag and not response.content
    modified = api_client.get(EVENTS)["Last-Modified"]
    response, queries = queries_of(api_client, EVENTS, if_modified_since=modified)
    assert (response.status_code, queries) == (304, 0)


def test_each_language_and_query_has_its_own_entry(api_client):
    EventFactory(title_en="Summit", title_zh="峰会")
    age_the_record()
    assert api_client.get(EVENTS).json()["results"][0]["title"] == "Summit"
    assert api_client.get(EVENTS, {"lang": "zh-hans"}).json()["results"][0]["title"] == "峰会"
    chinese = api_client.get(EVENTS, headers={"accept-language": "zh-TW"}).json()["results"][0]["title"]
    assert chinese == "峰會"
    assert api_client.get(EVENTS, {"date_from": "2030"}).json()["results"] == []


def test_a_public_change_is_seen_at_once(api_client, curator_client):
    event = EventFactory(slug="waic", title_en="Old title")
    age_the_record()
    assert api_client.get(f"{EVENTS}waic/").json()["title"] == "Old title"
    assert curator_client.patch(f"{EVENTS}waic/", {"title_en": "New title"}, format="json").status_code == 200
    assert api_client.get(f"{EVENTS}waic/").json()["title"] == "New title"
    assert api_client.get(EVENTS).json()["results"][0]["title"] == "New title"
    event.refresh_from_db()
    assert event.title_en == "New title"


def test_unpublishing_an_event_removes_it_from_cached_lists(api_client, curator_client):
    EventFactory(slug="waic")
    age_the_record()
    assert [item["slug"] for item in api_client.get(EVENTS).json()["results"]] == ["waic"]
    assert curator_client.patch(f"{EVENTS}waic/", {"status": "retracted"}, format="json").status_code == 200
    assert api_client.get(EVENTS).json()["results"] == []


def test_a_draft_edit_moves_nothing_the_public_sees(api_client, curator_client):
    EventFactory(slug="public")
    draft = EventFactory(slug="draft", status=Event.Status.DRAFT, date="")
    actor = ActorFactory()  # actors are public: adding one is a public change, so it comes first
    age_the_record()
    before = api_client.get(EVENTS)
    stamp = latest_public_change_at()
    ParticipationFactory(event=draft, actor=actor)
    assert (
        curator_client.patch(f"{EVENTS}draft/", {"title_en": "Still a draft"}, format="json").status_code
        == 200
    )
    assert latest_public_change_at() == stamp
    after, queries = queries_of(api_client, EVENTS)
    assert queries == 0  # still the cached answer: the generation did not move
    assert (after.content, after["Last-Modified"]) == (before.content, before["Last-Modified"])


def test_curators_are_never_answered_from_the_cache_nor_fill_it(api_client, curator_client):
    EventFactory(slug="public")
    EventFactory(slug="draft", status=Event.Status.DRAFT)
    age_the_record()
    assert [item["slug"] for item in api_client.get(EVENTS).json()["results"]] == ["public"]
    response, queries = queries_of(curator_client, EVENTS)
    assert sorted(item["slug"] for item in response.json()["results"]) == ["draft", "public"]
    assert queries > 2
    caches["default"].clear()
    curator_client.get(EVENTS)
    assert [item["slug"] for item in api_client.get(EVENTS).json()["results"]] == ["public"]


def test_a_change_whose_bump_was_lost_starts_a_new_generation_once_settled(api_client, monkeypatch):
    """A worker killed between commit and bump: the next miss finds a settled public change newer than
    the generation and starts a new one (until then hits may serve the older answers)."""
    EventFactory(slug="first")
    age_the_record()
    assert result_slugs(api_client.get(EVENTS)) == ["first"]
    monkeypatch.setattr(public_generation, "after_commit", lambda callback, using: None)  # bumps lost
    EventFactory(slug="second", date="2030-01-01")
    with override_settings(CHANGE_FEED_SETTLE_SECONDS=60):  # not settled: may still be committing
        api_client.get(TAGS)
        _response, queries = queries_of(api_client, TAGS)
        assert queries > 0  # nothing kept
    _response, queries = queries_of(api_client, TAGS)  # settled now (no window): a new generation
    assert queries > 0
    assert sorted(result_slugs(api_client.get(EVENTS))) == ["first", "second"]


def test_a_lost_cache_starts_a_generation_never_used_before():
    first = current_generation()
    assert current_generation() == first
    caches["default"].clear()  # Redis flushed or restarted
    assert current_generation().token != first.token


def test_a_signed_in_session_is_never_answered_from_the_cache(api_client, curator_user):
    EventFactory(slug="public")
    age_the_record()
    assert result_slugs(api_client.get(EVENTS)) == ["public"]
    EventFactory(slug="draft", status=Event.Status.DRAFT)
    session = Client()
    session.force_login(curator_user)
    assert sorted(result_slugs(session.get(EVENTS))) == ["draft", "public"]


def test_a_cached_answer_carries_the_cors_headers_of_the_origin_asking(api_client):
    EventFactory()
    age_the_record()
    allowed, other = "https://app.example.org", "https://evil.example.net"
    with override_settings(CORS_ALLOWED_ORIGINS=[allowed]):
        api_client.get(EVENTS, headers={"Origin": other})  # fills the cache
        hit, queries = queries_of(api_client, EVENTS, origin=allowed)
        assert (hit.status_code, queries) == (200, 0)
        assert hit["Access-Control-Allow-Origin"] == allowed
        assert "origin" in hit["Vary"].lower()
        _hit, queries = queries_of(api_client, EVENTS, origin=other)
        assert queries == 0 and "Access-Control-Allow-Origin" not in _hit


@override_settings(API_CACHE_SECONDS=0)
def test_the_cache_can_be_turned_off(api_client):
    EventFactory()
    age_the_record()
    api_client.get(EVENTS)
    _response, queries = queries_of(api_client, EVENTS)
    assert queries > 2


def test_an_answer_asked_for_through_another_host_or_scheme_is_not_served_to_this_one(api_client):
    """A client choosing its own Host or X-Forwarded-Proto must not plant links in everyone's answers."""
    EventFactory(slug="waic", title_en="WAIC")
    age_the_record()
    with override_settings(ALLOWED_HOSTS=["testserver", "other.example"]):
        poisoned = api_client.get(EVENTS + "?limit=1", headers={"Host": "other.example"})
        plain = api_client.get(EVENTS + "?limit=1")
        secure = api_client.get(EVENTS + "?limit=1", secure=True)
    assert poisoned.status_code == plain.status_code == secure.status_code == 200
    assert "other.example" in poisoned.content.decode()
    assert "other.example" not in plain.content.decode()
    assert "http://testserver/" in plain.content.decode()
    assert "https://testserver/" in secure.content.decode()
    assert "http://testserver/" not in secure.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite commits one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_a_change_committed_by_a_long_transaction_is_not_hidden_by_a_cached_answer(api_client):
    """A transaction that began before the newest public change commits later: its change is dated
    earlier, so it does not move the key. Nothing may be cached under that key while it runs."""
    written, release = threading.Event(), threading.Event()

    def long_transaction() -> None:
        try:
            with transaction.atomic():
                TagFactory(slug="slow")
                written.set()
                release.wait(timeout=30)
        finally:
            connection.close()  # the thread's own connection

    thread = threading.Thread(target=long_transaction)
    thread.start()
    try:
        assert written.wait(timeout=30)
        TagFactory(slug="quick")
        before = [tag["slug"] for tag in api_client.get(TAGS).json()["results"]]
        assert before == [tag["slug"] for tag in api_client.get(TAGS).json()["results"]] == ["quick"]
    finally:
        release.set()
        thread.join(timeout=30)
    assert sorted(tag["slug"] for tag in api_client.get(TAGS).json()["results"]) == ["quick", "slow"]
