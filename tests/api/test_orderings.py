"""Every ordering of events.orderings is a choice of ``ordering`` and pages by cursor, both ways."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.api.pagination import EVENT_KEYSETS
from events.filtersets import EventFilterSet
from events.models import Event
from events.orderings import EVENT_ORDERINGS, EventOrdering
from tests.api.conftest import error_of
from tests.factories import EventFactory, curator

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"


@pytest.fixture
def record() -> None:
    """Ties on the start (broken by the end, then by the id), a range, and undated drafts."""
    for slug, date in [
        ("a", "2025-07-03"),
        ("b", "2025-07"),
        ("c", "2025-07-03"),
        ("d", "2025-07-01/2025-07-09"),
        ("e", "2024"),
        ("f", "2025-07-03"),
        ("g", "2026-01-02"),
    ]:
        EventFactory(slug=slug, date=date, title_en=f"Summit {slug}")
    for slug in ("undated-1", "undated-2", "undated-3"):
        EventFactory(slug=slug, date="", status="draft", title_en=f"Summit {slug}")


def expected_slugs(ordering: EventOrdering, events: Any) -> list[str]:
    """The order as the declaration states it, worked out in Python: NULLs last either way."""
    rows = list(events.values("slug", *ordering.columns))
    first = ordering.columns[0]
    placed = sorted(
        (row for row in rows if row[first] is not None),
        key=lambda row: tuple(row[column] for column in ordering.columns),
        reverse=ordering.descending,
    )
    undated = sorted((row for row in rows if row[first] is None), key=lambda row: row["id"])
    return [row["slug"] for row in placed + (undated[::-1] if ordering.descending else undated)]


def pages(client: APIClient, url: str, link: str) -> list[list[str]]:
    """The pages met following ``link`` (next or previous) from ``url`` to the end."""
    seen = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        seen.append([event["slug"] for event in response.json()["results"]])
        url = response.json()[link]
    return seen


@pytest.mark.parametrize("reader", ["anonymous", "curator"])
@pytest.mark.parametrize("name", list(EVENT_ORDERINGS))
def test_every_ordering_pages_by_cursor_forward_and_back(record: None, name: str, reader: str) -> None:
    client = APIClient()
    if reader == "curator":
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=curator()).key}")
    visible = Event.objects.all() if reader == "curator" else Event.objects.published()
    expected = expected_slugs(EVENT_ORDERINGS[name], visible)

    forward = pages(client, f"{EVENTS}?ordering={name}&limit=2&q=summit", "next")
    assert [slug for page in forward for slug in page] == expected
    assert all(len(page) == 2 for page in forward[:-1])

    last_page = client.get(f"{EVENTS}?ordering={name}&limit=2&q=summit").json()
    while last_page["next"]:
        last_page = client.get(last_page["next"]).json()
    backward = pages(client, last_page["previous"], "previous") if last_page["previous"] else []
    walked_back = [slug for page in reversed(backward) for slug in page]
    assert walked_back + [event["slug"] for event in last_page["results"]] == expected


def test_the_ordering_choices_are_the_declared_orderings_and_each_has_a_keyset() -> None:
    choices = [value for value, _label in EventFilterSet.base_filters["ordering"].extra["choices"]]
    assert choices == list(EVENT_ORDERINGS)
    assert set(EVENT_KEYSETS) == set(EVENT_ORDERINGS)


def test_an_undeclared_ordering_is_a_400_naming_the_choices(api_client: APIClient) -> None:
    error = error_of(api_client.get(EVENTS, {"ordering": "title"}), 400)
    assert all(name in error["fields"]["ordering"][0] for name in EVENT_ORDERINGS)
