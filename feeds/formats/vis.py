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
* Dates are read from the stored bounds and precision, never re-parsed; only ``FIELDS`` are read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from html import escape
from typing import Any

from events.partial_dates import Precision, first_day, stored_qualifiers
from events.read.fields import event_fields

GROUP_BY = ("type", "actor")
# What this format shows of an event (and ``actors`` with group_by=actor): nothing else is read.
FIELDS = event_fields(
    "id", "slug", "title", "date", "date_start", "date_end", "date_precision", "date_display", "type"
)


def timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00+00:00"


@lru_cache(maxsize=65536)
def placement(date: str, start: str | None, end: str | None, precision: str) -> tuple[dict[str, Any], str]:
    """``start``/``end``/``type`` of one stored date, and the class names describing it.

    Read from the stored columns (bounds as ISO days, None where open; precision) and the EDTF marks.
    A record repeats few distinct dates, so each is worked out once.
    """
    approximate, uncertain = stored_qualifiers(date)
    is_interval = "/" in date
    classes = [f"precision-{precision}"]
    if approximate:
        classes.append("approximate")
    if uncertain:
        classes.append("uncertain")
    if is_interval:
        classes.append("interval")
    if start is None or end is None:  # an interval with an open or unknown end: a point at the known one
        classes.append("open-start" if start is None else "open-end")
        known = dt.date.fromisoformat(end) if start is None else dt.date.fromisoformat(start)  # type: ignore[arg-type]
        return {"start": timestamp(first_day(known, Precision(precision))), "type": "point"}, " ".join(
            classes
        )
    if not is_interval and precision == Precision.DAY:
        return {"start": f"{start}T00:00:00+00:00", "type": "point"}, " ".join(classes)
    after = dt.date.fromisoformat(end) + dt.timedelta(days=1)
    return {"start": f"{start}T00:00:00+00:00", "end": timestamp(after), "type": "range"}, " ".join(classes)


def render(items: Iterable[dict[str, Any]], *, group_by: str = "type") -> dict[str, Any]:
    assert group_by in GROUP_BY, f"group_by must be one of {GROUP_BY}, not {group_by!r}"
    drawn: list[dict[str, Any]] = []
    groups: dict[str, str] = {}
    undated = 0
    for item in items:
        if not item["date"]:
            undated += 1
            continue
        where, classes = placement(item["date"], item["date_start"], item["date_end"], item["date_precision"])
        title = item["title"]
        base = {
            "content": escape(title),
            "title": escape(f"{item['date_display']}: {title}"),
            "label": title,
            "date_display": item["date_display"],
            "event": item["id"],
            "slug": item["slug"],
            "className": classes,
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
