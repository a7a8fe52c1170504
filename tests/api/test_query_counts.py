"""Bounded queries: every list endpoint issues the same, pinned number of SQL queries at any page size.

If a count here changes, look at the captured queries in the failure message first. A count that now
grows with the page size means a serializer reads a relation the selector does not prefetch: add the
prefetch (events/selectors/), do not raise the number. A count that changed by a constant because a
representation gained a prefetched relation may be updated here, with the reason in the commit.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event
from tests.factories import (
    ActorAliasFactory,
    ActorFactory,
    CitationFactory,
    EventFactory,
    EventRelationFactory,
    LocationFactory,
    ParticipationFactory,
    SourceFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

SMALL, LARGE = 2, 20

# Every answer's Last-Modified: the newest history row (events/api/conditional.py).
LAST_MODIFIED = 1
# Anonymous event list: page (with its location), tags, participations+actors,
# citations+sources+publishers, relations+events either way. No count unless asked.
EVENT_LIST_QUERIES = 5 + LAST_MODIFIED
# A curator's token (1 query) and permissions (user and group permissions: 2) come on top.
EVENT_LIST_QUERIES_CURATOR = EVENT_LIST_QUERIES + 3
# The anonymous reader's list and detail in English or simplified Chinese: on PostgreSQL the page's
# keys, then its events with all they embed as JSON from one statement (events/read/json_sql.py).
PUBLIC_EVENT_QUERIES = (2 if connection.vendor == "postgresql" else 5) + LAST_MODIFIED
# One event: on PostgreSQL its lookup and its JSON are one prepared statement.
PUBLIC_DETAIL_QUERIES = (1 if connection.vendor == "postgresql" else 5) + LAST_MODIFIED
ACTOR_LIST_QUERIES = 2 + LAST_MODIFIED  # page with the visible-event count, aliases
SOURCE_LIST_QUERIES = 1 + LAST_MODIFIED  # page with publishers
TAG_LIST_QUERIES = 1 + LAST_MODIFIED  # page
LOCATION_LIST_QUERIES = 1 + LAST_MODIFIED  # page
COUNT = 1  # count=true adds one query


def assert_query_count(client: Any, url: str, expected: int, page_size: int, **params: Any) -> None:
    # The test client's data replaces the URL's own query string: both are passed as data.
    path, _, query = url.partition("?")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {**dict(parse_qsl(query)), "limit": page_size, **params})
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == page_size
    queries = "\n".join(
        f"  {index}. {query['sql']}" for index, query in enumerate(captured.captured_queries, 1)
    )
    assert len(captured) == expected, (
        f"GET {url} with {page_size} results issued {len(captured)} queries, expected {expected}. "
        "If the count grows with the page size, prefetch what the serializer reads (see this module's "
        f"docstring) rather than raising the pinned number.\n{queries}"
    )


def make_full_events(count: int) -> None:
    """Events with everything the representation renders: location, tags, actors, citations, relations."""
    previous = None
    for _ in range(count):
        event = EventFactory(location=LocationFactory(), tags=[TagFactory(), TagFactory()])
        actor = ActorFactory()
        ActorAliasFactory(actor=actor)
        ParticipationFactory(event=event, actor=actor)
        ParticipationFactory(event=event, role="speaker")
        CitationFactory(event=event)
        CitationFactory(event=event, source=SourceFactory(publisher=None))
        if previous is not None:
            EventRelationFactory(from_event=event, to_event=previous)
        previous = event


PUBLIC_LISTS = {
    "events": ("/api/v1/events/", PUBLIC_EVENT_QUERIES),
    "events in traditional Chinese with a search": (
        "/api/v1/events/?lang=zh-hant&q=Event&date_from=2025",
        EVENT_LIST_QUERIES,
    ),
    "actors": ("/api/v1/actors/", ACTOR_LIST_QUERIES),
    "sources": ("/api/v1/sources/", SOURCE_LIST_QUERIES),
    "tags": ("/api/v1/tags/", TAG_LIST_QUERIES),
    "locations": ("/api/v1/locations/", LOCATION_LIST_QUERIES),
}


@pytest.mark.parametrize("page_size", [SMALL, LARGE])
@pytest.mark.parametrize("url, expected", PUBLIC_LISTS.values(), ids=PUBLIC_LISTS.keys())
def test_public_list_queries_are_bounded(api_client, url, expected, page_size):
    make_full_events(LARGE)
    assert_query_count(api_client, url, expected, page_size)


@pytest.mark.parametrize("page_size", [SMALL, LARGE])
def test_event_list_queries_are_bounded_for_curators(curator_client, page_size):
    make_full_events(LARGE)
    assert_query_count(curator_client, "/api/v1/events/", EVENT_LIST_QUERIES_CURATOR, page_size)


@pytest.mark.parametrize("page_size", [SMALL, LARGE])
def test_event_list_queries_are_bounded_on_a_cursor_page_and_with_a_count(api_client, page_size):
    make_full_events(2 * LARGE)
    first = api_client.get("/api/v1/events/", {"limit": page_size}).json()
    cursor = first["next"].split("cursor=")[1].split("&")[0]
    assert_query_count(api_client, "/api/v1/events/", PUBLIC_EVENT_QUERIES, page_size, cursor=cursor)
    # A count is DRF's to answer (events/api/fast.py), with the representation built in Python.
    assert_query_count(api_client, "/api/v1/events/", EVENT_LIST_QUERIES + COUNT, page_size, count="true")


def test_an_event_detail_costs_a_fixed_number_of_queries(api_client):
    make_full_events(3)
    event = Event.objects.order_by("id")[1]
    with CaptureQueriesContext(connection) as captured:
        response = api_client.get(f"/api/v1/events/{event.slug}/")
    assert response.status_code == 200, response.content
    assert len(response.json()["related"]) == 2
    assert len(captured) == PUBLIC_DETAIL_QUERIES, "\n".join(
        query["sql"] for query in captured.captured_queries
    )
