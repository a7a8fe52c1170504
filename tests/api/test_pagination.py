"""Pagination: keyset cursors for events (stable while the record changes), limit/offset for reference
data, a count only when asked, and 400s for bad values."""

from urllib.parse import parse_qs, urlsplit

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from tests.api.conftest import error_of, result_slugs
from tests.factories import EventFactory, TagFactory, curator

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"


@pytest.fixture
def five_events():
    return [EventFactory(slug=f"e{day}", date=f"2025-07-{day:02d}") for day in range(1, 6)]


def follow(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


def page_slugs(body):
    return [event["slug"] for event in body["results"]]


def test_next_links_walk_every_event_once_in_order(api_client, five_events):
    body = follow(api_client, f"{EVENTS}?limit=2&date_from=2025")
    seen = page_slugs(body)
    while body["next"]:
        assert parse_qs(urlsplit(body["next"]).query)["date_from"] == ["2025"]  # the filter goes along
        body = follow(api_client, body["next"])
        seen += page_slugs(body)
    assert seen == ["e1", "e2", "e3", "e4", "e5"]


def test_previous_links_walk_back(api_client, five_events):
    first = follow(api_client, f"{EVENTS}?limit=2")
    assert first["previous"] is None
    second = follow(api_client, first["next"])
    third = follow(api_client, second["next"])
    assert (page_slugs(third), third["next"]) == (["e5"], None)
    back = follow(api_client, third["previous"])
    assert page_slugs(back) == ["e3", "e4"]
    assert page_slugs(follow(api_client, back["previous"])) == ["e1", "e2"]
    assert follow(api_client, back["previous"])["previous"] is None


def test_a_cursor_page_is_stable_while_events_are_added_before_it(api_client, five_events):
    first = follow(api_client, f"{EVENTS}?limit=2")
    EventFactory(slug="early", date="2025-06-30")  # would shift every offset by one
    assert page_slugs(follow(api_client, first["next"])) == ["e3", "e4"]


@pytest.mark.parametrize("ordering", ["-date", "updated", "-updated"])
def test_cursors_follow_every_ordering(api_client, five_events, ordering):
    everything = page_slugs(follow(api_client, f"{EVENTS}?ordering={ordering}&limit=10"))
    body = follow(api_client, f"{EVENTS}?ordering={ordering}&limit=2")
    seen = page_slugs(body)
    while body["next"]:
        body = follow(api_client, body["next"])
        seen += page_slugs(body)
    assert seen == everything
    assert sorted(seen) == ["e1", "e2", "e3", "e4", "e5"]


def test_a_curator_pages_both_ways_through_undated_drafts_after_dated_events(five_events):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=curator()).key}")
    EventFactory(slug="undated-a", date="", status="draft")
    EventFactory(slug="undated-b", date="", status="draft")
    for ordering in ("date", "-date"):
        everything = page_slugs(follow(client, f"{EVENTS}?ordering={ordering}&limit=10"))
        assert set(everything[-2:]) == {"undated-a", "undated-b"}, ordering  # undated last either way
        pages = [follow(client, f"{EVENTS}?ordering={ordering}&limit=2")]
        while pages[-1]["next"]:
            pages.append(follow(client, pages[-1]["next"]))
        assert [slug for page in pages for slug in page_slugs(page)] == everything, ordering
        back = [pages[-1]]
        while back[-1]["previous"]:
            back.append(follow(client, back[-1]["previous"]))
        assert [slug for page in reversed(back) for slug in page_slugs(page)] == everything, ordering


def test_offset_starts_a_first_page_and_next_continues_by_cursor(api_client, five_events):
    body = follow(api_client, f"{EVENTS}?limit=2&offset=2")
    assert page_slugs(body) == ["e3", "e4"]
    assert "offset" not in body["next"] and "cursor=" in body["next"]
    assert body["previous"] == "http://testserver/api/v1/events/?limit=2"
    assert page_slugs(follow(api_client, body["next"])) == ["e5"]


def test_the_count_comes_only_when_asked(api_client, five_events):
    assert "count" not in follow(api_client, EVENTS)
    assert follow(api_client, f"{EVENTS}?count=true&date_from=2025-07-03")["count"] == 3
    assert follow(api_client, "/api/v1/tags/?count=true")["count"] == 0
    assert list(error_of(api_client.get(EVENTS, {"count": "maybe"}), 400)["fields"]) == ["count"]


def test_the_default_limit_is_50_and_the_maximum_500(api_client, five_events):
    assert (DEFAULT_LIMIT, MAX_LIMIT) == (50, 500)
    body = api_client.get(EVENTS).json()
    assert (body["next"], body["previous"]) == (None, None)
    assert len(result_slugs(api_client.get(EVENTS, {"limit": MAX_LIMIT}))) == 5


def test_an_offset_past_the_end_is_an_empty_page(api_client, five_events):
    assert result_slugs(api_client.get(EVENTS, {"offset": 10})) == []


def test_reference_lists_page_by_offset(api_client):
    for number in range(3):
        TagFactory(slug=f"t{number}")
    body = follow(api_client, "/api/v1/tags/?limit=2")
    assert [tag["slug"] for tag in body["results"]] == ["t0", "t1"]
    assert body["next"] == "http://testserver/api/v1/tags/?limit=2&offset=2"
    last = follow(api_client, body["next"])
    assert ([tag["slug"] for tag in last["results"]], last["next"]) == (["t2"], None)
    assert last["previous"] == "http://testserver/api/v1/tags/?limit=2"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("limit", "501"),
        ("limit", "0"),
        ("limit", "-1"),
        ("limit", "ten"),
        ("offset", "-1"),
        ("offset", "x"),
        ("offset", "120496432144200212791966841209618432"),  # more than a database integer holds
        ("cursor", "garbage"),
        ("cursor", "eyJvIjoiZGF0ZSJ9"),  # base64 JSON, but no cursor of ours
        # A start date without its end: the date bounds are NULL together (a 500 once).
        ("cursor", "eyJvIjoiZGF0ZSIsImQiOiJuIiwiayI6WyIyMDIzLTAxLTAxIixudWxsLDVdfQ"),
        # {"o":"updated","d":"n","k":["2026-01-01T00:00:00+23:59",5]}: PostgreSQL refuses the offset.
        ("cursor", "eyJvIjoidXBkYXRlZCIsImQiOiJuIiwiayI6WyIyMDI2LTAxLTAxVDAwOjAwOjAwKzIzOjU5Iiw1XX0"),
    ],
)
def test_a_bad_limit_offset_or_cursor_is_a_400_naming_it(api_client, five_events, name, value):
    error = error_of(api_client.get(EVENTS, {name: value}), 400)
    assert list(error["fields"]) == [name]
    assert error["message"].startswith(f"{name}:")


def test_a_cursor_of_another_ordering_or_with_an_offset_is_a_400(api_client, five_events):
    next_link = follow(api_client, f"{EVENTS}?limit=2")["next"]
    cursor = parse_qs(urlsplit(next_link).query)["cursor"][0]
    error = error_of(api_client.get(EVENTS, {"cursor": cursor, "ordering": "-date"}), 400)
    assert "ordering=date" in error["fields"]["cursor"][0]
    both = api_client.get(EVENTS, {"cursor": cursor, "offset": 2})
    assert list(error_of(both, 400)["fields"]) == ["offset"]


def test_every_list_is_paginated(api_client):
    for resource in ("events", "actors", "sources", "locations", "tags"):
        body = api_client.get(f"/api/v1/{resource}/").json()
        assert set(body) == {"next", "previous", "results"}
        assert set(api_client.get(f"/api/v1/{resource}/", {"count": "1"}).json()) == {
            "count",
            "next",
            "previous",
            "results",
        }
        assert list(error_of(api_client.get(f"/api/v1/{resource}/", {"limit": 1000}), 400)["fields"]) == [
            "limit"
        ]


def test_next_links_keep_chinese_parameters_intact(api_client):
    for day in range(1, 4):
        EventFactory(title_zh=f"峰会{day}", date=f"2025-07-{day:02d}")
    body = follow(api_client, f"{EVENTS}?q=峰会&limit=2")
    assert parse_qs(urlsplit(body["next"]).query)["q"] == ["峰会"]
    assert len(follow(api_client, body["next"])["results"]) == 1
