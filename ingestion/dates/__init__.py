"""Date extraction from a captured article: every date the article asserts, resolved against its anchor.

:func:`extract_dates` is the service; the ``extract_dates`` management command and ingestion call it.
It reads the article through :mod:`ingestion.cleaning` (pinyin stripped and widths narrowed, with
offsets kept into the raw text; page junk separated from the body), runs the Chinese grammar
(:mod:`ingestion.dates.zh`), the English one and the shared numeric forms (:mod:`ingestion.dates.en`),
and resolves each expression (:mod:`ingestion.dates.base`) against its anchor: the dateline of the
dispatch it belongs to (``新华社上海7月26日电``), else the publication date. Values are EDTF strings
made by :mod:`events.partial_dates`, at the precision of the words.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

from events.partial_dates import DateValue, PartialDate, Precision
from ingestion.cleaning import body_spans, dateline_date, find_datelines, normalised_view
from ingestion.dates import en, zh
from ingestion.dates.base import Context, Found, Point, Span, resolve

LANGUAGES = ("auto", "zh-Hans", "zh-Hant", "en")

__all__ = ["LANGUAGES", "DateMention", "extract_dates"]


@dataclass(frozen=True)
class DateMention:
    """A date the article asserts: where it is written and what it means."""

    text: str  # exactly raw_text[start:end]
    start: int  # code-point offset into the text given
    end: int
    value: str  # "YYYY", "YYYY-MM", "YYYY-MM-DD" or "START/END" (each side one of those)
    precision: str  # "year" | "month" | "day"

    def as_dict(self) -> dict[str, str | int]:
        return {"text": self.text, "start": self.start, "end": self.end, "value": self.value,
                "precision": self.precision}  # fmt: skip


# Words that put a clause in the future: a year-less date in it may fall after the anchor.
_FUTURE = re.compile(
    # 将 alone marks the future unless it takes an object (将其总部设在…: "puts its headquarters in")
    # or makes another word (将军, 将近, 将士).
    r"[将將](?![其之此这這该該它他她军軍近领領士帅帥])|定于|定於|拟于|擬於|计划于|計劃於|预计|預計|届时|屆時|"
    r"\bwill\b|\bshall\b|'ll\b|\bis to\b|\bare to\b|\bscheduled\b|\bdue to\b|\bexpected to\b|\bplans? to\b|"
    r"\bset to\b|\bupcoming\b|\bnext\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[。！？!?；;,，\n]|\.\s")


def _clause_is_future(text: str, start: int, end: int) -> bool:
    """Whether the words just around an expression, within its sentence, point forward."""
    sentence_start = max((m.end() for m in _CLAUSE_END.finditer(text, max(0, start - 40), start)), default=0)
    window_start = max(sentence_start, start - 40)
    after = _CLAUSE_END.search(text, end, end + 16)
    window_end = after.start() if after else min(len(text), end + 16)
    return _FUTURE.search(text, window_start, window_end) is not None


# Between a date and the weekday that glosses it: "7月26日(星期六)", "Saturday, July 26".
_GLOSS_GAP = re.compile(r"[\s(（,，]*")
_GLOSS_CLOSE = re.compile(r"\s*[)）]")


def _is_weekday(item: Found) -> bool:
    return isinstance(item.what, Point) and item.what.weekday is not None and item.what.week_offset is None


def _names_a_day(item: Found) -> bool:
    return isinstance(item.what, Point) and item.what.day is not None and item.what.weekday is None


def _with_weekdays_absorbed(text: str, found: list[Found]) -> list[Found]:
    """A weekday written beside a date glosses it: one mention, valued by the date, not two."""
    merged: list[Found] = []
    for item in found:
        previous = merged[-1] if merged else None
        if previous and previous.end <= item.start and _GLOSS_GAP.fullmatch(text, previous.end, item.start):
            if _names_a_day(previous) and _is_weekday(item):
                close = _GLOSS_CLOSE.match(text, item.end)
                end = (
                    close.end()
                    if close and "(" in text[previous.end : item.start].replace("（", "(")
                    else item.end
                )
                merged[-1] = Found(previous.start, end, previous.what, previous.timestamp)
                continue
            if _is_weekday(previous) and _names_a_day(item):
                close = _GLOSS_CLOSE.match(text, item.end)
                end = (
                    close.end()
                    if close and "(" in text[previous.end : item.start].replace("（", "(")
                    else item.end
                )
                merged[-1] = Found(previous.start, end, item.what, item.timestamp)
                continue
        merged.append(item)
    return merged


# A portal's date bar: a line holding a day and its weekday, perhaps the lunar date and a clock.
_BANNER_WORDS = re.compile(
    r"星期|礼拜|禮拜|[周週][一二三四五六日]|农历|農曆|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
)
_BANNER_REST = re.compile(
    r"[\s()（）,，|]*(?:(?:星期|礼拜|禮拜|[周週])[一二三四五六日天]|(?:农历|農曆)\S{2,8}|\d{1,2}:\d{2}(?::\d{2})?"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)?[\s()（）,，|]*"
)

# A date bar is short: 2025年7月26日 星期六 农历六月初二 10:30, or Saturday, July 26, 2025 | 10:30.
_BANNER_MAX_LENGTH = 80


def _is_date_banner(text: str, item: Found) -> bool:
    """Whether the date stands alone on its line with its weekday: the date bar of the page, not the story."""
    line_start = text.rfind("\n", 0, item.start) + 1
    line_end = text.find("\n", item.end)
    line_end = len(text) if line_end < 0 else line_end
    if line_end - line_start > _BANNER_MAX_LENGTH:
        return False  # a story's line; scanning it again for each of its dates made long lines quadratic
    before, after = text[line_start : item.start], text[item.end : line_end]
    if not _BANNER_WORDS.search(text, line_start, line_end):
        return False
    return bool(_BANNER_REST.fullmatch(before)) and bool(_BANNER_REST.fullmatch(after))


def _day_of(value: DateValue) -> dt.date | None:
    if value.end is None and value.precision == Precision.DAY:
        return value.lower
    return None


def extract_dates(
    text: str, *, published: dt.date | dt.datetime, language: str = "auto"
) -> list[DateMention]:
    """The dates ``text`` (a raw captured article) asserts, in order, as offsets into ``text`` itself.

    ``published`` anchors relative and incomplete dates (``26日``, ``今年4月``, ``last week``) unless a
    dispatch's dateline comes before them, which then anchors them. ``language`` is ``auto``,
    ``zh-Hans``, ``zh-Hant`` or ``en``; ``en`` skips the Chinese grammar, every other choice reads both,
    since Chinese pages quote English and bilingual pages interleave the two. Page junk (related-reading
    lists and their timestamps, teasers, widgets), durations, counts, years inside names and posting
    times of other days are not reported.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: use one of {', '.join(LANGUAGES)}.")
    published_day = published.date() if isinstance(published, dt.datetime) else published
    view = normalised_view(text)
    body = body_spans(text, view)

    datelines = []
    for line in find_datelines(view.text):
        day = dateline_date(line, published_day)
        if day is not None:
            datelines.append((line.start, day))
    anchor_days = {published_day, *(day for _, day in datelines)}
    dateline_starts = [position for position, _ in datelines]
    body_starts = [start for start, _ in body]

    found: list[Found] = []
    if language != "en":
        found += zh.find(view.text)
    found += en.find(view.text)
    found += en.find_numeric(view.text)
    found.sort(key=lambda item: (item.start, -item.end))
    found = _with_weekdays_absorbed(view.text, found)

    mentions: list[DateMention] = []
    last_day: dt.date | None = None
    last_date: PartialDate | None = None
    taken_until = -1
    for item in found:
        if item.start < taken_until:
            continue  # a longer expression already covers it
        raw_start, raw_end = view.raw_span(item.start, item.end)
        index = bisect.bisect_right(body_starts, raw_start) - 1
        if index < 0 or raw_end > body[index][1]:
            continue  # page junk, or across the edge of the body
        dispatch = bisect.bisect_right(dateline_starts, item.start) - 1
        anchor = datelines[dispatch][1] if dispatch >= 0 else published_day
        context = Context(anchor, last_day, _clause_is_future(view.text, item.start, item.end), last_date)
        value = resolve(item.what, context)
        if value is None:
            continue
        taken_until = item.end
        if (item.timestamp or _is_date_banner(view.text, item)) and value.lower not in anchor_days:
            continue  # a posting time or a portal's date bar of another day: a repost or another story
        last_day = _day_of(value) or last_day
        last_date = value.start if isinstance(value.start, PartialDate) else last_date
        mentions.append(
            DateMention(text[raw_start:raw_end], raw_start, raw_end, value.to_edtf(), value.precision.value)
        )
    return mentions


# Re-exported for callers that build on the grammar's findings.
__all__ += ["Context", "Found", "Point", "Span"]
