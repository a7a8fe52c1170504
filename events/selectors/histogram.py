"""Event counts per period, for overviews: each event counted exactly once, at its own precision.

An event falls in the bucket of its start at the requested interval (``year``, ``month`` or ``day``).
An event known less precisely than the interval gets a bucket of its own precision instead of being
smeared onto a fake day: with ``interval=month``, an event dated "2023" is counted in the bucket
``{"period": "2023", "precision": "year"}``, next to (not inside) 2023-01 … 2023-12. An interval event
counts once, at its start; events with an open start count at their end; undated events are counted
in ``undated``. ``group_by`` (``type``, ``actor`` or ``tag``) splits each bucket's count by that key; an
event with several actors or tags counts once in each of their groups (and once in the bucket total),
and an event with none in the group ``null``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, QuerySet

from events.models import Event
from events.partial_dates import OPEN_START, Precision

INTERVALS = ("year", "month", "day")
GROUP_BY = {"type": "type", "actor": "participations__actor__slug", "tag": "tags__slug"}


def bucket_of(start: dt.date, end: dt.date, precision: str, interval: str) -> tuple[str, str, dt.date]:
    """(period label, its precision, its first day) of an event at ``interval``."""
    day = end if start == OPEN_START else start
    level = min(Precision(precision).rank, Precision(interval).rank)
    if level == Precision.YEAR.rank:
        return f"{day.year:04d}", "year", dt.date(day.year, 1, 1)
    if level == Precision.MONTH.rank:
        return f"{day.year:04d}-{day.month:02d}", "month", dt.date(day.year, day.month, 1)
    return day.isoformat(), "day", day


def event_histogram(events: QuerySet[Event], *, interval: str, group_by: str | None = None) -> dict[str, Any]:
    """The histogram of ``events`` (any filtered queryset) documented in this module's docstring."""
    assert interval in INTERVALS, f"interval must be one of {INTERVALS}, not {interval!r}"
    assert group_by is None or group_by in GROUP_BY, f"group_by must be one of {sorted(GROUP_BY)}"
    # Re-select by id: the filters' joins must not multiply rows, and ordering must not enter GROUP BY.
    chosen = Event.objects.filter(pk__in=events.order_by().values("pk")).order_by()
    columns = ["date_start", "date_end", "date_precision"]
    totals: Counter[tuple[str, str, dt.date]] = Counter()
    undated = 0
    for row in chosen.values(*columns).annotate(n=Count("pk")):
        if row["date_start"] is None:
            undated += row["n"]
        else:
            totals[bucket_of(row["date_start"], row["date_end"], row["date_precision"], interval)] += row["n"]
    groups: dict[tuple[str, str, dt.date], Counter[str | None]] = defaultdict(Counter)
    if group_by is not None:
        key = GROUP_BY[group_by]
        rows = (
            chosen.filter(date_start__isnull=False)
            .values(*columns, key)
            .annotate(n=Count("pk", distinct=True))
        )
        for row in rows:
            bucket = bucket_of(row["date_start"], row["date_end"], row["date_precision"], interval)
            groups[bucket][row[key]] += row["n"]
    buckets = []
    for bucket in sorted(totals, key=lambda b: (b[2], Precision(b[1]).rank)):
        period, precision, first_day = bucket
        entry: dict[str, Any] = {"period": period, "precision": precision, "start": first_day.isoformat()}
        entry["count"] = totals[bucket]
        if group_by is not None:
            entry["groups"] = [
                {"key": name, "count": count}
                for name, count in sorted(groups[bucket].items(), key=lambda pair: (-pair[1], pair[0] or ""))
            ]
        buckets.append(entry)
    return {
        "interval": interval,
        "group_by": group_by,
        "total": sum(totals.values()) + undated,
        "undated": undated,
        "buckets": buckets,
    }
