"""GET /api/v1/events/histogram/: counts per period that add up, partial dates in their own buckets."""

from __future__ import annotations

from typing import Any

import pytest

from events.models import Event
from tests.api.conftest import error_of
from tests.factories import ActorFactory, EventFactory, ParticipationFactory

URL = "/api/v1/events/histogram/"


@pytest.fixture
def record(db: Any) -> None:
    xi = ActorFactory(slug="xi-jinping")
    EventFactory(date="2023-10-18", type="speech")
    EventFactory(date="2023-10-20", type="speech")
    EventFactory(date="2023-10", type="announcement")  # known to the month only
    EventFactory(date="2023", type="policy")  # known to the year only
    ParticipationFactory(event=EventFactory(date="2025-07-26/2025-07-28", type="conference"), actor=xi)
    EventFactory(date="2025-07-27", status=Event.Status.DRAFT)


def buckets(api_client: Any, query: str) -> list[dict[str, Any]]:
    response = api_client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.content
    return response.json()["buckets"]


@pytest.mark.parametrize("interval", ["year", "month", "day"])
def test_counts_add_up_to_the_events_of_the_list(api_client: Any, record: None, interval: str) -> None:
    body = api_client.get(f"{URL}?interval={interval}").json()
    listed = api_client.get("/api/v1/events/?count=true").json()["count"]
    assert body["total"] == listed == 5  # the draft is not public
    assert sum(bucket["count"] for bucket in body["buckets"]) + body["undated"] == listed


def test_an_event_coarser_than_the_interval_gets_its_own_bucket(api_client: Any, record: None) -> None:
    by_day = {(b["period"], b["precision"]): b["count"] for b in buckets(api_client, "interval=day")}
    assert by_day == {
        ("2023", "year"): 1,
        ("2023-10", "month"): 1,
        ("2023-10-18", "day"): 1,
        ("2023-10-20", "day"): 1,
        ("2025-07-26", "day"): 1,  # a range counts once, at its start
    }
    by_month = [(b["period"], b["count"]) for b in buckets(api_client, "interval=month")]
    assert by_month == [("2023", 1), ("2023-10", 3), ("2025-07", 1)]


def test_the_event_filters_apply(api_client: Any, record: None) -> None:
    assert [(b["period"], b["count"]) for b in buckets(api_client, "interval=year&actor=xi-jinping")] == [
        ("2025", 1)
    ]


def test_group_by_splits_each_bucket(api_client: Any, record: None) -> None:
    (october,) = [b for b in buckets(api_client, "interval=month&group_by=type") if b["period"] == "2023-10"]
    assert october["groups"] == [{"key": "speech", "count": 2}, {"key": "announcement", "count": 1}]
    (july,) = [b for b in buckets(api_client, "interval=month&group_by=actor") if b["period"] == "2025-07"]
    assert july["groups"] == [{"key": "xi-jinping", "count": 1}]


@pytest.mark.parametrize(
    ("query", "field"),
    [("interval=week", "interval"), ("group_by=colour", "group_by"), ("date_to=x", "date_to")],
)
def test_bad_parameters_are_a_400(api_client: Any, db: Any, query: str, field: str) -> None:
    assert field in error_of(api_client.get(f"{URL}?{query}"), 400)["fields"]
