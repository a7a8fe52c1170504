"""The time module: EDTF values, their bounds and display, and human input, property-tested."""

import calendar
import datetime as dt
import re

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from events.partial_dates import (
    OPEN_END,
    OPEN_START,
    DateValue,
    InvalidDate,
    Open,
    PartialDate,
    Precision,
    bounds,
    parse_edtf,
    parse_human_date,
)

# --- Strategies -------------------------------------------------------------------------------------

years = st.integers(min_value=1, max_value=9999)
qualifiers = st.sampled_from(["", "~", "?", "%"])


@st.composite
def partial_dates(draw, precision=None):
    precision = precision or draw(st.sampled_from(list(Precision)))
    year = draw(years)
    if precision is Precision.YEAR:
        return PartialDate(year)
    month = draw(st.integers(1, 12))
    if precision is Precision.MONTH:
        return PartialDate(year, month)
    return PartialDate(year, month, draw(st.integers(1, calendar.monthrange(year, month)[1])))


@st.composite
def qualified_dates(draw):
    date = draw(partial_dates())
    qualifier = draw(qualifiers)
    return PartialDate(
        date.year,
        date.month,
        date.day,
        qualifier in "~%" and qualifier != "",
        qualifier in "?%" and qualifier != "",
    )


@st.composite
def edtf_values(draw):
    """Any value the service stores: a single date, a closed interval, or one with an open/unknown end."""
    kind = draw(st.sampled_from(["single", "interval", "open_end", "open_start"]))
    first = draw(qualified_dates())
    if kind == "single":
        return DateValue(first)
    if kind == "open_end":
        return DateValue(first, draw(st.sampled_from(list(Open))))
    if kind == "open_start":
        return DateValue(draw(st.sampled_from(list(Open))), first)
    second = draw(qualified_dates())
    assume(first.lower <= second.upper)
    return DateValue(first, second)


# --- The acceptance example of the issue ------------------------------------------------------------


def test_a_month_is_stored_as_a_month_not_as_its_first_day():
    value = parse_edtf("2023-10")
    assert value.precision is Precision.MONTH
    assert (value.lower, value.upper) == (dt.date(2023, 10, 1), dt.date(2023, 10, 31))
    assert value.display("en") == "October 2023"
    assert value.display("zh") == "2023年10月"
    assert bounds("2023-10") == (dt.date(2023, 10, 1), dt.date(2023, 10, 31), "month")


@pytest.mark.parametrize(
    ("edtf", "lower", "upper", "precision", "english", "chinese"),
    [
        ("2023", "2023-01-01", "2023-12-31", "year", "2023", "2023年"),
        ("2024-02", "2024-02-01", "2024-02-29", "month", "February 2024", "2024年2月"),
        ("2023-10-18", "2023-10-18", "2023-10-18", "day", "18 October 2023", "2023年10月18日"),
        (
            "2025-07-26/2025-07-28",
            "2025-07-26",
            "2025-07-28",
            "day",
            "26–28 July 2025",
            "2025年7月26日至28日",
        ),
        (
            "2025-07-26/2025-08-02",
            "2025-07-26",
            "2025-08-02",
            "day",
            "26 July – 2 August 2025",
            "2025年7月26日至8月2日",
        ),
        ("2025-07/2025-09", "2025-07-01", "2025-09-30", "month", "July–September 2025", "2025年7月至9月"),
        ("2023/2024-06", "2023-01-01", "2024-06-30", "year", "2023 – June 2024", "2023年至2024年6月"),
        ("2024-08-01/..", "2024-08-01", "9999-12-31", "day", "from 1 August 2024", "2024年8月1日起"),
        ("../2024", "0001-01-01", "2024-12-31", "year", "until 2024", "至2024年"),
        ("2024-08-01/", "2024-08-01", "9999-12-31", "day", "1 August 2024 – ?", "2024年8月1日至？"),
        ("2024~", "2024-01-01", "2024-12-31", "year", "c. 2024", "约2024年"),
        ("2023?", "2023-01-01", "2023-12-31", "year", "2023 (uncertain)", "2023年（存疑）"),
        (
            "2023-10%",
            "2023-10-01",
            "2023-10-31",
            "month",
            "c. October 2023 (uncertain)",
            "约2023年10月（存疑）",
        ),
    ],
)
def test_values_have_strict_bounds_precision_and_display(edtf, lower, upper, precision, english, chinese):
    value = parse_edtf(edtf)
    assert (value.lower.isoformat(), value.upper.isoformat()) == (lower, upper)
    assert value.precision == precision
    assert value.display("en") == english
    assert value.display("zh-hans") == chinese
    assert value.to_edtf() == edtf


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2023-13", "month 13 does not exist"),
        ("2023-00", "month 00 does not exist"),
        ("2023-02-29", "day 29 does not exist in 2023-02"),
        ("2025-07-28/2025-07-26", "ends (2025-07-26) before it starts (2025-07-28)"),
        ("2025-7", "must have two digits"),
        ("2025-07-1", "day must have two digits"),
        ("23", "four digits"),
        ("0000", "year 0 is out of range"),
        ("../..", "at least one known end"),
        ("..", "open end of an interval"),
        ("2023/2024/2025", "more than one '/'"),
        ("", "empty"),
        ("2023-10-18-01", "too many parts"),
        ("October 2023", "four digits"),
    ],
)
def test_invalid_edtf_is_refused_with_a_message_naming_the_problem(text, problem):
    with pytest.raises(
        InvalidDate, match=problem.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")
    ):
        parse_edtf(text)


@pytest.mark.parametrize(
    ("typed", "edtf"),
    [
        ("October 2023", "2023-10"),
        ("Oct 2023", "2023-10"),
        ("2023年10月", "2023-10"),
        ("26 July 2025", "2025-07-26"),
        ("July 26, 2025", "2025-07-26"),
        ("2025年7月26日", "2025-07-26"),
        ("2025年7月26日至28日", "2025-07-26/2025-07-28"),
        ("2025年7月26日—28日", "2025-07-26/2025-07-28"),
        ("26–28 July 2025", "2025-07-26/2025-07-28"),
        ("26-28 July 2025", "2025-07-26/2025-07-28"),
        ("from July 2025 to March 2026", "2025-07/2026-03"),
        ("2023-2025", "2023/2025"),
        ("c. 2024", "2024~"),
        ("circa October 2023", "2023-10~"),
        ("约2024年", "2024~"),
        ("2024年左右", "2024~"),
        ("2023?", "2023?"),
        ("since March 2024", "2024-03/.."),
        ("自2024年3月起", "2024-03/.."),
        ("until 2024", "../2024"),
        ("2023-10-18", "2023-10-18"),
        ("  2023 ", "2023"),
    ],
)
def test_human_input_becomes_edtf(typed, edtf):
    assert parse_human_date(typed).to_edtf() == edtf


@pytest.mark.parametrize(
    ("typed", "edtf"),
    [
        ("2023~ – 2024", "2023~/2024"),
        ("2023 – 2024%", "2023/2024%"),
        ("2023% – 2024?", "2023%/2024?"),
        ("2023-10~ – 2023-12", "2023-10~/2023-12"),
    ],
)
def test_the_notations_marks_are_kept_on_range_ends(typed, edtf):
    assert parse_human_date(typed).to_edtf() == edtf


@pytest.mark.parametrize(
    ("typed", "edtf"),
    [
        ("From 1 August 2024", "2024-08-01/.."),
        ("FROM 1 August 2024", "2024-08-01/.."),
        ("Since March 2024", "2024-03/.."),
        ("SINCE 2020", "2020/.."),
        ("Until 2024", "../2024"),
    ],
)
def test_open_end_words_are_read_in_any_case(typed, edtf):
    assert parse_human_date(typed).to_edtf() == edtf


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("yesterday", "not a date this service can read"),
        ("next Tuesday", "no year"),
        ("26 July", "no year"),
        ("7月26日", "no year"),
        ("03/04/2024", "ambiguous"),
        ("2025-7", "two digits"),
        ("2025年13月", "month 13 does not exist"),
        ("28–26 July 2025", "before it starts"),
        ("x" * 500, "too long"),
        ("<script>alert(1)</script>", "not a date"),
    ],
)
def test_human_input_that_is_no_date_is_refused_with_a_reason(typed, problem):
    with pytest.raises(InvalidDate, match=problem):
        parse_human_date(typed)


# --- Properties -------------------------------------------------------------------------------------


@given(edtf_values())
def test_bounds_are_ordered(value):
    assert value.lower <= value.upper


@given(partial_dates(), st.data())
def test_a_finer_date_inside_a_value_has_bounds_inside_its_bounds(date, data):
    """2023-10-18 lies within 2023-10, which lies within 2023: the bounds nest."""
    finer_month = date.month or data.draw(st.integers(1, 12))
    finer_day = date.day or data.draw(st.integers(1, calendar.monthrange(date.year, finer_month)[1]))
    for finer in (PartialDate(date.year, finer_month), PartialDate(date.year, finer_month, finer_day)):
        if finer.precision.rank >= date.precision.rank:
            assert date.lower <= finer.lower <= finer.upper <= date.upper


@given(partial_dates(Precision.DAY), partial_dates(Precision.DAY))
def test_an_interval_spans_exactly_from_its_start_to_its_end(first, second):
    start, end = sorted([first, second], key=lambda date: date.lower)
    value = DateValue(start, end)
    assert (value.lower, value.upper) == (start.lower, end.upper)


@given(edtf_values())
def test_edtf_round_trips_through_storage(value):
    """What is stored (the EDTF text and its columns) reads back as the same value."""
    text = value.to_edtf()
    again = parse_edtf(text)
    assert again == value
    assert bounds(text) == (value.lower, value.upper, value.precision.value)


@given(edtf_values(), st.sampled_from(["en", "zh"]))
def test_display_reads_back_as_the_same_value(value, language):
    """What a person is shown, typed back in, is the same value: display and human input agree."""
    assert parse_human_date(value.display(language)) == value


@given(edtf_values())
def test_open_ends_reach_the_ends_of_the_calendar(value):
    if value.is_interval and isinstance(value.end, Open):
        assert value.upper == OPEN_END
    if isinstance(value.start, Open):
        assert value.lower == OPEN_START


DATE_LIKE_TEXT = st.text(alphabet=list("0123456789-/.~?% 年月日至到起约c.fromtoJulyOct–—？"), max_size=25)


@given(st.one_of(st.text(max_size=60), DATE_LIKE_TEXT))
@example("2023-02-30")
@example("9999-12-31/..")
@example("年月日")
@example("至至")
@example("from to")
@example("26–")
def test_any_text_is_a_date_or_refused_never_a_crash(text):
    for parse in (parse_edtf, parse_human_date):
        try:
            value = parse(text)
        except InvalidDate as error:
            assert str(error)
        else:
            assert value.lower <= value.upper
            assert parse_edtf(value.to_edtf()) == value


@pytest.mark.parametrize(
    "typed,edtf",
    [
        ("~2024-05", "2024-05~"),
        ("?2024", "2024?"),
        ("% 2024-05-03", "2024-05-03%"),
        ("2024年5月前后", "2024-05~"),
        ("circa 2024", "2024~"),
        ("2024年上半年", "2024-01/2024-06"),
        ("the second half of 2023", "2023-07/2023-12"),
        ("2024年2月下旬", "2024-02-21/2024-02-29"),
        ("2023年11月中旬", "2023-11-11/2023-11-20"),
    ],
)
def test_dates_as_people_write_them_where_the_model_can_say_them(typed, edtf):
    assert parse_human_date(typed).to_edtf() == edtf


@pytest.mark.parametrize(
    "typed,problem",
    [
        ("mid-2023", "“mid” names no exact months or days"),
        ("late 2023", "“late” names no exact months or days"),
        ("early May 2024", "“early” names no exact months or days"),
        ("summer 2023", "“summer” names no exact months or days"),
        ("2023年底", "“底” names no exact months or days"),
        ("~2024-13", "month 13 does not exist"),
        ("2024年13月上旬", "month 13 does not exist"),
        ("2024\x00-05", "control character (U+0000)"),
    ],
)
def test_parts_with_no_agreed_bounds_are_refused_by_name(typed, problem):
    with pytest.raises(InvalidDate, match=re.escape(problem)):
        parse_human_date(typed)
