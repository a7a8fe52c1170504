"""The one place for time: partial dates in EDTF, their day bounds, their display, and human input.

A dated record stores an EDTF value (ISO 8601-2, level 0 and the level-1 features users need)::

    2023                    a year
    2023-10                 a month ("October 2023", never a fake 2023-10-01)
    2023-10-18              a day
    2025-07-26/2025-07-28   an interval
    2024-08-01/..           an interval with an open end (``../2024`` an open start)
    2024-08-01/             an interval whose end is unknown
    2023-10~  2023?  2023%  approximate, uncertain, both

Every value has a precision (year, month or day: the coarsest of its ends), strict lower and upper
bounds as calendar days (stored in indexed DATE columns for filtering and sorting; an open or unknown
end is stored as the first or last representable day), and a display form in English and Chinese.

:func:`parse_edtf` reads the notation strictly; :func:`parse_human_date` reads what people type
(``October 2023``, ``2023年10月``, ``26–28 July 2025``, ``2025年7月26日至28日``, ``c. 2024``) into the
same value, so nobody has to know the notation. Invalid input raises :class:`InvalidDate`, whose
message names the problem.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

OPEN_START = dt.date.min
OPEN_END = dt.date.max


class InvalidDate(ValueError):
    """A text that is not a valid partial date; the message says why, for a person to act on."""


class Precision(enum.StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"

    @property
    def rank(self) -> int:
        return {"year": 0, "month": 1, "day": 2}[self.value]


class Open(enum.Enum):
    """How an interval end that is not a date is written: ``..`` (open) or empty (unknown)."""

    OPEN = ".."
    UNKNOWN = ""


@dataclass(frozen=True)
class PartialDate:
    """One calendar date known to a year, a month or a day, perhaps approximate or uncertain."""

    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    uncertain: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise InvalidDate(f"year {self.year} is out of range: years run from 0001 to 9999.")
        if self.day is not None and self.month is None:
            raise InvalidDate("a day needs a month.")
        if self.month is not None and not 1 <= self.month <= 12:
            raise InvalidDate(f"month {self.month:02d} does not exist: months run from 01 to 12.")
        if self.day is not None and self.month is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise InvalidDate(
                    f"day {self.day:02d} does not exist in {self.year:04d}-{self.month:02d}, "
                    f"which has {last} days."
                )

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def lower(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def upper(self) -> dt.date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    @property
    def qualifier(self) -> str:
        if self.approximate and self.uncertain:
            return "%"
        if self.approximate:
            return "~"
        if self.uncertain:
            return "?"
        return ""

    def to_edtf(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text + self.qualifier

    @classmethod
    def from_date(cls, day: dt.date) -> PartialDate:
        return cls(day.year, day.month, day.day)


End = PartialDate | Open


@dataclass(frozen=True)
class DateValue:
    """An EDTF value: a single partial date, or an interval of two ends."""

    start: End
    end: End | None = None  # None: a single date, not an interval

    def __post_init__(self) -> None:
        if self.end is None:
            if not isinstance(self.start, PartialDate):
                raise InvalidDate("a date cannot be open or unknown on its own; give a year at least.")
            return
        if isinstance(self.start, Open) and isinstance(self.end, Open):
            raise InvalidDate("an interval needs at least one known end.")
        if (
            isinstance(self.start, PartialDate)
            and isinstance(self.end, PartialDate)
            and self.start.lower > self.end.upper
        ):
            raise InvalidDate(
                f"the interval ends ({self.end.to_edtf()}) before it starts ({self.start.to_edtf()})."
            )

    # --- What the database stores -------------------------------------------------------------

    @property
    def is_interval(self) -> bool:
        return self.end is not None

    def ends(self) -> list[PartialDate]:
        return [end for end in (self.start, self.end) if isinstance(end, PartialDate)]

    @property
    def precision(self) -> Precision:
        return min((end.precision for end in self.ends()), key=lambda precision: precision.rank)

    @property
    def lower(self) -> dt.date:
        return self.start.lower if isinstance(self.start, PartialDate) else OPEN_START

    @property
    def upper(self) -> dt.date:
        last = self.start if self.end is None else self.end
        return last.upper if isinstance(last, PartialDate) else OPEN_END

    @property
    def approximate(self) -> bool:
        return any(end.approximate for end in self.ends())

    @property
    def uncertain(self) -> bool:
        return any(end.uncertain for end in self.ends())

    def to_edtf(self) -> str:
        if self.end is None:
            return _end_to_edtf(self.start)
        return f"{_end_to_edtf(self.start)}/{_end_to_edtf(self.end)}"

    def __str__(self) -> str:
        return self.to_edtf()

    # --- What people read ---------------------------------------------------------------------

    def display(self, language: str = "en") -> str:
        """The value as a person writes it: "26–28 July 2025", "2025年7月26日至28日"."""
        if language.lower().startswith("zh"):
            return _display_zh(self)
        return _display_en(self)


def _end_to_edtf(end: End) -> str:
    return end.value if isinstance(end, Open) else end.to_edtf()


# --- Strict EDTF -------------------------------------------------------------------------------

_EDTF_DATE = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<qualifier>[~?%])?")
_DIGITS_AND_DASHES = re.compile(r"[\d?~%./-]+")


def parse_edtf(text: str) -> DateValue:
    """Read an EDTF value strictly; raise :class:`InvalidDate` naming the problem."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidDate("the date is empty.")
    text = text.strip()
    if "/" in text:
        if text.count("/") > 1:
            raise InvalidDate(f"{text!r} has more than one '/': an interval has exactly two ends.")
        first, second = text.split("/")
        return DateValue(_parse_end(first), _parse_end(second))
    if text in {"..", ""}:
        raise InvalidDate("'..' stands only for an open end of an interval, such as 2024-08-01/..")
    return DateValue(_parse_edtf_date(text))


def _parse_end(part: str) -> End:
    if part == "..":
        return Open.OPEN
    if part == "":
        return Open.UNKNOWN
    return _parse_edtf_date(part)


def _parse_edtf_date(text: str) -> PartialDate:
    match = _EDTF_DATE.fullmatch(text)
    if match is None:
        raise InvalidDate(_explain_bad_edtf(text))
    qualifier = match["qualifier"] or ""
    return PartialDate(
        int(match["year"]),
        int(match["month"]) if match["month"] else None,
        int(match["day"]) if match["day"] else None,
        approximate=qualifier in {"~", "%"},
        uncertain=qualifier in {"?", "%"},
    )


def _explain_bad_edtf(text: str) -> str:
    parts = text.rstrip("~?%").split("-")
    if not parts[0].isdigit() or len(parts[0]) != 4:
        return f"{text!r} is not a date: write the year with four digits, as in 2023, 2023-10 or 2023-10-18."
    if len(parts) > 3:
        return f"{text!r} has too many parts: write YYYY, YYYY-MM or YYYY-MM-DD."
    names = ["year", "month", "day"]
    for name, part in zip(names[1:], parts[1:], strict=False):
        if not part.isdigit() or len(part) != 2:
            return f"{text!r}: the {name} must have two digits (write {parts[0]}-07, not {parts[0]}-7)."
    return (
        f"{text!r} is not a valid EDTF date: "
        "write YYYY, YYYY-MM or YYYY-MM-DD, optionally ending in ~, ? or %."
    )


# --- Human input -------------------------------------------------------------------------------

_APPROXIMATE_WORDS = re.compile(
    r"^(?:c\.|ca\.|circa|about|around|approx(?:\.|imately)?|大约|大概|约|約)\s*", re.IGNORECASE
)
_APPROXIMATE_SUFFIX = re.compile(r"(?:左右|前后|前後)$")
_UNCERTAIN_MARK = re.compile(r"\s*(?:\((?:\?|uncertain)\)|\?|？|（(?:？|存疑)）)$", re.IGNORECASE)
_OPEN_START = re.compile(r"(?:until|till|up to|至|截至|截止)\s*(?P<date>.+)", re.IGNORECASE)
_OPEN_END = re.compile(
    r"(?:(?:from|since)\s+|自)(?P<date>.+?)(?:起|以来|以來)?|(?P<bare>.+?)(?:起|以来|以來)", re.IGNORECASE
)
_UNKNOWN_END = {"?", "？"}
_NUMERIC_DAY_MONTH_YEAR = re.compile(r"(?P<first>\d{1,2})[./-](?P<second>\d{1,2})[./-]\d{4}")
_YEAR_RANGE = re.compile(r"(?P<first>\d{4})\s*-\s*(?P<second>\d{4})")
_RANGE_WORDS = re.compile(
    r"^(?:from|between)\s+(?P<first>.+?)\s+(?:to|until|till|and|through)\s+(?P<second>.+)$", re.I
)
_RANGE_SEPARATOR = re.compile(
    r"\s*(?:–|—|－|～|至|到|\bto\b|\buntil\b|\s-\s)\s*|(?<=\d)-(?=\d{1,2}\s+[A-Za-z])", re.I
)
_ZH_DATE = re.compile(
    r"(?:(?P<year>\d{4})\s*年)?\s*(?:(?P<month>\d{1,2})\s*月(?:份)?)?\s*(?:(?P<day>\d{1,2})\s*[日号號])?"
)
_EN_DAY_ONLY = re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?")
# EDTF's qualifier written in front, as people do: "~2024-05" is "2024-05~".
_LEADING_QUALIFIER = re.compile(r"(?P<mark>[~?%])\s*(?P<date>\d{4}(?:-\d{2}(?:-\d{2})?)?)")
# Parts of a year or month with agreed bounds: 上半年 is January to June, 上旬 the 1st to the 10th.
_ZH_HALF_YEAR = re.compile(r"(?P<year>\d{4})\s*年\s*(?P<half>[上下])半年")
_EN_HALF_YEAR = re.compile(r"(?:the\s+)?(?P<half>first|second)\s+half\s+of\s+(?P<year>\d{4})", re.I)
_ZH_TEN_DAYS = re.compile(r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<part>[上中下])旬")
# Parts of a year or month with no agreed bounds: refused, saying so, rather than guessed.
_VAGUE_EN = re.compile(
    r"(?:(?:c\.|ca\.|circa|about|around)\s*)?(?P<word>early|mid|middle of|late|end of|beginning of|start of"
    r"|spring|summer|autumn|fall|winter)[\s-]+(?P<rest>.*\d{4}.*)",
    re.I,
)
_VAGUE_ZH = re.compile(r"(?P<rest>.*\d{1,4}\s*[年月])\s*(?P<word>[初中底末]|[春夏秋冬]季?)")


def parse_human_date(text: str) -> DateValue:
    """Read what a person types into an EDTF value.

    Accepts EDTF itself, English and Chinese dates at year, month or day precision, ranges in either
    language ("26–28 July 2025", "2025年7月26日至28日"), and markers of approximation ("c. 2024",
    "约2024年") or uncertainty ("2023?").
    """
    if not isinstance(text, str) or not text.strip():
        raise InvalidDate("the date is empty.")
    text = " ".join(text.strip().split())
    if len(text) > 200:
        raise InvalidDate("the date is too long to be a date (200 characters at most).")
    control = next((character for character in text if unicodedata.category(character) == "Cc"), None)
    if control is not None:
        raise InvalidDate(f"the date contains a control character (U+{ord(control):04X}); type it again.")
    named = _named_part(text)
    if named is not None:
        return named
    leading = _LEADING_QUALIFIER.fullmatch(text)
    if leading:
        return parse_edtf(leading["date"] + leading["mark"])
    years = _YEAR_RANGE.fullmatch(text)
    if years:
        return parse_edtf(f"{years['first']}/{years['second']}")
    numeric = _NUMERIC_DAY_MONTH_YEAR.fullmatch(text)
    if (
        numeric
        and int(numeric["first"]) <= 12
        and int(numeric["second"]) <= 12
        and numeric["first"] != numeric["second"]
    ):
        raise InvalidDate(
            f"{text!r} is ambiguous: day-month or month-day? Write 2024-04-03, 3 April 2024 or 2024年4月3日."
        )
    if _DIGITS_AND_DASHES.fullmatch(text) and not numeric:
        return parse_edtf(text)  # notation, or something close enough to be refused with a reason

    first, second = _split_range(text)
    if second is None:
        single = _parse_human_single(first, text)
        assert isinstance(single, PartialDate)  # a lone date without a year was refused above
        return DateValue(single)
    if first in _OPEN_MARKS or second in _OPEN_MARKS:
        return DateValue(_open_or_date(first, text), _open_or_date(second, text))
    start = _parse_human_single(first, text, partial_ok=True)
    end = _parse_human_single(second, text, partial_ok=True)
    start, end = _fill_range_ends(start, end, text)
    return DateValue(start, end)


_OPEN_MARKS = {"..", *_UNKNOWN_END}


def _named_part(text: str) -> DateValue | None:
    """A named half year or ten days as the interval it is; a vague part ("late 2023") refused."""
    half = _ZH_HALF_YEAR.fullmatch(text) or _EN_HALF_YEAR.fullmatch(text)
    if half:
        year, first_half = int(half["year"]), half["half"].lower() in {"上", "first"}
        return DateValue(
            PartialDate(year, 1 if first_half else 7), PartialDate(year, 6 if first_half else 12)
        )
    ten = _ZH_TEN_DAYS.fullmatch(text)
    if ten:
        year, month = int(ten["year"]), int(ten["month"])
        PartialDate(year, month)  # a month that does not exist is refused as such
        first = {"上": 1, "中": 11, "下": 21}[ten["part"]]
        last = {"上": 10, "中": 20, "下": calendar.monthrange(year, month)[1]}[ten["part"]]
        return DateValue(PartialDate(year, month, first), PartialDate(year, month, last))
    vague = _VAGUE_EN.fullmatch(text) or _VAGUE_ZH.fullmatch(text)
    if vague:
        word, rest = vague["word"], vague["rest"].strip()
        named_year = re.search(r"\d{4}", text)
        span = f"{named_year[0]}-09/{named_year[0]}-12" if named_year else "2023-09/2023-12"
        about = f"约{rest}" if re.search(r"[年月]", rest) else f"c. {rest}"
        raise InvalidDate(
            f"{text!r}: “{word}” names no exact months or days, and a date here is stored with its bounds. "
            f"Write the span you mean, as in {span}, or the whole period approximately: {about}."
        )
    return None


def _open_or_date(text: str, whole: str) -> End:
    if text == "..":
        return Open.OPEN
    if text in _UNKNOWN_END:
        return Open.UNKNOWN
    date = _parse_human_single(text, whole)
    assert isinstance(date, PartialDate)
    return date


def _split_range(text: str) -> tuple[str, str | None]:
    """Split a typed range into its two ends; ".." stands for an open end and "?" for an unknown one."""
    words = _RANGE_WORDS.match(text)
    if words:
        return words["first"], words["second"]
    open_start = _OPEN_START.fullmatch(text)
    if open_start:
        return "..", open_start["date"]
    open_end = _OPEN_END.fullmatch(text)
    if open_end:
        return open_end["date"] or open_end["bare"], ".."
    pieces = _RANGE_SEPARATOR.split(text, maxsplit=1)
    if len(pieces) == 2 and pieces[0].strip() and pieces[1].strip():
        return pieces[0].strip(), pieces[1].strip()
    return text, None


@dataclass(frozen=True)
class _Fragment:
    """A date as typed, perhaps missing its year or month (the other end of a range supplies them)."""

    year: int | None
    month: int | None
    day: int | None
    approximate: bool
    uncertain: bool


def _parse_human_single(text: str, whole: str, partial_ok: bool = False) -> PartialDate | _Fragment:
    approximate = bool(_APPROXIMATE_WORDS.search(text))
    text = _APPROXIMATE_WORDS.sub("", text)
    if _APPROXIMATE_SUFFIX.search(text):
        approximate, text = True, _APPROXIMATE_SUFFIX.sub("", text)
    uncertain = bool(_UNCERTAIN_MARK.search(text))
    text = _UNCERTAIN_MARK.sub("", text).strip()
    if not text:
        raise InvalidDate(f"{whole!r} has no date in it.")

    fragment = _parse_fragment(text, whole)
    fragment = _Fragment(
        fragment.year,
        fragment.month,
        fragment.day,
        approximate or fragment.approximate,
        uncertain or fragment.uncertain,
    )
    if fragment.year is None:
        if partial_ok:
            return fragment
        raise InvalidDate(f"{whole!r} has no year: write it in full, as in 26 July 2025 or 2025年7月26日.")
    return PartialDate(fragment.year, fragment.month, fragment.day, fragment.approximate, fragment.uncertain)


def _parse_fragment(text: str, whole: str) -> _Fragment:
    if re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?[~?%]?", text):
        date = parse_edtf(text).start
        assert isinstance(date, PartialDate)
        # The notation's own ~ ? % marks count like the words: "2023~ – 2024" starts approximately.
        return _Fragment(date.year, date.month, date.day, date.approximate, date.uncertain)
    if re.search(r"[年月日号號]", text):
        match = _ZH_DATE.fullmatch(text)
        if match is None or not any(match.groupdict().values()):
            raise InvalidDate(f"{whole!r} is not a date this service can read: write it as 2025年7月26日.")
        if match["day"] and not match["month"] and match["year"]:
            raise InvalidDate(f"{whole!r} gives a day without a month.")
        return _Fragment(
            int(match["year"]) if match["year"] else None,
            int(match["month"]) if match["month"] else None,
            int(match["day"]) if match["day"] else None,
            False,
            False,
        )
    day_only = _EN_DAY_ONLY.fullmatch(text)
    if day_only:
        return _Fragment(None, None, int(day_only["day"]), False, False)
    return _parse_with_dateparser(text, whole)


def _parse_with_dateparser(text: str, whole: str) -> _Fragment:
    parsed = _date_data_parser().get_date_data(text)
    if parsed.date_obj is None:
        raise InvalidDate(
            f"{whole!r} is not a date this service can read: try 2023, October 2023, 26 July 2025, "
            "2023年10月 or the EDTF form 2023-10."
        )
    value = parsed.date_obj
    has_year = bool(re.search(r"\d{4}|'\d{2}\b", text))
    year = value.year if has_year else None
    if parsed.period == "year":
        return _Fragment(year, None, None, False, False)
    if parsed.period == "month":
        return _Fragment(year, value.month, None, False, False)
    return _Fragment(year, value.month, value.day, False, False)


@cache
def _date_data_parser():  # type: ignore[no-untyped-def]
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en", "zh"],
        settings={
            "RETURN_TIME_AS_PERIOD": True,
            "PARSERS": ["custom-formats", "absolute-time"],
            "PREFER_DAY_OF_MONTH": "first",
        },
    )


def _fill_range_ends(
    start: PartialDate | _Fragment, end: PartialDate | _Fragment, whole: str
) -> tuple[PartialDate, PartialDate]:
    """Complete "26–28 July 2025" and "2025年7月26日至28日": each end lends the other what it omits."""
    if isinstance(start, _Fragment) and isinstance(end, _Fragment):
        raise InvalidDate(f"{whole!r} has no year: write it in full, as in 26–28 July 2025.")
    if isinstance(start, _Fragment):
        assert isinstance(end, PartialDate)
        if start.month is None and end.month is None:
            raise InvalidDate(f"{whole!r} gives days without a month.")
        start = PartialDate(end.year, start.month or end.month, start.day, start.approximate, start.uncertain)
    if isinstance(end, _Fragment):
        if end.month is None and end.day is not None and start.month is None:
            raise InvalidDate(f"{whole!r} gives days without a month.")
        month = end.month if end.month is not None else (start.month if end.day is not None else None)
        end = PartialDate(start.year, month, end.day, end.approximate, end.uncertain)
    return start, end


# --- Display -----------------------------------------------------------------------------------

_MONTHS_EN = [calendar.month_name[number] for number in range(13)]


def _en_date(date: PartialDate, show_year: bool = True, show_month: bool = True) -> str:
    parts = []
    if date.day is not None:
        parts.append(str(date.day))
    if date.month is not None and show_month:
        parts.append(_MONTHS_EN[date.month])
    if show_year:
        parts.append(f"{date.year:04d}")
    return " ".join(parts)


def _en_qualified(text: str, approximate: bool, uncertain: bool) -> str:
    if approximate:
        text = f"c. {text}"
    if uncertain:
        text = f"{text} (uncertain)"
    return text


def _display_en(value: DateValue) -> str:
    start, end = value.start, value.end
    if end is None:
        assert isinstance(start, PartialDate)
        return _en_qualified(_en_date(start), start.approximate, start.uncertain)
    if isinstance(start, Open):
        assert isinstance(end, PartialDate)
        prefix = "until" if start is Open.OPEN else "? –"
        return f"{prefix} {_en_qualified(_en_date(end), end.approximate, end.uncertain)}"
    if isinstance(end, Open):
        text = _en_qualified(_en_date(start), start.approximate, start.uncertain)
        return f"from {text}" if end is Open.OPEN else f"{text} – ?"
    if start.qualifier or end.qualifier or start.precision != end.precision:
        first = _en_qualified(_en_date(start), start.approximate, start.uncertain)
        return f"{first} – {_en_qualified(_en_date(end), end.approximate, end.uncertain)}"
    same_year = start.year == end.year
    if start.precision is Precision.YEAR:
        return f"{start.year:04d}–{end.year:04d}"
    if start.precision is Precision.DAY and same_year and start.month == end.month:
        return f"{start.day}–{_en_date(end)}"
    if same_year:
        joiner = "–" if start.precision is Precision.MONTH else " – "
        return f"{_en_date(start, show_year=False)}{joiner}{_en_date(end)}"
    return f"{_en_date(start)} – {_en_date(end)}"


def _zh_date(date: PartialDate, show_year: bool = True, show_month: bool = True) -> str:
    text = f"{date.year:04d}年" if show_year else ""
    if date.month is not None and show_month:
        text += f"{date.month}月"
    if date.day is not None:
        text += f"{date.day}日"
    return text


def _zh_qualified(text: str, approximate: bool, uncertain: bool) -> str:
    if approximate:
        text = f"约{text}"
    if uncertain:
        text = f"{text}（存疑）"
    return text


def _display_zh(value: DateValue) -> str:
    start, end = value.start, value.end
    if end is None:
        assert isinstance(start, PartialDate)
        return _zh_qualified(_zh_date(start), start.approximate, start.uncertain)
    if isinstance(start, Open):
        assert isinstance(end, PartialDate)
        text = _zh_qualified(_zh_date(end), end.approximate, end.uncertain)
        return f"至{text}" if start is Open.OPEN else f"？至{text}"
    if isinstance(end, Open):
        text = _zh_qualified(_zh_date(start), start.approximate, start.uncertain)
        return f"{text}起" if end is Open.OPEN else f"{text}至？"
    first = _zh_qualified(_zh_date(start), start.approximate, start.uncertain)
    if start.qualifier or end.qualifier or start.precision != end.precision:
        second = _zh_date(end)
    else:
        same_year = start.year == end.year and start.precision is not Precision.YEAR
        same_month = same_year and start.month == end.month and start.day is not None
        second = _zh_date(end, show_year=not same_year, show_month=not same_month)
    return f"{first}至{_zh_qualified(second, end.approximate, end.uncertain)}"


# --- Helpers for callers -----------------------------------------------------------------------


def bounds(value: str | None) -> tuple[dt.date | None, dt.date | None, str]:
    """The stored columns of an EDTF value: (lower, upper, precision); empty for no value."""
    if not value:
        return None, None, ""
    parsed = parse_edtf(value)
    return parsed.lower, parsed.upper, parsed.precision.value


# --- Moments (date-times) from clients -----------------------------------------------------------

# Real UTC offsets run from -12:00 to +14:00; PostgreSQL refuses those beyond ±15:59 (a 500 if passed on).
UTC_OFFSET_RANGE = (dt.timedelta(hours=-12), dt.timedelta(hours=14))


def utc_offset_problem(moment: dt.datetime) -> str | None:
    """Why ``moment``'s UTC offset is not a real one (None if it is, or if it has none)."""
    offset = moment.utcoffset()
    if offset is None or UTC_OFFSET_RANGE[0] <= offset <= UTC_OFFSET_RANGE[1]:
        return None
    sign, minutes = ("-" if offset < dt.timedelta(0) else "+"), abs(offset) // dt.timedelta(minutes=1)
    shown = f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    return f"its UTC offset {shown} is out of range: give one from -12:00 to +14:00 (or Z)."


# --- Reading stored values without parsing them ----------------------------------------------------
# Renderers of thousands of rows (the feeds) take the bounds and precision from the stored columns and
# only these marks from the EDTF text, which parse_edtf has already validated on the way in.

_PRECISION_OF_LENGTH = {4: Precision.YEAR, 7: Precision.MONTH, 10: Precision.DAY}


def stored_qualifiers(edtf: str) -> tuple[bool, bool]:
    """(approximate, uncertain) of a stored EDTF value, from its marks (``~``, ``?``, ``%``)."""
    both = "%" in edtf
    return both or "~" in edtf, both or "?" in edtf


def stored_end_precisions(edtf: str) -> tuple[Precision | None, ...]:
    """The precision of each end of a stored EDTF value (one for a single date); None for an open or
    unknown end."""
    return tuple(_PRECISION_OF_LENGTH.get(len(part.rstrip("~?%"))) for part in edtf.split("/"))


def first_day(day: dt.date, precision: Precision) -> dt.date:
    """The first day of the year, month or day containing ``day``."""
    if precision is Precision.YEAR:
        return day.replace(month=1, day=1)
    if precision is Precision.MONTH:
        return day.replace(day=1)
    return day


def iso_at_precision(day: dt.date, precision: Precision) -> str:
    """``day`` written to ``precision`` only: ``2023``, ``2023-10``, ``2023-10-18``."""
    return day.isoformat()[: {Precision.YEAR: 4, Precision.MONTH: 7, Precision.DAY: 10}[precision]]
