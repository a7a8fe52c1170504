"""What every feed shares: media types, file names, the API's filters and errors, validators, the cap."""

from __future__ import annotations

import json
from typing import Any

import pytest

from events.models import Event
from tests.factories import EventFactory
from tests.feeds.conftest import (
    DOCUMENT_FORMATS,
    FORMATS,
    PUBLISHED_SLUGS,
    STREAMED_FORMATS,
    body_of,
    feed_url,
)

CONTENT_TYPES = {
    "timelinejs": "application/json",
    "vis": "application/json",
    "ics": "text/calendar",
    "csv": "text/csv",
    "ndjson": "application/x-ndjson",
    "jsonld": "application/ld+json",
}


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, body_of(response)
    body = json.loads(body_of(response))
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message", "fields"}, body
    return body["error"]


def slugs_in(name: str, body: bytes) -> set[str]:
    """The event slugs a feed body names, whatever its format."""
    text = body.decode("utf-8-sig")
    if name == "ndjson":
        return {json.loads(line)["slug"] for line in text.splitlines()}
    if name == "csv":
        import csv
        import io

        return {row["slug"] for row in csv.DictReader(io.StringIO(text))}
    if name == "ics":
        from icalendar import Calendar

        from events.models import Event

        uids = {str(component["uid"]).split("@")[0] for component in Calendar.from_ical(body).walk("VEVENT")}
        return {event.slug for event in Event.objects.all() if f"event-{event.pk}" in uids}
    if name == "vis":
        return {item["slug"] for item in json.loads(text)["items"]}
    if name == "jsonld":
        return {node["identifier"] for node in json.loads(text)["@graph"]}
    if name == "timelinejs":
        headlines = {event["text"]["headline"] for event in json.loads(text)["events"]}
        from events.models import Event

        return {event.slug for event in Event.objects.all() if event.title_en in headlines}
    raise AssertionError(f"no reader for {name}")


@pytest.mark.parametrize("name", FORMATS)
def test_each_feed_has_its_media_type_and_file_name(client: Any, dated_record: Any, name: str) -> None:
    response = client.get(feed_url(name))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(CONTENT_TYPES[name])
    assert "filename=" in response["Content-Disposition"]
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize("name", FORMATS)
def test_each_feed_serves_every_published_event_and_no_draft(
    client: Any, dated_record: Any, name: str
) -> None:
    assert slugs_in(name, body_of(client.get(feed_url(name)))) == PUBLISHED_SLUGS


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize(
    "query", ["actor=xi-jinping", "type=conference", "date_from=2025-07&date_to=2025-07", "q=April"]
)
def test_each_feed_serves_the_events_of_the_paginated_api(
    client: Any, dated_record: Any, name: str, query: str
) -> None:
    api = client.get(f"/api/v1/events/?{query}&limit=500").json()
    expected = {item["slug"] for item in api["results"]}
    assert expected, "the filter should match something, or the comparison proves little"
    assert slugs_in(name, body_of(client.get(f"{feed_url(name)}?{query}"))) == expected


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("date_from=Octember", "date_from"),
        ("actor=nobody", "actor"),
        ("colour=red", "colour"),
        ("lang=fr", "lang"),
        ("cursor=abc", "cursor"),  # a feed is not paged: paging parameters are refused, not ignored
        ("limit=-1", "limit"),
        ("limit=50", "limit"),
        ("format=xml", "format"),
    ],
)
def test_bad_input_is_a_400_in_the_api_error_shape(
    client: Any, dated_record: Any, name: str, query: str, field: str
) -> None:
    error = error_of(client.get(f"{feed_url(name)}?{query}"), 400)
    assert field in error["fields"]
    assert field in error["message"]


@pytest.mark.parametrize("name", FORMATS)
def test_a_client_holding_the_current_etag_gets_a_304(client: Any, dated_record: Any, name: str) -> None:
    first = client.get(feed_url(name))
    etag = first["ETag"]
    again = client.get(feed_url(name), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag


@pytest.mark.parametrize("name", FORMATS)
def test_the_etag_changes_when_the_record_changes(client: Any, dated_record: Any, name: str) -> None:
    etag = client.get(feed_url(name))["ETag"]
    event = dated_record["day"]
    event.title_en = "A renamed day"
    event.save()
    assert client.get(feed_url(name), HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.parametrize("name", FORMATS)
def test_a_draft_edit_moves_no_validator_of_the_public(client: Any, dated_record: Any, name: str) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from events.selectors.changes import HISTORY_TABLES

    for table in HISTORY_TABLES:  # an hour old, so that answers carry a Last-Modified
        table.model._default_manager.update(history_date=timezone.now() - timedelta(hours=1))
    first = client.get(feed_url(name))
    draft = Event.objects.get(status=Event.Status.DRAFT)
    draft.title_en = "A draft, edited"
    draft.save()
    again = client.get(feed_url(name), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["Last-Modified"] == first["Last-Modified"]


@pytest.mark.parametrize("name", FORMATS)
def test_the_language_is_the_apis_choice(client: Any, dated_record: Any, name: str) -> None:
    response = client.get(f"{feed_url(name)}?lang=zh-hant&actor=xi-jinping")
    assert response["Content-Language"] == "zh-Hant"
    assert "一天" in body_of(response).decode("utf-8-sig") or name == "ics"


@pytest.mark.parametrize("name", DOCUMENT_FORMATS)
def test_a_document_feed_past_its_cap_asks_to_narrow_the_filter(
    client: Any, dated_record: Any, name: str, settings: Any
) -> None:
    settings.FEEDS_MAX_EVENTS = 3
    error = error_of(client.get(feed_url(name)), 400)
    assert error["code"] == "too_many_events"
    assert "Narrow the filter" in error["message"]
    assert client.get(f"{feed_url(name)}?type=conference").status_code == 200


@pytest.mark.parametrize("name", STREAMED_FORMATS)
def test_a_streamed_feed_has_no_cap_and_streams(
    client: Any, dated_record: Any, name: str, settings: Any
) -> None:
    settings.FEEDS_MAX_EVENTS = 3
    EventFactory.create_batch(5, date="2022")
    response = client.get(feed_url(name))
    assert response.status_code == 200
    assert response.streaming
    assert len(slugs_in(name, body_of(response))) == len(PUBLISHED_SLUGS) + 5


@pytest.mark.parametrize("name", FORMATS)
def test_a_feeds_query_count_does_not_grow_with_the_number_of_events(client: Any, db: Any, name: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import CitationFactory, ParticipationFactory

    def queries_for(count: int) -> int:
        for _ in range(count):
            event = EventFactory()
            ParticipationFactory(event=event)
            CitationFactory(event=event)
        with CaptureQueriesContext(connection) as captured:
            assert len(body_of(client.get(feed_url(name)))) > 0
        return len(captured)

    few = queries_for(2)
    many = queries_for(10)
    assert few == many, f"{name}: {few} queries for 2 events but {many} for 12: something is read per event"


@pytest.mark.parametrize("name", FORMATS)
def test_a_feed_answers_its_own_format_parameter(client: Any, dated_record: Any, name: str) -> None:
    assert client.get(f"{feed_url(name)}?format={name}").status_code == 200


def test_the_vis_feed_reads_nothing_it_does_not_show(client: Any, dated_record: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(feed_url("vis")).status_code == 200
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    # On PostgreSQL a query run before on this connection is sent as EXECUTE timeline_<name>_<size>.
    for table, name in [
        ("events_citation", "citations"),
        ("events_eventrelation", "relations"),
        ("events_event_tags", "tags"),
        ("events_participation", "actors"),
    ]:
        assert table not in sql and f"timeline_{name}" not in sql, (
            f"the vis feed read {table}, which it does not show"
        )
    assert "summary_en" not in sql
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"{feed_url('vis')}?group_by=actor").status_code == 200
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "events_participation" in sql or "timeline_actors" in sql
