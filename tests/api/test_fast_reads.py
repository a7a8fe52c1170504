"""The thin path for anonymous event reads (events/api/fast.py) answers byte for byte what DRF does."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from events.api.views import EventViewSet
from events.selectors.changes import HISTORY_TABLES
from tests.factories import (
    ActorFactory,
    CitationFactory,
    EventFactory,
    EventRelationFactory,
    LocationFactory,
    ParticipationFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"
COMPARED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "ETag",
    "Last-Modified",
    "Vary",
    "Cache-Control",
    "Allow",
    "Access-Control-Allow-Origin",
)


@pytest.fixture
def record() -> dict[str, Any]:
    """Events with everything the representation renders, in both languages, dated and related."""
    tag, location = TagFactory(slug="policy"), LocationFactory(slug="shanghai")
    busy, rare = ActorFactory(slug="busy"), ActorFactory(slug="rare")
    events = []
    for number in range(1, 13):
        event = EventFactory(
            slug=f"e{number}",
            title_en=f"Event {number}",
            title_zh=f"事件{number}",
            date=f"20{10 + number % 6}-0{1 + number % 9}-1{number % 9}",
            location=location if number % 2 else None,
            tags=[tag] if number % 3 else [],
        )
        ParticipationFactory(event=event, actor=busy)
        if number % 4 == 0:
            ParticipationFactory(event=event, actor=rare, role="speaker")
        CitationFactory(event=event)
        if events:
            EventRelationFactory(from_event=event, to_event=events[-1])
        events.append(event)
    EventFactory(slug="draft", status="draft")
    # Dated a minute back: Last-Modified is left out while the newest change's second is not over,
    # which could differ between the two answers compared.
    for table in HISTORY_TABLES:
        table.model._default_manager.update(history_date=timezone.now() - timedelta(minutes=1))
    return {"first": events[0]}


def answer(client: APIClient, url: str, fast: bool, **headers: str) -> tuple[Any, bool]:
    """The answer to ``url`` with the thin path on or off, and whether DRF's view ran."""
    ran: list[bool] = []
    original = EventViewSet.initial

    def initial(self: Any, *args: Any, **kwargs: Any) -> None:
        ran.append(True)
        original(self, *args, **kwargs)

    EventViewSet.initial = initial  # type: ignore[method-assign]
    try:
        with override_settings(API_FAST_READS=fast, API_CACHE_SECONDS=0):
            response = client.get(url, headers=headers)
    finally:
        EventViewSet.initial = original  # type: ignore[method-assign]
    return response, bool(ran)


def assert_same(client: APIClient, url: str, *, handled: bool, **headers: str) -> Any:
    fast, drf_ran_for_fast = answer(client, url, True, **headers)
    slow, drf_ran = answer(client, url, False, **headers)
    assert drf_ran
    assert drf_ran_for_fast is not handled, f"{url}: the thin path {'missed' if handled else 'took'} it"
    assert fast.status_code == slow.status_code, url
    assert fast.content == slow.content, url
    for name in COMPARED_HEADERS:
        assert fast.get(name) == slow.get(name), f"{url}: {name}"
    return fast


LISTS = [
    "",
    "?limit=3",
    "?limit=1&offset=2",
    "?ordering=-date&limit=50",
    "?ordering=date",
    "?ordering=updated&limit=4",
    "?ordering=-updated",
    "?lang=zh-hans",
    "?lang=zh-hant&limit=2",
    "?actor=busy&date_from=2010&date_to=2015&limit=50",
    "?actor=rare",
    "?actor=busy&actor=rare&role=speaker",
    "?tag=policy&location=shanghai",
    "?date_from=2012-03&date_match=within",
    "?q=Event%201",
    "?q=%E4%BA%8B%E4%BB%B6",
    "?type=other",
    "?precision=day",
    "?updated_since=2020-01-01T00:00:00Z",
]
BAD_LISTS = [
    "?limit=0",
    "?limit=abc",
    "?limit=100000",
    "?offset=-1",
    "?ordering=sideways",
    "?cursor=not-a-cursor",
    "?date_from=2015-13",
    "?actor=nobody",
    "?tag=nothing-here",
    "?unknown=1",
    "?lang=fr",
    "?date_from=2016&date_to=2012",
]


@pytest.mark.parametrize("query", LISTS)
def test_a_list_answers_as_drf_does(api_client, record, query):
    assert_same(api_client, EVENTS + query, handled=True)


@pytest.mark.parametrize("query", BAD_LISTS)
def test_bad_input_gets_drf_s_400(api_client, record, query):
    assert assert_same(api_client, EVENTS + query, handled=False).status_code == 400


@pytest.mark.parametrize("language", ["zh-TW", "zh-CN,zh;q=0.9", "en-GB", "fr"])
def test_accept_language_is_honoured_the_same(api_client, record, language):
    assert_same(api_client, EVENTS + "?limit=5", handled=True, accept_language=language)
    assert_same(api_client, f"{EVENTS}e3/", handled=True, accept_language=language)


@pytest.mark.parametrize("ordering", ["date", "-date", "updated", "-updated"])
def test_cursor_pages_forward_and_back_answer_as_drf_does(api_client, record, ordering):
    url = f"{EVENTS}?ordering={ordering}&limit=5&actor=busy"
    pages = 0
    while url:
        body = assert_same(api_client, url, handled=True).json()
        pages += 1
        url = body["next"] and urlsplit(body["next"])._replace(scheme="", netloc="").geturl()
    assert pages == 3
    previous = body["previous"]
    assert previous
    assert_same(api_client, urlsplit(previous)._replace(scheme="", netloc="").geturl(), handled=True)


@pytest.mark.parametrize("key", ["e1", "e7", "missing", "draft", "99999999999999999999"])
@pytest.mark.parametrize("query", ["", "?lang=zh-hant", "?lang=xx", "?actor=busy", "?format=json"])
def test_a_detail_answers_as_drf_does(api_client, record, key, query):
    exists = key in ("e1", "e7")
    handled = exists and query in ("", "?lang=zh-hant")
    assert_same(api_client, f"{EVENTS}{key}/{query}", handled=handled)


def test_what_the_thin_path_leaves_to_drf(api_client, record):
    for query in ("?count=true", "?format=json"):
        assert_same(api_client, EVENTS + query, handled=False)
    assert_same(api_client, EVENTS, handled=False, accept="text/html")
    assert_same(api_client, EVENTS, handled=False, if_none_match='"x"')
    with override_settings(CORS_ALLOWED_ORIGINS=["https://app.example.org"]):
        assert_same(api_client, EVENTS, handled=True, origin="https://app.example.org")


@pytest.mark.parametrize("lang", ["en", "zh-hans", "zh-hant"])
@pytest.mark.parametrize("json_in_database", [True, False])
def test_the_thin_path_costs_no_more_queries_and_one_for_the_page_on_postgresql(
    api_client, record, lang, json_in_database
):
    with (
        override_settings(API_CACHE_SECONDS=0, API_JSON_IN_DATABASE=json_in_database),
        CaptureQueriesContext(connection) as fast,
    ):
        fast_answer = api_client.get(EVENTS, {"limit": 5, "lang": lang})
    with (
        override_settings(API_CACHE_SECONDS=0, API_FAST_READS=False),
        CaptureQueriesContext(connection) as slow,
    ):
        slow_answer = api_client.get(EVENTS, {"limit": 5, "lang": lang})
    assert fast_answer.content == slow_answer.content
    assert len(slow) == 6  # the page, its four embedded relations, the newest change
    # PostgreSQL writes the page's events as JSON in one statement after their keys, but in
    # traditional Chinese (OpenCC's).
    in_database = connection.vendor == "postgresql" and lang != "zh-hant" and json_in_database
    assert len(fast) == (3 if in_database else len(slow))


@override_settings(API_ANON_THROTTLE_RATE="2/minute", API_CACHE_SECONDS=0)
def test_anonymous_reads_on_the_thin_path_are_throttled(record):
    client = APIClient(REMOTE_ADDR="203.0.113.9")
    assert [client.get(f"{EVENTS}?limit={size}").status_code for size in (1, 2, 3)] == [200, 200, 429]
