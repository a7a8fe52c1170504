"""The event filters are applied in one place (events/read/query.py): the API's list, the histogram and
the feeds find the same events, and refuse bad input with the same messages."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.utils.http import urlencode

from events.read.query import InvalidEventQuery, event_query
from tests.api.conftest import error_of
from tests.factories import ActorFactory, EventFactory, ParticipationFactory, TagFactory

pytestmark = pytest.mark.django_db

GOOD = [
    {},
    {"type": "speech"},
    {"actor": "minister", "role": "speaker"},
    {"date_from": "2023", "date_to": "October 2024", "ordering": "-date"},
    {"tag": "peace", "q": "summit"},
    {"date_from": "2024", "date_match": "within", "ordering": "-updated"},
]
BAD = [
    {"date_from": "someday"},
    {"type": "nonsense"},
    {"actor": "nobody"},
    {"colour": "red"},
    {"date_from": "2025", "date_to": "2020"},
    {"status": "draft"},
]


@pytest.fixture(autouse=True)
def record() -> None:
    minister, peace = ActorFactory(slug="minister"), TagFactory(slug="peace")
    for year in range(2020, 2026):
        event = EventFactory(
            date=f"{year}-10", title_en=f"Summit {year}", type="speech" if year % 2 else "meeting"
        )
        if year % 3:
            ParticipationFactory(event=event, actor=minister, role="speaker")
        if year > 2022:
            event.tags.add(peace)
    EventFactory(status="draft", date="2023", type="speech", title_en="Draft summit")


def api_ids(client, params) -> list[int]:
    return [item["id"] for item in client.get("/api/v1/events/", {**params, "limit": 100}).json()["results"]]


def feed_ids(client, params) -> list[int]:
    response = client.get("/api/v1/feeds/ndjson/", params)
    assert response.status_code == 200, response.content
    return [json.loads(line)["id"] for line in b"".join(response.streaming_content).decode().splitlines()]


@pytest.mark.parametrize("params", GOOD)
def test_the_list_the_histogram_and_the_feeds_find_the_same_events_in_the_same_order(api_client, params):
    expected = list(
        event_query(QueryDict(urlencode(params)), user=AnonymousUser()).values_list("id", flat=True)
    )
    assert api_ids(api_client, params) == expected
    assert feed_ids(api_client, params) == expected
    histogram = api_client.get("/api/v1/events/histogram/", {**params, "interval": "year"}).json()
    assert histogram["total"] == len(expected)


@pytest.mark.parametrize("params", BAD)
def test_the_list_the_histogram_and_the_feeds_refuse_bad_input_with_the_same_messages(api_client, params):
    with pytest.raises(InvalidEventQuery) as raised:
        event_query(QueryDict(urlencode(params)), user=AnonymousUser())
    expected = raised.value.messages()
    assert expected
    for url in (
        "/api/v1/events/",
        "/api/v1/events/histogram/",
        "/api/v1/feeds/ndjson/",
        "/api/v1/feeds/vis/",
    ):
        fields = error_of(api_client.get(url, params), 400)["fields"]
        for name, messages in expected.items():
            assert fields[name][0].startswith(messages[0].split(" The parameters here are:")[0]), (url, name)


def test_each_public_read_gets_its_own_copy_of_the_public_events():
    """The public's queryset is built once per process: every reader gets a copy, so one reader's
    evaluated rows or filters never reach the next (a new event is seen at once)."""
    from events.selectors.events import event_list

    EventFactory(slug="first")
    earlier = event_list(user=AnonymousUser())
    assert "first" in [event.slug for event in earlier]
    narrowed = event_list(user=AnonymousUser()).filter(slug="first")
    EventFactory(slug="second")
    later = [event.slug for event in event_list(user=AnonymousUser())]
    assert narrowed.count() == 1
    assert "first" in later and "second" in later
