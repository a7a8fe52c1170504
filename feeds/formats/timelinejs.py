"""TimelineJS3 JSON (https://timeline.knightlab.com/docs/json-format.html) from event representations.

* Dates are read from the stored bounds, never re-parsed; only ``FIELDS`` are read.
* A date object carries only the parts its precision supports, as integers (TimelineJS rejects other
  parts): ``{"year": 2023}`` for a year, ``{"year": 2023, "month": 10}`` for a month; an interval gives
  ``start_date`` and ``end_date``; an open or unknown end is left out.
* ``display_date`` is the time module's wording in the feed's language ("c. 2024" for approximate,
  "(uncertain)" / "（存疑）" for uncertain, "26–28 July 2025" for ranges), because TimelineJS has no
  notion of approximate dates and would otherwise print "October 1, 2023" for "October 2023".
* ``headline`` and ``text`` are HTML (TimelineJS inserts them as markup), so every text from the
  record is HTML-escaped.
* ``unique_id`` is ``event-<id>`` (stable across requests); ``group`` is the event type, or with
  ``group_by=actor`` the first actor's name.
* The title slide names the filter and how many events are shown. Undated events cannot be placed on
  a timeline and are left out; the title slide says how many.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from events.partial_dates import Precision, stored_end_precisions
from events.read.fields import event_fields

# What this format shows of an event (and ``actors`` with group_by=actor): nothing else is read.
FIELDS = event_fields(
    "id", "title", "summary", "date", "date_start", "date_end", "date_display", "type", "citations"
)


def date_object(day: str, precision: Precision) -> dict[str, int]:
    """A stored bound (an ISO day) as a TimelineJS date with only the parts ``precision`` supports."""
    parts = {"year": int(day[:4])}
    if precision is not Precision.YEAR:
        parts["month"] = int(day[5:7])
    if precision is Precision.DAY:
        parts["day"] = int(day[8:10])
    return parts


def slide_text(item: dict[str, Any]) -> str:
    paragraphs = [f"<p>{escape(item['summary'])}</p>"] if item.get("summary") else []
    sources = []
    for citation in item.get("citations") or []:
        source = citation["source"]
        publisher = (source.get("publisher") or {}).get("name")
        label = escape(f"{publisher}: {source['title']}" if publisher else source["title"])
        sources.append(
            f"<li>{label}<br><q>{escape(citation['quote'])}</q></li>"
            if citation.get("quote")
            else f"<li>{label}</li>"
        )
    if sources:
        paragraphs.append(f"<ul>{''.join(sources)}</ul>")
    return "".join(paragraphs)


def event_slide(item: dict[str, Any], *, group_by: str) -> dict[str, Any] | None:
    if not item["date"]:
        return None
    # The known ends, from the stored bounds (None where open) at each end's own precision.
    precisions = stored_end_precisions(item["date"])
    bounds = (item["date_start"], item["date_end"])[: len(precisions)]
    ends = [
        date_object(day, precision)
        for day, precision in zip(bounds, precisions, strict=True)
        if day is not None and precision is not None
    ]
    slide: dict[str, Any] = {
        "unique_id": f"event-{item['id']}",
        "start_date": ends[0],
        "display_date": item["date_display"],
        "text": {"headline": escape(item["title"]), "text": slide_text(item)},
    }
    if len(ends) == 2:
        slide["end_date"] = ends[1]
    if group_by == "actor":
        actors = item.get("actors") or []
        slide["group"] = escape(actors[0]["name"]) if actors else ""
    else:
        slide["group"] = escape(item["type"])
    return slide


def render(items: Iterable[dict[str, Any]], *, title: str, filter_description: str, group_by: str) -> dict:
    """The TimelineJS document: a title slide naming the filter, then one slide per dated event."""
    slides, undated = [], 0
    for item in items:
        slide = event_slide(item, group_by=group_by)
        if slide is None:
            undated += 1
        else:
            slides.append(slide)
    lines = [f"{len(slides)} events", filter_description or "all published events"]
    if undated:
        lines.append(f"{undated} undated events are not shown")
    return {
        "title": {
            "unique_id": "title",
            "text": {"headline": escape(title), "text": "".join(f"<p>{escape(line)}</p>" for line in lines)},
        },
        "events": slides,
    }
