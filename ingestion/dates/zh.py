"""The Chinese date grammar (simplified and traditional): 年/月/日 dates, runs, relative days, weekdays.

It reads the normalised text (:func:`ingestion.cleaning.normalised_view`: ASCII digits, no pinyin) and
finds::

    2023年10月   2025年7月26日   7 月 28 日   二〇二五年   26日   7月初   2025年上半年
    7月26日至28日   26—28日   2024年至2025年   今年4月   去年12月26日   上月5日
    今天  昨天上午  前天  明天  当天/當天  当日  同日  次日  翌日
    周二  星期二  禮拜二  上周三  下週一  本周  上周

and leaves out what only looks like a date: durations (``近半年``, ``三年来``, ``70万年``, ``3个月``),
counts and ordinals (``13条``, ``第5日``, ``嫦娥六号``), years inside names (``2025世界人工智能大会``,
``2030年可持续发展议程``), and word-internal look-alikes (``月球``, ``日元``, ``今日头条``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingestion.dates.base import Found, Point, Span

_S = r"[ \t]*"
_ZH_DIGIT = "〇零○一二三四五六七八九"
_YEAR_NUMBER = rf"\d{{4}}|[{_ZH_DIGIT}]{{4}}"
_MONTH_NUMBER = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_DAY_NUMBER = (
    r"3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]"
)
_RUN = r"(?:至|到|—{1,2}|–|-|~|～|－)"

_YEAR_PART = (
    rf"(?:(?P<year>{_YEAR_NUMBER})(?:{_S}{_RUN}{_S}(?P<year2>{_YEAR_NUMBER}))?{_S}年(?![代级級纪紀龄齡轻輕])"
    r"|(?P<year_word>今年|去年|明年|前年|后年|後年|同年|次年|翌年)"
    # Taiwan's Republic era: 民國113年, and 113年10月 (a three-digit year before a month).
    rf"|(?:民國|民国){_S}(?P<roc>\d{{1,3}}){_S}年|(?P<roc_bare>1[0-4]\d){_S}年(?={_S}(?:1[0-2]|0?[1-9]){_S}月)"
    # The year may go unsaid before a part of it: 上半年, 年底, 一季度 are this year's.
    r"|(?<![\d年〇零○一二三四五六七八九十新过過当當每多])(?=上半年|下半年|年初|年底|年末|前三季度|(?:第)?[一二三四1-4]季度))"
    r"(?P<year_mod>(?:年)?(?:初|底|末)|上半年|下半年|前三季度|(?:第)?(?P<quarter>[一二三四1-4])季度)?"
)
_MONTH_PART = (
    rf"(?:(?P<month>{_MONTH_NUMBER})(?:{_S}{_RUN}{_S}(?P<month2>{_MONTH_NUMBER}))?{_S}月(?:份)?"
    r"|(?P<month_word>本月|上月|下月|上个月|上個月|下个月|下個月|同月|当月|當月|次月))"
    r"(?P<month_mod>上旬|中旬|下旬|初|底|末)?"
)
_DAY_PART = rf"(?P<day>{_DAY_NUMBER})(?:{_S}{_RUN}{_S}(?P<day2>{_DAY_NUMBER}))?{_S}(?P<day_mark>[日号號])"
_TIME_OF_DAY = r"(?:上午|下午|晚上|晚间|晚間|早上|早晨|凌晨|中午|傍晚|夜间|夜間|深夜|清晨|早间|早間)"
_CLOCK = r"(?P<clock>\d{1,2}:\d{2}(?::\d{2})?)"

_POINT = re.compile(
    rf"(?<![\d.])(?:{_YEAR_PART}{_S})?(?:{_MONTH_PART}{_S})?(?:{_DAY_PART})?"
    rf"(?:{_S}(?:{_TIME_OF_DAY}|{_CLOCK}))?"
)
_RELATIVE = re.compile(
    r"(?P<word>今天|今日|今晨|今早|今晚|今夜|昨天|昨日|昨晚|昨夜|前天|明天|明日|明晚|明早|后天|後天|"
    r"当天|當天|当日|當日|同日|同一天|当晚|當晚|次日|翌日|隔天)"
    r"|(?P<week_word>上|下|本|这|這)?(?:个|個)?(?P<week>周|週|星期|礼拜|禮拜)(?P<weekday>[一二三四五六日天])?"
)
_RELATIVE_TIME = re.compile(rf"{_S}{_TIME_OF_DAY}")

_DAY_WORDS = {
    "今晨": 0,
    "今早": 0,
    "今晚": 0,
    "今夜": 0,
    "昨晚": -1,
    "昨夜": -1,
    "明晚": 1,
    "明早": 1,
    "今天": 0,
    "今日": 0,
    "昨天": -1,
    "昨日": -1,
    "前天": -2,
    "明天": 1,
    "明日": 1,
    "后天": 2,
    "後天": 2,
}
_SAME_DAY_WORDS = {
    "当天": 0, "當天": 0, "当日": 0, "當日": 0, "同日": 0, "同一天": 0, "当晚": 0, "當晚": 0, "次日": 1,
    "翌日": 1, "隔天": 1,
}  # fmt: skip
_HABIT_BEFORE = re.compile(r"(?:每年|每月|每逢|每周|每週|逢)\s*$")
_YEAR_WORDS = {"今年": 0, "去年": -1, "明年": 1, "前年": -2, "后年": 2, "後年": 2}
_MONTH_WORDS = {"本月": 0, "上月": -1, "下月": 1, "上个月": -1, "上個月": -1, "下个月": 1, "下個月": 1}
_LAST_YEAR_WORDS = {"同年": 0, "次年": 1, "翌年": 1}
_LAST_MONTH_WORDS = {"同月": 0, "当月": 0, "當月": 0, "次月": 1}
_WEEK_WORDS = {None: None, "上": -1, "下": 1, "本": 0, "这": 0, "這": 0}
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}

# A number right after one of these counts or orders things: 第5日, 每月, 近3月, 前4月, 数日.
_COUNTING_BEFORE = set("第每近前数數几幾这這多个個余餘逾约約") | set("0123456789.")
# After a day or a month these make another word: 日元 (yen), 日均, 月球, 月薪, 月度, 日内 (within days).
_DAY_WORD_AFTER = re.compile(r"[元均游遊间間内內制班薪龄齡]|以内|之内")
_MONTH_WORD_AFTER = re.compile(r"[球光亮饼餅薪票租供度刊息嫂牙]")
# A name that a year heads: "2030年可持续发展议程", "2025世界人工智能大会", "2025年6G发展大会".
_NAME_TAIL = re.compile(
    r"[^\s,.;:!?，。；：！？、()（）《》“”\"'前后後以将將在的了是为為和与與及并於于到至起来來时時]{0,12}?"
    r"(?:议程|議程|大会|大會|会议|會議|峰会|峰會|论坛|論壇|博览会|博覽會|运动会|運動會|奥运会|奧運會|世博会|世博會|"
    r"世界杯|规划|規劃|愿景|願景|年会|年會|展览会|展覽會|纲要|綱要|战略|戰略|计划|計劃|目标|目標|行动|行動|"
    r"议案|議案|倡议|倡議|法案|宣言|协定|協定|公约|公約|挑战赛|挑戰賽|锦标赛|錦標賽|联赛|聯賽|赛季|賽季|版)"
)
# Names that start with a relative day word: 今日头条, 今日俄罗斯, 明日之后, 前天津 (a former Tianjin …).
_RELATIVE_NAME_AFTER = {
    "今日": re.compile(r"头条|頭條|俄罗斯|俄羅斯|美国|美國|中国|中國|说法|說法|关注|關注"),
    "前天": re.compile(r"津"),
    "今晚": re.compile(r"[报報]"),
    "明日": re.compile(r"之"),
    "后天": re.compile(r"[的性]"),
    "後天": re.compile(r"[的性]"),
}
# "Today" as "nowadays": 今天的中国, 时至今日, 直到今天.
_NOWADAYS_AFTER = re.compile(r"的(?:中国|中國|世界|社会|社會|人类|人類|时代|時代|我们|我們|年轻人|年輕人)")
_NOWADAYS_BEFORE = re.compile(r"(?:时至|時至|直到|直至|及至)$")
# After a bare 周二 / 星期二 these keep it a weekday; any other Han character may make it a name (周一鸣).
_WEEKDAY_FOLLOWERS = set(
    "上下早晚中夜凌傍在起至到前后後表称稱宣发發举舉召会會将將对對与與同和时時以是就接开開晚间間说說公发出签簽"
)
_HAN = re.compile(r"[\u3400-\u9fff]")
_COUNT_END = set("多数數几幾十百千万萬0123456789")


def _number(text: str) -> int:
    """An Arabic or Chinese number: 26, 二十六, 十二, 二〇二五."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    digits = {character: index for index, character in enumerate("零一二三四五六七八九")} | {"〇": 0, "○": 0}
    if len(text) == 4 and all(character in digits for character in text):
        return int("".join(str(digits[character]) for character in text))
    if "十" in text:
        tens, _, units = text.partition("十")
        return (digits[tens] if tens else 1) * 10 + (digits[units] if units else 0)
    return digits[text]


def _is_arabic(text: str | None) -> bool:
    return bool(text) and text.strip().isdigit()  # type: ignore[union-attr]


def _months_of(year_mod: str | None, quarter: str | None) -> tuple[int, int] | None:
    if quarter:
        number = _number(quarter)
        return 3 * number - 2, 3 * number
    return {"上半年": (1, 6), "下半年": (7, 12), "前三季度": (1, 9)}.get(year_mod or "")


def _point_from(match: re.Match[str]) -> Point | Span | None:
    """The date a match of :data:`_POINT` names, or ``None`` when it is not one."""
    year_word, month_word, year_mod = match["year_word"], match["month_word"], match["year_mod"]
    roc = match["roc"] or match["roc_bare"]
    unsaid_year = not (match["year"] or year_word or roc) and bool(year_mod)  # 上半年, 年底: this year's
    has_year = bool(match["year"] or year_word or unsaid_year or roc)
    has_month = bool(match["month"] or month_word)
    has_day = bool(match["day"])
    if not (has_year or has_month or has_day):
        return None
    if unsaid_year and (has_month or has_day):
        return None
    # Chinese numerals and 号 name a date only beside another field: 三月 alone is often three months,
    # 六号 a name (嫦娥六号), 5号 a number.
    if has_day and not has_month and (match["day_mark"] != "日" or not _is_arabic(match["day"])):
        return None
    if (
        has_month
        and not (has_year or has_day or match["month_mod"] or match[0].rstrip().endswith("份"))
        and match["month"]
        and not _is_arabic(match["month"])
    ):
        return None
    if has_day and has_year and not has_month:
        return None
    year = _number(match["year"]) if match["year"] else (int(roc) + 1911 if roc else None)
    if year is not None and not 1000 <= year <= 2999:
        return None
    if year is not None and not (has_month or has_day) and not 1900 <= year <= 2100:
        return None
    base = Point(
        year=year,
        year_offset=_YEAR_WORDS.get(year_word, 0 if unsaid_year else None),
        after_last_year=_LAST_YEAR_WORDS.get(year_word),
        month=_number(match["month"]) if match["month"] else None,
        month_offset=_MONTH_WORDS.get(month_word),
        after_last_month=_LAST_MONTH_WORDS.get(month_word),
        day=_number(match["day"]) if has_day else None,
    )
    months = _months_of(year_mod, match["quarter"])
    if months and not (has_month or has_day):
        return replace(base, months=months)
    if match["year2"]:
        return Span(base, Point(year=_number(match["year2"])))
    if match["month2"] and not has_day:
        return Span(base, replace(base, month=_number(match["month2"])))
    if match["day2"]:
        return Span(base, replace(base, day=_number(match["day2"])))
    return base


def _rejected(text: str, match: re.Match[str]) -> bool:
    """Whether the words around a match make it a count, a duration or part of a name."""
    start, end = match.span()
    before = text[start - 1] if start else ""
    after = text[end : end + 3]
    starts_with_number = bool(
        match["year"] or match["roc_bare"] or (not match["year_word"] and (match["month"] or match["day"]))
    )
    if starts_with_number and before in _COUNTING_BEFORE:
        return True
    if _HABIT_BEFORE.search(text, max(0, start - 3), start):
        return True  # 每年7月 (every July), 每月5日: a habit, not a date
    ends_with_day = match["day"] and match["clock"] is None and not re.search(_TIME_OF_DAY + "$", match[0])
    if ends_with_day and _DAY_WORD_AFTER.match(after):
        return True
    ends_with_month = bool(re.search(r"月(?:份)?$", match[0]))
    if ends_with_month and _MONTH_WORD_AFTER.match(after):
        return True
    year_only = (match["year"] or match["year_word"] or match["roc"]) and not (
        match["month"] or match["month_word"] or match["day"]
    )
    if (
        year_only
        and (match["year"] or match["roc"])
        and not match["year_mod"]
        and _NAME_TAIL.match(text, end)
    ):
        return True
    # A year inside a title in 《》 belongs to the title: 《2024年政府工作报告》.
    opened, closed = text.rfind("《", max(0, start - 40), start), text.rfind("》", max(0, start - 40), start)
    if year_only and match["year"] and opened > closed and "》" in text[end : end + 40]:
        return True
    # 多年前年… , 20年后年…: the 年 belongs to a count before it.
    return bool(year_only and match["year_word"] in ("前年", "后年", "後年") and before in _COUNT_END)


def _relative_from(text: str, match: re.Match[str]) -> Point | None:
    word = match["word"]
    end = match.end()
    before = text[match.start() - 1] if match.start() else ""
    if word:
        guard = _RELATIVE_NAME_AFTER.get(word)
        if guard and guard.match(text, end):
            return None
        if word in ("后天", "後天") and before in set("先与與和是"):
            return None
        if word in ("今天", "今日") and (
            _NOWADAYS_AFTER.match(text, end)
            or _NOWADAYS_BEFORE.search(text, max(0, match.start() - 2), match.start())
        ):
            return None
        if word in _DAY_WORDS:
            return Point(day_offset=_DAY_WORDS[word])
        return Point(after_last_day=_SAME_DAY_WORDS[word])
    week_word, weekday = match["week_word"], match["weekday"]
    if weekday == "天" and match["week"] in ("周", "週"):
        return None
    if before in set("每几幾数數多两兩三四五六七八九十一"):
        return None  # 每周二 (every Tuesday), 两周 (two weeks), 四周 (all around)
    following = text[end] if end < len(text) else ""
    # Another Han character may make a word of it: 下周边 (以下周边), 本周期, 周年, 周一鸣 (a name).
    if (
        match["week"] in ("周", "週")
        and _HAN.match(following)
        and following not in _WEEKDAY_FOLLOWERS
        and (weekday is None or week_word is None)
    ):
        return None
    if weekday is None:
        if week_word is None:
            return None  # 周 or 星期 alone is a week as a length of time
        return Point(week_offset=_WEEK_WORDS[week_word])
    if week_word is None and ((before and before in "自从從") or following == "起"):
        # 自周一起施行: from the coming Monday on.
        return Point(weekday=_WEEKDAYS[weekday], weekday_mode="onward")
    return Point(weekday=_WEEKDAYS[weekday], week_offset=_WEEK_WORDS[week_word])


_SEPARATOR = re.compile(rf"{_S}{_RUN}{_S}")


def find(text: str) -> list[Found]:
    """Every Chinese date expression in a normalised text, runs of two dates joined into one."""
    found: list[Found] = []
    for match in _POINT.finditer(text):
        if match.end() == match.start():
            continue
        what = _point_from(match)
        if what is None or _rejected(text, match):
            continue
        found.append(Found(match.start(), match.end(), what, timestamp=match["clock"] is not None))
    for match in _RELATIVE.finditer(text):
        if match.end() == match.start():
            continue
        relative = _relative_from(text, match)
        if relative is None:
            continue
        end = match.end()
        time = _RELATIVE_TIME.match(text, end)
        found.append(Found(match.start(), time.end() if time else end, relative))
    found.sort(key=lambda item: (item.start, -item.end))
    return _join_runs(text, _without_overlaps(found))


def _without_overlaps(found: list[Found]) -> list[Found]:
    kept: list[Found] = []
    for item in found:
        if kept and item.start < kept[-1].end:
            continue
        kept.append(item)
    return kept


def _join_runs(text: str, found: list[Found]) -> list[Found]:
    """``7月26日至8月2日``, ``2023年10月至12月``: two dates with a run mark between them are one span."""
    joined: list[Found] = []
    for item in found:
        if (
            joined
            and isinstance(joined[-1].what, Point)
            and isinstance(item.what, Point)
            and _SEPARATOR.fullmatch(text, joined[-1].end, item.start)
        ):
            first = joined.pop()
            joined.append(Found(first.start, item.end, Span(first.what, item.what)))  # type: ignore[arg-type]
            continue
        joined.append(item)
    return joined
