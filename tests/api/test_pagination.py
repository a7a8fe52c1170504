"""limit/offset pagination: count, next, previous, the default and maximum, and 400s for bad values."""

import pytest

from events.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from tests.api.conftest import error_of, result_slugs
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"


@pytest.fixture
def five_events():
    return [EventFactory(slug=f"e{day}", date=f"2025-07-{day:02d}") for day in range(1, 6)]


def test_limit_and_offset_page_through_with_links(api_client, five_events):
    body = api_client.get(EVENTS, {"limit": 2, "offset": 2, "date_from": "2025"}).json()
    assert body["count"] == 5
    assert [event["slug"] for event in body["results"]] == ["e3", "e4"]
    assert body["next"] == "http://testserver/api/v1/events/?date_from=2025&limit=2&offset=4"
    assert body["previous"] == "http://testserver/api/v1/events/?date_from=2025&limit=2"


def test_the_default_limit_is_50_and_the_maximum_500(api_client, five_events):
    assert (DEFAULT_LIMIT, MAX_LIMIT) == (50, 500)
    body = api_client.get(EVENTS).json()
    assert (body["count"], body["next"], body["previous"]) == (5, None, None)
    assert len(result_slugs(api_client.get(EVENTS, {"limit": MAX_LIMIT}))) == 5


def test_an_offset_past_the_end_is_an_empty_page(api_client, five_events):
    assert result_slugs(api_client.get(EVENTS, {"offset": 10})) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [("limit", "501"), ("limit", "0"), ("limit", "-1"), ("limit", "ten"), ("offset", "-1"), ("offset", "x")],
)
def test_a_bad_limit_or_offset_is_a_400_naming_it(api_client, five_events, name, value):
    error = error_of(api_client.get(EVENTS, {name: value}), 400)
    assert list(error["fields"]) == [name]
    assert error["message"].startswith(f"{name}:")


def test_every_list_is_paginated(api_client):
    for resource in ("events", "actors", "sources", "locations", "tags"):
        body = api_client.get(f"/api/v1/{resource}/").json()
        assert set(body) == {"count", "next", "previous", "results"}
        assert list(error_of(api_client.get(f"/api/v1/{resource}/", {"limit": 1000}), 400)["fields"]) == [
            "limit"
        ]
