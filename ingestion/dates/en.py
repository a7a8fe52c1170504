"""The English date grammar, and the numeric forms every language shares (ISO dates, posting times).

It finds::

    July 26, 2025   26 July 2025   Sept. 23   July 2025   in 2023   since 2020
    21-22 May   21–22 May 2025   May 21-22   July 30 to August 2, 2025
    yesterday   tomorrow   announced today   last week   this month   next year   earlier this year
    on Tuesday   last Friday   next Monday   Tuesday morning   the same day   the next day
    2025-07-28   2025/07/28   2025-07-28 09:21:07

Expressions with a year are parsed by :func:`events.partial_dates.parse_human_date` (dateparser behind
it), the project's one reader of typed dates; year-less ones take their fields from the words and
their year from the anchor. Left out: bare numbers (``iPhone 17``, ``1.2m``), years inside names
(``the 2030 Agenda``, ``WAIC 2025``), ``may`` the verb (months are capitalised), and weekdays that
are names (``Black Friday``).
"""

from __future__ import annotations

import re

from events.partial_dates import DateValue, InvalidDate, PartialDate, parse_human_date
from ingestion.dates.base import Found, Point, Span

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)(?![A-Za-z])"
)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d%])"
_YEAR = r"(?:1[89]\d{2}|2[01]\d{2})(?![\d%])"
_TO = r"\s*(?:-|–|—|to|through|until)\s*"
_TO_OR_AND = r"\s*(?:-|–|—|to|through|and)\s*"

_PATTERNS = [
    # 30 July to 2 August 2025 / July 30 to August 2, 2025
    rf"(?P<a_d1>{_DAY})\s+(?:of\s+)?(?P<a_m1>{_MONTH}){_TO}(?P<a_d2>{_DAY})\s+(?:of\s+)?(?P<a_m2>{_MONTH})"
    rf"(?:,?\s+(?P<a_y>{_YEAR}))?",
    rf"(?P<b_m1>{_MONTH})\s+(?P<b_d1>{_DAY}){_TO}(?P<b_m2>{_MONTH})\s+(?P<b_d2>{_DAY})(?:,?\s+(?P<b_y>{_YEAR}))?",
    # 21-22 May 2025 / May 21-22, 2025
    rf"(?P<c_d1>{_DAY}){_TO}(?P<c_d2>{_DAY})\s+(?:of\s+)?(?P<c_m>{_MONTH})(?:,?\s+(?P<c_y>{_YEAR}))?",
    rf"(?P<d_m>{_MONTH})\s+(?P<d_d1>{_DAY}){_TO}(?P<d_d2>{_DAY})(?:,?\s+(?P<d_y>{_YEAR}))?",
    # July 26, 2025 / 26 July 2025 / July 26 / 26 July
    rf"(?P<e_m>{_MONTH})\s+(?P<e_d>{_DAY})(?:,?\s+(?P<e_y>{_YEAR}))?",
    rf"(?P<f_d>{_DAY})\s+(?:of\s+)?(?P<f_m>{_MONTH})(?:,?\s+(?P<f_y>{_YEAR}))?",
    # July 2025, and a year-less month after a preposition: "in July"
    rf"(?P<g_m>{_MONTH}),?\s+(?P<g_y>{_YEAR})",
    rf"(?:\b(?:in|In|since|Since|by|By|during|During|until|Until|from|From|early|late|end of|"
    rf"beginning of|start of)\s|\b[Mm]id-)(?P<h_m>{_MONTH})(?!\.?,?\s+\d)",
    # A run of years after a preposition: "from 2020 to 2024", "between 2020 and 2024".
    rf"\b(?:from|From|between|Between|in|In|during|During)\s(?P<j_y1>{_YEAR}){_TO_OR_AND}(?P<j_y2>{_YEAR})",
    # A year after a preposition; a capitalised word after it makes it a name ("in 2030 Agenda").
    rf"(?:\b(?:in|In|since|Since|by|By|during|During|until|Until|till|from|From|before|Before|after|After|"
    rf"early|late|throughout|Throughout|around|year)\s|\b[Mm]id-)(?P<i_y>{_YEAR})(?!\s+[A-Z]|-)",
]
_ABSOLUTE = re.compile(r"(?<![\w.])(?:" + "|".join(f"(?:{pattern})" for pattern in _PATTERNS) + r")")

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
_RELATIVE = re.compile(
    rf"\b(?:(?P<day_word>[Yy]esterday|[Tt]omorrow){_PART_OF_DAY}"
    rf"|\b(?:earlier|later|announced|said|says|reported|released|published|signed|held|opened|launched|"
    rf"unveiled|confirmed|approved) (?P<today>today)"
    r"|(?P<which>[Ll]ast|[Tt]his|[Nn]ext)\s+(?P<unit>week|month|year)"
    r"|(?P<same>the same day|that same day|the next day|the following day|the previous day|a day earlier)"
    rf"|(?:(?P<weekday_which>[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<weekday>{'|'.join(_WEEKDAYS)})(?:'s)?{_PART_OF_DAY})\b"
)
# The days whose names hold a weekday (Black Friday, Super Tuesday, Good Friday): holidays, not dates.
_UNTIL_BEFORE = re.compile(r"\b(?:through|until|till|to|from|starting|beginning)\s+$")
_NAME_BEFORE_WEEKDAY = re.compile(
    r"\b(?:Black|Good|Super|Cyber|Ash|Holy|Easter|Palm|Maundy|Bloody|Giving|Man|Girl|Whit|Low|Plough)\s+$"
)

# A posting time's clock follows the date directly; "signed on July 20, 2025, at 10:00" is prose.
_CLOCK_AFTER = re.compile(r",?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\b)?(?:\s+[A-Z]{2,4}\b)?")
_NUMERIC = re.compile(
    r"(?<![\d.:/-])(?P<year>(?:19|20)\d{2})(?P<sep>[-/.])(?P<month>0[1-9]|1[0-2])(?P=sep)(?P<day>0[1-9]|[12]\d|3[01])"
    r"(?P<clock>(?:[T ]|\s+)\d{1,2}:\d{2}(?::\d{2})?)?(?!\d|[.:/-]\d)"
)


def _month(text: str) -> int:
    return _MONTHS[text.rstrip(".").lower()]


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group())  # type: ignore[union-attr]


def _parsed(text: str) -> Point | Span | None:
    """A dated expression read by the project's parser of typed dates."""
    try:
        value: DateValue = parse_human_date(text)
    except InvalidDate:
        return None
    ends = value.ends()
    if value.end is None:
        return _point(ends[0])
    if len(ends) != 2:
        return None
    return Span(_point(ends[0]), _point(ends[1]))


def _point(date: PartialDate) -> Point:
    return Point(year=date.year, month=date.month, day=date.day)


def _absolute(match: re.Match[str]) -> Point | Span | None:
    group = match.groupdict()
    kind = next(name[0] for name, value in group.items() if value is not None)
    year = group.get(f"{kind}_y")
    if year is not None and kind != "i":
        return _parsed(match[0])
    if kind == "a":
        return Span(
            Point(month=_month(group["a_m1"]), day=_day(group["a_d1"])),
            Point(month=_month(group["a_m2"]), day=_day(group["a_d2"])),
        )
    if kind == "b":
        return Span(
            Point(month=_month(group["b_m1"]), day=_day(group["b_d1"])),
            Point(month=_month(group["b_m2"]), day=_day(group["b_d2"])),
        )
    if kind in ("c", "d"):
        month = _month(group[f"{kind}_m"])
        return Span(Point(month=month, day=_day(group[f"{kind}_d1"])), Point(day=_day(group[f"{kind}_d2"])))
    if kind in ("e", "f"):
        return Point(month=_month(group[f"{kind}_m"]), day=_day(group[f"{kind}_d"]))
    if kind == "g":
        return _parsed(match[0])
    if kind == "h":
        return Point(month=_month(group["h_m"]))
    if kind == "j":
        return Span(Point(year=int(group["j_y1"])), Point(year=int(group["j_y2"])))
    return Point(year=int(group["i_y"]))


def _relative(text: str, match: re.Match[str]) -> Point | None:
    if match["day_word"]:
        return Point(day_offset=-1 if match["day_word"].lower() == "yesterday" else 1)
    if match["today"]:
        return Point(day_offset=0)
    if match["which"]:
        offset = {"last": -1, "this": 0, "next": 1}[match["which"].lower()]
        unit = match["unit"]
        if unit == "week":
            return Point(week_offset=offset)
        if unit == "month":
            return Point(month_offset=offset)
        return Point(year_offset=offset)
    if match["same"]:
        words = match["same"]
        return Point(
            after_last_day=0 if "same" in words else -1 if "previous" in words or "earlier" in words else 1
        )
    weekday = _WEEKDAYS.index(match["weekday"])
    which = (match["weekday_which"] or "").lower()
    if not which and _NAME_BEFORE_WEEKDAY.search(text, max(0, match.start() - 30), match.start()):
        return None
    if which == "this":
        return Point(weekday=weekday, week_offset=0)
    mode = {"last": "before", "next": "after"}.get(which, "near")
    if not which and _UNTIL_BEFORE.search(text, max(0, match.start() - 12), match.start()):
        mode = "onward"  # "runs through Monday", "from Friday": the coming one
    return Point(weekday=weekday, weekday_mode=mode)


def find(text: str) -> list[Found]:
    """Every English date expression in a normalised text."""
    found: list[Found] = []
    for match in _ABSOLUTE.finditer(text):
        what = _absolute(match)
        if what is not None:
            # A preposition is matched for context, not reported: the span starts at the date.
            start = next((match.start(name) for name in ("h_m", "i_y", "j_y1") if match[name]), match.start())
            # A time after a day makes it a posting time: "Updated: July 27, 2025 3:40 PM".
            day_named = isinstance(what, Point) and what.day is not None
            clock = _CLOCK_AFTER.match(text, match.end()) if day_named else None
            end = clock.end() if clock else match.end()
            found.append(Found(start, end, what, timestamp=clock is not None))
    for match in _RELATIVE.finditer(text):
        relative = _relative(text, match)
        if relative is not None:
            start = match.start("today") if match["today"] else match.start()
            found.append(Found(start, match.end(), relative))
    return found


def find_numeric(text: str) -> list[Found]:
    """ISO-style dates in any language: ``2025-07-28``, ``2025/07/28``, ``2024-04-03 10:09``."""
    found = []
    for match in _NUMERIC.finditer(text):
        point = Point(year=int(match["year"]), month=int(match["month"]), day=int(match["day"]))
        found.append(Found(match.start(), match.end(), point, timestamp=match["clock"] is not None))
    return found
