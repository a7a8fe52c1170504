"""Bounded queries: every list endpoint issues the same, pinned number of SQL queries at any page size.

If a count here changes, look at the captured queries in the failure message first. A count that now
grows with the page size means a serializer reads a relation the selector does not prefetch: add the
prefetch (events/selectors/), do not raise the number. A count that changed by a constant because a
representation gained a prefetched relation may be updated here, with the reason in the commit.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
# Anonymous event list: count, page, tags, participations+actors, citations+sources+publishers,
# outgoing relations+events, incoming relations+events. (location comes with the page: select_related.)
EVENT_LIST_QUERIES = 7 + LAST_MODIFIED
# A curator's token (1 query) and permissions (user and group permissions: 2) come on top.
EVENT_LIST_QUERIES_CURATOR = EVENT_LIST_QUERIES + 3
ACTOR_LIST_QUERIES = 3 + LAST_MODIFIED  # count, page with the visible-event count, aliases
SOURCE_LIST_QUERIES = 2 + LAST_MODIFIED  # count, page with publishers
TAG_LIST_QUERIES = 2 + LAST_MODIFIED  # count, page
LOCATION_LIST_QUERIES = 2 + LAST_MODIFIED  # count, page


def assert_query_count(client: Any, url: str, expected: int, page_size: int) -> None:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"limit": page_size})
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
    "events": ("/api/v1/events/", EVENT_LIST_QUERIES),
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
