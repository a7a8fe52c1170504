"""Each format's own rules: TimelineJS date objects, vis-timeline timestamps, iCalendar all-day events,
CSV for spreadsheets, NDJSON lines, schema.org JSON-LD."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from icalendar import Calendar

from events.models import Participation
from tests.factories import CitationFactory, EventFactory, ParticipationFactory
from tests.feeds.conftest import PUBLISHED_SLUGS, body_of, feed_url

XSS = "<img src=x onerror=alert(1)>"


def document(client: Any, name: str, query: str = "") -> Any:
    response = client.get(f"{feed_url(name)}?{query}")
    assert response.status_code == 200, body_of(response)
    return json.loads(body_of(response))


# --- TimelineJS -----------------------------------------------------------------------------------


def slides_by_id(body: dict[str, Any], record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    ids = {f"event-{event.pk}": slug for slug, event in record.items()}
    return {ids[slide["unique_id"]]: slide for slide in body["events"]}


def test_timelinejs_date_objects_carry_only_the_parts_their_precision_supports(
    client: Any, dated_record: Any
) -> None:
    slides = slides_by_id(document(client, "timelinejs"), dated_record)
    assert slides["approx-year"]["start_date"] == {"year": 2024}
    assert slides["month"]["start_date"] == {"year": 2023, "month": 10}
    assert slides["day"]["start_date"] == {"year": 2025, "month": 7, "day": 26}
    assert slides["range"]["end_date"] == {"year": 2025, "month": 7, "day": 28}
    assert "end_date" not in slides["month"] and "end_date" not in slides["open"]
    for slide in slides.values():
        for key in ("start_date", "end_date"):
            assert all(isinstance(part, int) for part in slide.get(key, {}).values()), slide


def test_timelinejs_display_dates_say_approximate_uncertain_and_ranges(
    client: Any, dated_record: Any
) -> None:
    slides = slides_by_id(document(client, "timelinejs"), dated_record)
    assert slides["approx-year"]["display_date"] == "c. 2024"
    assert slides["uncertain-month"]["display_date"] == "April 2025 (uncertain)"
    assert slides["range"]["display_date"] == "26–28 July 2025"
    assert slides["month"]["display_date"] == "October 2023"


def test_timelinejs_escapes_html_and_has_a_title_slide_naming_the_filter(client: Any, db: Any) -> None:
    event = EventFactory(title_en=XSS, summary_en="<b>bold</b> & more", type="speech")
    body = document(client, "timelinejs", "type=speech")
    slide = body["events"][0]
    assert slide["unique_id"] == f"event-{event.pk}"
    assert slide["text"]["headline"] == "&lt;img src=x onerror=alert(1)&gt;"
    assert (
        "<b>" not in slide["text"]["text"] and "&lt;b&gt;bold&lt;/b&gt; &amp; more" in slide["text"]["text"]
    )
    assert slide["group"] == "speech"
    assert "type: speech" in body["title"]["text"]["text"]
    assert "1 events" in body["title"]["text"]["text"]


# --- vis-timeline ---------------------------------------------------------------------------------


def vis_items(client: Any, query: str = "") -> dict[str, dict[str, Any]]:
    return {item["slug"]: item for item in document(client, "vis", query)["items"]}


def test_vis_dates_are_full_timestamps_with_an_offset(client: Any, dated_record: Any) -> None:
    items = vis_items(client)
    assert set(items) == PUBLISHED_SLUGS
    for item in items.values():
        for key in ("start", "end"):
            if key in item:
                assert dt.datetime.fromisoformat(item[key]).utcoffset() == dt.timedelta(0), item


def test_vis_draws_partial_dates_as_ranges_over_their_bounds_and_single_days_as_points(
    client: Any, dated_record: Any
) -> None:
    items = vis_items(client)
    assert (items["month"]["type"], items["month"]["start"], items["month"]["end"]) == (
        "range",
        "2023-10-01T00:00:00+00:00",
        "2023-11-01T00:00:00+00:00",
    )
    assert items["approx-year"]["end"] == "2025-01-01T00:00:00+00:00"
    assert "approximate" in items["approx-year"]["className"].split()
    assert "uncertain" in items["uncertain-month"]["className"].split()
    assert items["range"]["end"] == "2025-07-29T00:00:00+00:00"  # the end of 28 July: exclusive
    assert items["day"]["type"] == "point" and "end" not in items["day"]
    assert items["open"]["type"] == "point" and "open-end" in items["open"]["className"]


def test_vis_groups_by_type_or_by_actor(client: Any, dated_record: Any) -> None:
    by_type = document(client, "vis")
    assert {group["id"] for group in by_type["groups"]} == {item["group"] for item in by_type["items"]}
    by_actor = document(client, "vis", "group_by=actor&type=conference")
    # The conference has two actors: one item in each actor's lane, both naming the same event.
    assert sorted(item["group"] for item in by_actor["items"]) == ["un", "xi-jinping"]
    assert len({item["event"] for item in by_actor["items"]}) == 1
    assert len({item["id"] for item in by_actor["items"]}) == 2
    assert client.get(f"{feed_url('vis')}?group_by=colour").status_code == 400


def test_vis_escapes_the_markup_it_hands_to_vis_timeline(client: Any, db: Any) -> None:
    EventFactory(title_en=XSS)
    (item,) = document(client, "vis")["items"]
    assert item["content"] == "&lt;img src=x onerror=alert(1)&gt;"
    assert item["label"] == XSS  # the plain text, for code that sets textContent


# --- iCalendar ------------------------------------------------------------------------------------


def calendar_events(client: Any, query: str = "") -> dict[str, Any]:
    response = client.get(f"{feed_url('ics')}?{query}")
    calendar = Calendar.from_ical(body_of(response))
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def test_ics_has_every_event_as_an_all_day_event_with_an_exclusive_end(
    client: Any, dated_record: Any
) -> None:
    events = calendar_events(client)
    assert len(events) == len(PUBLISHED_SLUGS)
    day = events["A day"]
    assert day["dtstart"].dt == dt.date(2025, 7, 26) and day["dtend"].dt == dt.date(2025, 7, 27)
    month = events["A month"]  # a month spans the month
    assert (month["dtstart"].dt, month["dtend"].dt) == (dt.date(2023, 10, 1), dt.date(2023, 11, 1))
    year = events["About a year"]
    assert (year["dtstart"].dt, year["dtend"].dt) == (dt.date(2024, 1, 1), dt.date(2025, 1, 1))
    assert str(year["description"]).startswith("c. 2024 (year precision)")
    assert events["Three days"]["dtend"].dt == dt.date(2025, 7, 29)
    for event in events.values():
        assert isinstance(event["dtstart"].dt, dt.date) and not isinstance(event["dtstart"].dt, dt.datetime)
        assert event["dtstamp"].dt.tzinfo is not None


def test_ics_uids_are_stable(client: Any, dated_record: Any) -> None:
    first = {name: str(event["uid"]) for name, event in calendar_events(client).items()}
    second = {name: str(event["uid"]) for name, event in calendar_events(client, "lang=zh-hans").items()}
    assert sorted(first.values()) == sorted(second.values())
    assert first["A day"] == f"event-{dated_record['day'].pk}@testserver"


# --- CSV and NDJSON -------------------------------------------------------------------------------


def test_csv_opens_in_a_spreadsheet_with_chinese_intact(client: Any, dated_record: Any) -> None:
    body = body_of(client.get(f"{feed_url('csv')}?lang=zh-hans&actor=xi-jinping"))
    assert body.startswith("\ufeff".encode())  # the byte-order mark spreadsheet programs look for
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    day = next(row for row in rows if row["slug"] == "day")
    assert day["title"] == "一天"
    assert day["date_precision"] == "day" and day["date_start"] == "2025-07-26"
    assert day["actors"] == "xi-jinping (speaker)" and day["actor_names"] == "习近平"
    assert day["quotes"] == "习近平发表讲话" and "新华社报道" in day["sources"]


def test_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas(client: Any, db: Any) -> None:
    EventFactory(title_en='=HYPERLINK("http://evil.example","click")')
    (row,) = csv.DictReader(io.StringIO(body_of(client.get(feed_url("csv"))).decode("utf-8-sig")))
    assert row["title"] == "'" + '=HYPERLINK("http://evil.example","click")'


def test_ndjson_lines_are_the_apis_event_objects(client: Any, dated_record: Any) -> None:
    lines = body_of(client.get(f"{feed_url('ndjson')}?actor=xi-jinping")).decode().splitlines()
    feed = [json.loads(line) for line in lines]
    api = client.get("/api/v1/events/?actor=xi-jinping").json()["results"]
    assert [item["slug"] for item in feed] == [item["slug"] for item in api]
    for ours, theirs in zip(feed, api, strict=True):
        theirs.pop("url"), ours.pop("url")  # absolute in the API, relative in a stream
        assert ours == theirs


# --- JSON-LD --------------------------------------------------------------------------------------


def test_jsonld_events_have_dates_at_their_precision_roles_and_citing_articles(client: Any, db: Any) -> None:
    event = EventFactory(date="2023-10~", title_en="Summit")
    ParticipationFactory(event=event, actor__slug="host-org", actor__kind="organization", role="host")
    ParticipationFactory(event=event, actor__slug="speaker", role=Participation.Role.SPEAKER)
    ParticipationFactory(event=event, actor__slug="guest", role=Participation.Role.ATTENDEE)
    CitationFactory(event=event, quote="the summit opened", source__title="Report")
    EventFactory(date="2025-07-26/2025-07-28", title_en="Range")
    body = document(client, "jsonld")
    assert body["@context"] == "https://schema.org"
    nodes = {node["name"]: node for node in body["@graph"]}
    summit = nodes["Summit"]
    assert summit["@type"] == "Event"
    assert summit["startDate"] == "2023-10" and "endDate" not in summit
    assert summit["additionalProperty"][0]["value"] == "2023-10~"
    assert [(agent["@type"], agent["identifier"]) for agent in summit["organizer"]] == [
        ("Organization", "host-org")
    ]
    assert summit["performer"][0]["@type"] == "Person" and summit["attendee"][0]["identifier"] == "guest"
    (article,) = summit["subjectOf"]
    assert article["@type"] == "NewsArticle" and article["headline"] == "Report"
    assert article["hasPart"] == {"@type": "Quotation", "text": "the summit opened"}
    assert (nodes["Range"]["startDate"], nodes["Range"]["endDate"]) == ("2025-07-26", "2025-07-28")
