"""Fixtures for the feed tests: a small record with every kind of date, and a helper to fetch a feed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from events.models import Event, Participation
from tests.factories import ActorFactory, CitationFactory, EventFactory, ParticipationFactory

FORMATS = ("timelinejs", "vis", "ics", "csv", "ndjson", "jsonld")
DOCUMENT_FORMATS = ("timelinejs", "vis", "jsonld")
STREAMED_FORMATS = ("ics", "csv", "ndjson")


def feed_url(name: str) -> str:
    return f"/api/v1/feeds/{name}/"


def body_of(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def dated_record(db: Any) -> dict[str, Event]:
    """Published events with a day, a month, an approximate year, an uncertain month, a day range, an open
    interval, plus a draft that no feed may show."""
    xi = ActorFactory(slug="xi-jinping", name_en="Xi Jinping", name_zh="习近平")
    un = ActorFactory(slug="un", name_en="United Nations", kind="international_organization")
    events = {
        "day": EventFactory(slug="day", date="2025-07-26", title_en="A day", title_zh="一天", type="speech"),
        "month": EventFactory(slug="month", date="2023-10", title_en="A month", type="announcement"),
        "approx-year": EventFactory(slug="approx-year", date="2024~", title_en="About a year", type="policy"),
        "uncertain-month": EventFactory(slug="uncertain-month", date="2025-04?", title_en="Maybe April"),
        "range": EventFactory(
            slug="range", date="2025-07-26/2025-07-28", title_en="Three days", type="conference"
        ),
        "open": EventFactory(slug="open", date="2024-08-01/..", title_en="Ongoing since August 2024"),
        "draft": EventFactory(
            slug="draft", date="2025-07-27", title_en="Secret draft", status=Event.Status.DRAFT
        ),
    }
    ParticipationFactory(event=events["day"], actor=xi, role=Participation.Role.SPEAKER)
    ParticipationFactory(event=events["range"], actor=xi, role=Participation.Role.ATTENDEE)
    ParticipationFactory(event=events["range"], actor=un, role=Participation.Role.ORGANIZER)
    CitationFactory(event=events["day"], quote="习近平发表讲话", source__title="新华社报道")
    return events


# Published events always have a date (a database constraint), so every feed draws all of these.
PUBLISHED_SLUGS = {"day", "month", "approx-year", "uncertain-month", "range", "open"}
