"""What the date grammars find, and how a found expression becomes a value against its anchor.

A grammar (:mod:`ingestion.dates.zh`, :mod:`ingestion.dates.en`) reports :class:`Found` spans, each
with a :class:`Point` or a :class:`Span` of two points: the fields the words fix (``7月`` fixes a month)
and what they say relative to the anchor (``去年`` is the anchor's year minus one, ``当天`` the day last
named). :func:`resolve` turns them into an :class:`events.partial_dates.DateValue`, so values keep the
precision of the words and pass the project's one set of date rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from events.partial_dates import DateValue, InvalidDate, PartialDate


@dataclass(frozen=True)
class Context:
    """What a relative expression is read against."""

    anchor: dt.date  # the dispatch's dateline day, else the publication day
    last_day: dt.date | None  # the day last named before the expression, for "that day"
    future: bool  # the clause points forward ("将于", "will"): year-less dates fall on or after the anchor
    last_date: PartialDate | None = None  # the date last named, at any precision, for "the same year"


@dataclass(frozen=True)
class Point:
    """One date as written: the calendar fields it names and what it says relative to the anchor."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    year_offset: int | None = None  # 今年 0, 去年 -1, "next year" +1
    month_offset: int | None = None  # 本月 0, 上月 -1
    day_offset: int | None = None  # 今天 0, 昨天 -1 (from the anchor)
    after_last_day: int | None = None  # 当天 0, 次日 +1 (from the day last named)
    weekday: int | None = None  # Monday 0 … Sunday 6
    week_offset: int | None = None  # with weekday: 上周二 -1; without: the whole week (上周, "last week")
    # "near" (the clause's tense decides), "before" (last …), "after" (next …), "onward" (until …)
    weekday_mode: str = "near"
    months: tuple[int, int] | None = None  # a run of months of the year: 上半年 (1, 6), 第三季度 (7, 9)
    after_last_year: int | None = None  # 同年 0, 次年 +1 (from the year last named)
    after_last_month: int | None = None  # 同月 0, 次月 +1 (from the month last named)

    def without_year(self) -> bool:
        return self.year is None and self.year_offset is None


@dataclass(frozen=True)
class Span:
    """A run of dates: the end lends the start's missing fields (``7月26日至28日``)."""

    first: Point
    last: Point


@dataclass(frozen=True)
class Found:
    """An expression a grammar found: its span in the normalised text and what it says."""

    start: int
    end: int
    what: Point | Span
    timestamp: bool = False  # it carries a clock time, as page posting times do


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weekday_date(point: Point, context: Context) -> dt.date:
    assert point.weekday is not None
    anchor = context.anchor
    if point.week_offset is not None:
        return _monday(anchor) + dt.timedelta(weeks=point.week_offset, days=point.weekday)
    back = (anchor.weekday() - point.weekday) % 7
    forward = (point.weekday - anchor.weekday()) % 7
    if point.weekday_mode == "before":
        return anchor - dt.timedelta(days=back or 7)
    if point.weekday_mode == "after":
        return anchor + dt.timedelta(days=forward or 7)
    if point.weekday_mode == "onward":
        return anchor + dt.timedelta(days=forward)
    if context.future:
        return anchor + dt.timedelta(days=forward)
    return anchor - dt.timedelta(days=back)


def _resolve_point(point: Point, context: Context) -> PartialDate | DateValue:
    anchor = context.anchor
    if point.day_offset is not None:
        return PartialDate.from_date(anchor + dt.timedelta(days=point.day_offset))
    if point.after_last_day is not None:
        return PartialDate.from_date((context.last_day or anchor) + dt.timedelta(days=point.after_last_day))
    if point.weekday is not None:
        return PartialDate.from_date(_weekday_date(point, context))
    if point.week_offset is not None:
        monday = _monday(anchor) + dt.timedelta(weeks=point.week_offset)
        return DateValue(PartialDate.from_date(monday), PartialDate.from_date(monday + dt.timedelta(days=6)))
    if point.month_offset is not None:
        shifted_year, month = _shift_month(anchor.year, anchor.month, point.month_offset)
        return PartialDate(shifted_year, month, point.day)
    if point.after_last_month is not None:
        last = context.last_date if context.last_date and context.last_date.month else None
        base_year, base_month = (
            (last.year, last.month) if last and last.month else (anchor.year, anchor.month)
        )
        shifted_year, month = _shift_month(base_year, base_month, point.after_last_month)
        return PartialDate(shifted_year, month, point.day)
    year = point.year
    if point.year_offset is not None:
        year = anchor.year + point.year_offset
    if point.after_last_year is not None:
        year = (context.last_date.year if context.last_date else anchor.year) + point.after_last_year
    if point.months is not None and year is not None:
        return DateValue(PartialDate(year, point.months[0]), PartialDate(year, point.months[1]))
    if year is not None:
        return PartialDate(year, point.month, point.day)
    if point.month is not None:
        return PartialDate(_year_of_month(point, context), point.month, point.day)
    if point.day is not None:
        day_year, day_month = _month_of_day(point.day, context)
        return PartialDate(day_year, day_month, point.day)
    raise InvalidDate("nothing to resolve")


def _nearest(candidates: list[tuple[int, int, int]], context: Context, period_days: int) -> tuple[int, int]:
    """Of the same month (or day) in the period before, of, and after the anchor, the one the text means.

    The nearest to the anchor wins, with a lean towards the tense: a date after the anchor costs an
    eighth of a period in a clause about the past, one before it a whole period in a clause about the
    future. So in a dispatch of 2 October, ``11月5日`` is this November and ``12月28日`` of a
    5 January dispatch is last December; ``30日`` on 2 July is 30 June unless the clause looks ahead.
    """
    best: tuple[float, int, int] | None = None
    for year, month, day in candidates:
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        cost = float(abs((date - context.anchor).days))
        if date > context.anchor and not context.future:
            cost += period_days / 8
        if date < context.anchor and context.future:
            cost += period_days
        if best is None or cost < best[0]:
            best = (cost, year, month)
    if best is None:
        raise InvalidDate("no such day near the anchor")
    return best[1], best[2]


def _year_of_month(point: Point, context: Context) -> int:
    """A year-less month falls in the anchor's year or the one before or after, whichever is meant."""
    assert point.month is not None
    year = context.anchor.year
    day = min(point.day or 15, 28)
    candidates = [(year + offset, point.month, day) for offset in (-1, 0, 1)]
    return _nearest(candidates, context, 365)[0]


def _month_of_day(day: int, context: Context) -> tuple[int, int]:
    """A bare day falls in the anchor's month, or the month before or after, whichever is meant."""
    anchor = context.anchor
    candidates = [(*_shift_month(anchor.year, anchor.month, offset), day) for offset in (-1, 0, 1)]
    return _nearest(candidates, context, 30)


def _fill(last: Point, first: PartialDate) -> Point:
    """The end of a run borrows the fields it omits from its start: 26日至28日 keeps the month."""
    if not last.without_year() or last.month_offset is not None or last.day_offset is not None:
        return last
    if last.after_last_year is not None or last.after_last_month is not None:
        return last
    if last.weekday is not None or last.after_last_day is not None:
        return last
    if last.month is None and last.day is not None:
        return replace(last, year=first.year, month=first.month)
    return replace(last, year=first.year)


def resolve(what: Point | Span, context: Context) -> DateValue | None:
    """The value of an expression in its context, or ``None`` if it names no real date (2月30日)."""
    try:
        if isinstance(what, Point):
            value = _resolve_point(what, context)
            return value if isinstance(value, DateValue) else DateValue(value)
        first = _resolve_point(what.first, context)
        if isinstance(first, DateValue):
            return None
        filled = _fill(what.last, first)
        last = _resolve_point(filled, context)
        if isinstance(last, DateValue):
            return None
        if last.lower <= first.lower and what.last.without_year() and filled.year is not None:
            # 12月30日至1月2日: the run crosses into the next year.
            last = _resolve_point(replace(filled, year=filled.year + 1), context)
            assert isinstance(last, PartialDate)
        if last.lower <= first.lower:
            return None
        return DateValue(first, last)
    except InvalidDate:
        return None
