"""vis-timeline data (``{"items": [...], "groups": [...]}``) from event representations.

* Every date is a full ISO 8601 timestamp with an offset (``2023-10-01T00:00:00+00:00``): vis-timeline
  reads a bare ``2023`` as milliseconds since 1970.
* A single day is a ``point`` at the start of that day. Everything else (a month, a year, an interval)
  is a ``range`` from the first day of its lower bound to the end of its upper bound (exclusive: the
  midnight after the last day), so "October 2023" is a band over the whole month, never a point on
  1 October. An interval with an open or unknown end is a ``point`` at its known end.
* ``className`` says what the drawing stands for: ``precision-day|month|year``, ``interval``,
  ``approximate``, ``uncertain``, ``open-start``, ``open-end``, so a stylesheet can draw fuzzy edges.
* ``content`` and ``title`` are HTML-escaped (vis-timeline inserts them as markup); ``label`` and
  ``date_display`` are the same texts unescaped, for code that builds DOM nodes itself.
* Groups: ``group_by=type`` (the default) puts each event in its type's group; ``group_by=actor`` gives
  one item per event and actor (``id`` ``"<event id>/<actor slug>"``; ``event`` is the event id), in the
  actor's group, and events with no actor in the group ``""``.
* Undated events cannot be drawn and are left out; ``undated`` counts them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from html import escape
from typing import Any

from events.partial_dates import Open, PartialDate, Precision, parse_edtf

GROUP_BY = ("type", "actor")


def timestamp(day: dt.date) -> str:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).isoformat()


def placement(date: str) -> tuple[dict[str, Any], list[str]]:
    """``start``/``end``/``type`` of one EDTF value, and the class names describing it."""
    value = parse_edtf(date)
    classes = [f"precision-{value.precision.value}"]
    if value.approximate:
        classes.append("approximate")
    if value.uncertain:
        classes.append("uncertain")
    if value.is_interval:
        classes.append("interval")
    start, end = value.start, value.end
    if isinstance(start, Open) or isinstance(end, Open):
        known = end if isinstance(start, Open) else start
        assert isinstance(known, PartialDate)
        classes.append("open-start" if isinstance(start, Open) else "open-end")
        return {"start": timestamp(known.lower), "type": "point"}, classes
    if not value.is_interval and value.precision is Precision.DAY:
        return {"start": timestamp(value.lower), "type": "point"}, classes
    after = value.upper + dt.timedelta(days=1) if value.upper < dt.date.max else value.upper
    return {"start": timestamp(value.lower), "end": timestamp(after), "type": "range"}, classes


def render(items: Iterable[dict[str, Any]], *, group_by: str = "type") -> dict[str, Any]:
    assert group_by in GROUP_BY, f"group_by must be one of {GROUP_BY}, not {group_by!r}"
    drawn: list[dict[str, Any]] = []
    groups: dict[str, str] = {}
    undated = 0
    for item in items:
        if not item.get("date"):
            undated += 1
            continue
        where, classes = placement(item["date"])
        base = {
            "content": escape(item["title"]),
            "title": escape(f"{item['date_display']}: {item['title']}"),
            "label": item["title"],
            "date_display": item["date_display"],
            "event": item["id"],
            "slug": item["slug"],
            "className": " ".join(classes),
            **where,
        }
        if group_by == "type":
            groups.setdefault(item["type"], item["type"])
            drawn.append({"id": item["id"], "group": item["type"], **base})
            continue
        seen: set[str] = set()
        for actor in item.get("actors") or [{"slug": "", "name": ""}]:
            if actor["slug"] in seen:
                continue  # one item per actor, even if the actor has several roles
            seen.add(actor["slug"])
            groups.setdefault(actor["slug"], actor["name"])
            drawn.append({"id": f"{item['id']}/{actor['slug']}", "group": actor["slug"], **base})
    return {
        "items": drawn,
        "groups": [{"id": key, "content": escape(name)} for key, name in sorted(groups.items())],
        "undated": undated,
    }
