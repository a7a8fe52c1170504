"""The limit app gives the same answer as the API: same events, same representation (on PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.db.models import Count
from rest_framework.test import APIClient

from bench import limit_app
from events.models import Actor, Event, EventRelation
from events.services.synthetic import synthetic_record_generate

pytestmark = pytest.mark.django_db


def limit_answer(path: str, query: str = "") -> tuple[str, Any]:
    answered: dict[str, str] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answered["status"] = status

    body = limit_app.application(
        {"PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": "testserver"}, start_response
    )
    return answered["status"], json.loads(b"".join(body))


@pytest.fixture
def record(db: Any) -> Iterator[None]:
    if connection.vendor != "postgresql":
        pytest.skip("the limit app is PostgreSQL SQL (json_build_object); run with DATABASE_URL=postgres://…")
    synthetic_record_generate(events=400, actors=40, sources=80, seed=4)
    connection.ensure_connection()
    limit_app._connection = connection.connection  # the test's transaction: it sees the generated rows
    yield
    limit_app._connection = None


def test_the_inverse_relation_names_are_the_models() -> None:
    assert limit_app.INVERSE == EventRelation.INVERSE


def test_the_limit_app_refuses_what_it_does_not_answer() -> None:
    status, body = limit_answer("/api/v1/events/", "status=draft")
    assert status.startswith("400") and "status" in body["detail"]


def test_event_details_are_the_same_as_the_api(record: None) -> None:
    published = Event.objects.published()
    examples = [
        published.filter(relations_in__isnull=False).first(),
        published.filter(relations_out__isnull=False).first(),
        published.filter(location=None).first(),
        published.filter(date__endswith="/..").first() or published.filter(date__startswith="../").first(),
        published.filter(date__contains="~").first(),
        published.filter(citations__source__publisher=None).first(),
    ]
    client = APIClient()
    for event in examples:
        assert event is not None
        status, body = limit_answer(f"/api/v1/events/{event.id}/")
        assert status == "200 OK"
        assert body == client.get(f"/api/v1/events/{event.id}/").json()
    draft = Event.objects.filter(status="draft").first()
    assert draft is not None and limit_answer(f"/api/v1/events/{draft.id}/")[0].startswith("404")


@pytest.mark.parametrize(
    "parameters",
    [
        {"date_from": "2010", "date_to": "2022", "limit": "50"},
        {"ordering": "-date", "limit": "30"},
        {"q": "峰会", "limit": "20"},
        {"q": "峰會 delegates", "limit": "20", "offset": "5"},
    ],
)
def test_event_lists_are_the_same_as_the_api(record: None, parameters: dict[str, str]) -> None:
    busiest = Actor.objects.annotate(n=Count("participations")).order_by("-n").first()
    assert busiest is not None
    if "date_from" in parameters:
        parameters = {"actor": busiest.slug, **parameters}
    status, body = limit_answer("/api/v1/events/", urlencode(parameters))
    expected = APIClient().get("/api/v1/events/", parameters).json()
    assert status == "200 OK"
    assert expected["results"], "the example should find events"
    assert body["results"] == expected["results"]
    assert (body["next"] is None) == (expected["next"] is None)
