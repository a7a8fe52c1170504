"""An iCalendar file (RFC 5545, written by the ``icalendar`` library) from event representations.

Every event is an all-day event: ``DTSTART;VALUE=DATE`` is the first day of its date and ``DTEND`` the
day after its last (DTEND is exclusive). A month-precision event therefore spans the whole month and a
year-precision event the whole year, as multi-day all-day events; the exact wording ("October 2023",
"c. 2024") opens the description, and ``X-TIMELINE-DATE`` carries the EDTF value. An interval with an
open or unknown end is a one-day event on its known end. Undated events are left out.

The file is streamed event by event (constant memory, no cap), each event written by ``icalendar``.
``UID`` is ``event-<id>@<host>`` (stable, so calendar apps update rather than duplicate); ``DTSTAMP``
and ``LAST-MODIFIED`` are the event's last change. Events are ``TRANSP:TRANSPARENT`` (they are
things that happened, not time the subscriber is busy).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from icalendar import Calendar, Event

from events.partial_dates import Open, PartialDate, parse_edtf

END = b"END:VCALENDAR\r\n"


def all_day_span(date: str) -> tuple[dt.date, dt.date]:
    """(DTSTART, exclusive DTEND) of an EDTF value."""
    value = parse_edtf(date)
    start, end = value.start, value.end
    if isinstance(start, Open) or isinstance(end, Open):
        known = end if isinstance(start, Open) else start
        assert isinstance(known, PartialDate)
        day = known.lower if known is start else known.upper
        return day, day + dt.timedelta(days=1)
    return value.lower, value.upper + dt.timedelta(days=1)


def description(item: dict[str, Any]) -> str:
    lines = [f"{item['date_display']} ({item['date_precision']} precision)"]
    if item.get("summary"):
        lines += ["", item["summary"]]
    for citation in item.get("citations") or []:
        source = citation["source"]
        publisher = (source.get("publisher") or {}).get("name")
        line = f"{publisher}: {source['title']}" if publisher else source["title"]
        if source.get("url"):
            line += f" <{source['url']}>"
        lines += ["", line]
        if citation.get("quote"):
            lines.append(f"“{citation['quote']}”")
    return "\n".join(lines)


def vevent(item: dict[str, Any], *, uid_domain: str) -> Event:
    start, end = all_day_span(item["date"])
    updated = dt.datetime.fromisoformat(item["updated_at"].replace("Z", "+00:00"))
    event = Event()
    event.add("uid", f"event-{item['id']}@{uid_domain}")
    event.add("dtstamp", updated)
    event.add("last-modified", updated)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", item["title"])
    event.add("description", description(item))
    event.add("categories", [item["type"]])
    event.add("transp", "TRANSPARENT")
    event.add("x-timeline-date", item["date"])
    if item.get("location"):
        event.add("location", item["location"]["name"])
    if item.get("url"):
        event.add("url", item["url"])
    return event


def render(items: Iterable[dict[str, Any]], *, calendar_name: str, uid_domain: str) -> Iterator[bytes]:
    """The calendar, streamed: its header, then each event as icalendar writes it, then its end."""
    calendar = Calendar()
    calendar.add("prodid", "-//Timeline//Event feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", calendar_name)
    empty = calendar.to_ical()
    assert empty.endswith(END), "icalendar ends a calendar with END:VCALENDAR"
    yield empty[: -len(END)]
    for item in items:
        if item.get("date"):
            yield vevent(item, uid_domain=uid_domain).to_ical()
    yield END
