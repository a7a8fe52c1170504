"""The ics feed is valid RFC 5545 whatever the record holds: two independent parsers read it back."""

from __future__ import annotations

from typing import Any

import pytest
import vobject
from icalendar import Calendar

from tests.factories import CitationFactory, EventFactory
from tests.feeds.conftest import body_of, feed_url

# Every character TEXT must escape, newlines of each kind, a control character, a tab, and enough
# Chinese, emoji and accents that folding at 75 octets lands inside multi-byte sequences.
HOSTILE_TITLE = "a,b;c\\d\ne\r\nf\rg\x07h\ti " + "时间线é😀" * 20
READ_TITLE = "a,b;c\\d\ne\nf\ngh\ti " + "时间线é😀" * 20  # the control character dropped, newlines kept


@pytest.fixture
def hostile_record(db: Any) -> Any:
    event = EventFactory(date="2023-10", title_en=HOSTILE_TITLE, summary_en="line one\nline two; more, more")
    CitationFactory(event=event, quote="“引语”, with; marks\\", source__title="来源 " * 30)
    return event


def ics_of(client: Any, query: str = "") -> bytes:
    response = client.get(f"{feed_url('ics')}?{query}")
    assert response.status_code == 200, body_of(response)
    assert response["Content-Type"].startswith("text/calendar")
    return body_of(response)


def test_every_line_is_folded_at_75_octets_and_ends_in_crlf(client: Any, hostile_record: Any) -> None:
    body = ics_of(client)
    assert body.endswith(b"END:VCALENDAR\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines), "the long title is folded"
    for line in lines:
        line.decode("utf-8")  # no line ends inside a UTF-8 sequence


def test_icalendar_reads_back_every_text_exactly(client: Any, hostile_record: Any) -> None:
    (event,) = Calendar.from_ical(ics_of(client)).walk("VEVENT")
    assert str(event["summary"]) == READ_TITLE
    description = str(event["description"])
    assert description.startswith("October 2023 (month precision)\n\nline one\nline two; more, more")
    assert "“引语”, with; marks\\" in description
    assert event["dtstart"].dt.isoformat() == "2023-10-01"


def test_vobject_reads_back_every_text_exactly(client: Any, hostile_record: Any) -> None:
    calendar = vobject.readOne(ics_of(client).decode("utf-8"))
    (event,) = calendar.vevent_list
    assert event.summary.value == READ_TITLE
    assert event.description.value.startswith("October 2023 (month precision)\n\nline one\nline two; more")
    assert event.dtend.value.isoformat() == "2023-11-01"  # exclusive: the month ends on 31 October


@pytest.mark.parametrize("query", ["q=a%0Ab", "q=%0D%0A%07,;%5C", "type=speech&q=" + "长" * 200])
def test_hostile_filters_name_the_calendar_without_breaking_it(client: Any, db: Any, query: str) -> None:
    EventFactory(date="2024", title_en="a\nb", type="speech")
    body = ics_of(client, query)
    calendar = Calendar.from_ical(body)
    assert str(calendar["x-wr-calname"]).startswith("Timeline · ")
    vobject.readOne(body.decode("utf-8"))


def test_the_wording_follows_the_requested_language(client: Any, db: Any) -> None:
    EventFactory(date="2023-10", title_en="Summit", title_zh="峰会")
    by_language = {}
    for language in ("en", "zh-hans", "zh-hant"):
        calendar = Calendar.from_ical(ics_of(client, f"lang={language}"))
        (event,) = calendar.walk("VEVENT")
        by_language[language] = (str(calendar["x-wr-calname"]), str(event["description"]).split("\n")[0])
    assert by_language == {
        "en": ("Timeline", "October 2023 (month precision)"),
        "zh-hans": ("时间线", "2023年10月（精确到月）"),
        "zh-hant": ("時間線", "2023年10月（精確到月）"),
    }
