"""Cleaning of a captured article: pinyin and width normalisation, language, body versus page junk, metadata.

A captured page is the article plus what the site wrapped around it: share buttons, breadcrumbs, a
"related reading" or "hot news" list with its own dates and timestamps, reaction widgets. Everything
here works on the raw text exactly as captured and reports places as code-point offsets into it, so
that a date or a quote found later can be pointed at in the original.

- :func:`normalised_view` is the text the date grammar reads: inline pinyin annotations removed
  (``務(wù)`` → ``務``, through :mod:`events.services.text_cleaning`, the one place for that rule) and
  full-width letters, digits and punctuation narrowed, with a map back to raw offsets.
- :func:`clean_text` is the same text for people and for quote matching: whitespace runs collapsed too.
- :func:`body_spans` separates the article from page junk, line by line.
- :func:`read_metadata` finds the publication date, publisher, dateline and language.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from events.services.text_cleaning import pinyin_annotation_spans

# --- Normalisation with a map back to the raw text -------------------------------------------------

# Spaces that are not ASCII: no-break, ideographic, the typographic ones and the narrow no-break.
_ODD_SPACES = {"\u00a0", "\u3000", "\u202f", "\u205f", *(chr(code) for code in range(0x2000, 0x200B))}


# One character for one character: full-width forms to ASCII, odd spaces to a space.
_NARROW = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {ord(space): " " for space in _ODD_SPACES}


@dataclass(frozen=True)
class NormalisedText:
    """The text as the grammar reads it, and where each of its characters came from in the raw text.

    Only annotations are removed, so a character's raw offset is its own offset plus the length of the
    annotations before it: ``cuts`` holds the normalised offsets where that length grows, ``shifts``
    the length from there on.
    """

    text: str
    cuts: tuple[int, ...]
    shifts: tuple[int, ...]

    def raw_offset(self, index: int) -> int:
        return index + self.shifts[bisect.bisect_right(self.cuts, index) - 1]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw span that ``text[start:end]`` came from (annotations inside it included)."""
        if end <= start:
            return self.raw_offset(start), self.raw_offset(start)
        return self.raw_offset(start), self.raw_offset(end - 1) + 1


def normalised_view(text: str) -> NormalisedText:
    """The raw text without pinyin annotations, full-width forms narrowed; lengths otherwise kept."""
    pieces: list[str] = []
    cuts, shifts = [0], [0]
    position = removed = 0
    for start, end in pinyin_annotation_spans(text):
        pieces.append(text[position:start])
        cuts.append(start - removed)  # where the text after this annotation starts, in the view
        removed += end - start
        shifts.append(removed)
        position = end
    pieces.append(text[position:])
    return NormalisedText("".join(pieces).translate(_NARROW), tuple(cuts), tuple(shifts))


_HORIZONTAL_SPACE = re.compile(r"[ \t\f\v]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """The text for reading and quote matching: pinyin annotations stripped, widths and whitespace normalised.

    Full-width letters, digits and punctuation become their ASCII forms (``，`` → ``,``), every run of
    spaces one space, line ends are trimmed and blank-line runs shortened to one blank line.
    """
    if not text:
        return ""
    narrowed = normalised_view(text.replace("\r\n", "\n").replace("\r", "\n")).text
    lines = [_HORIZONTAL_SPACE.sub(" ", line).strip() for line in narrowed.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


# --- Language and script ---------------------------------------------------------------------------

_HAN_CHARACTER = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@cache
def _opencc(config: str):  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC(config)


def chinese_script(text: str) -> str:
    """``zh-Hant`` or ``zh-Hans``: which script the Han characters of ``text`` are written in.

    A character that OpenCC would change from traditional to simplified is evidence of traditional
    script, and the other way round; most characters are the same in both and say nothing.
    """
    han = "".join(_HAN_CHARACTER.findall(text))
    if not han:
        return "zh-Hans"
    simplified = _opencc("t2s").convert(han)
    traditional = _opencc("s2t").convert(han)
    if len(simplified) == len(han) == len(traditional):
        traditional_only = sum(1 for a, b in zip(han, simplified, strict=True) if a != b)
        simplified_only = sum(1 for a, b in zip(han, traditional, strict=True) if a != b)
    else:  # a phrase conversion changed lengths: count characters that are in neither form's output
        traditional_only = len(set(han) - set(simplified))
        simplified_only = len(set(han) - set(traditional))
    return "zh-Hant" if traditional_only > simplified_only else "zh-Hans"


def detect_language(text: str) -> str:
    """``en``, ``zh-Hans``, ``zh-Hant`` or ``mixed`` (Chinese and English prose interleaved).

    Chinese characters are counted against English words; a text where each has a real share (a
    fifth or more of the two) is mixed.
    """
    han = len(_HAN_CHARACTER.findall(text))
    # An English word carries about as much text as two Chinese characters.
    english = 2 * len(_LATIN_WORD.findall(text))
    if han == 0 and english == 0:
        return "en"
    if han < 0.05 * (han + english):
        return "en"
    if english >= 0.2 * (han + english):
        return "mixed"
    return chinese_script(text)


# --- Body and page junk ----------------------------------------------------------------------------

# Headings after which a captured page holds only other stories, lists and widgets.
_TAIL_HEADING = re.compile(
    "相关阅读|相關閱讀|相关新闻|相關新聞|相关内容|相關內容|相关报道|相關報導|相关链接|"
    "相關鏈接|相关专题|延伸阅读|延伸閱讀|推荐阅读|推薦閱讀|热门资讯|熱門資訊|热门新闻|"
    "熱門新聞|热点新闻|熱點新聞|热门推荐|熱門推薦|热点推荐|精彩推荐|精彩推薦|编辑推荐|"
    "編輯推薦|为你推荐|為你推薦|猜你喜欢|猜你喜歡|大家都在看|更多新闻|更多新聞|"
    "更多精彩|最新新闻|最新新聞|最新资讯|今日热点|今日熱點|24小时热闻|新闻排行|"
    "新聞排行|点击排行|點擊排行|热门排行|排行榜|阅读排行|往期回顾|往期回顧|视觉焦点|"
    "視覺焦點|独家策划|獨家策劃|网友评论|網友評論|我要评论|我要評論|热门评论|熱門評論|"
    "阅读剩余全文|閱讀剩餘全文|加载更多|載入更多|您此时的心情|你此时的心情|"
    "相关推荐|相關推薦|更多推荐|更多推薦|精选推荐|精選推薦|今日推荐|今日推薦|推荐视频|推薦影片|"
    "相关视频|相關影片|热门文章|熱門文章|热门视频|熱門影片|热搜|熱搜|热榜|熱榜|返回搜狐|查看更多"
)
_TAIL_HEADINGS_EN = re.compile(
    r"(?:related(?: (?:stories|articles|news|reading|content|coverage|links))?|read more|more from|"
    r"most (?:read|popular|viewed)|trending(?: now)?|recommended(?: for you| reading)?|you may also like|"
    r"editor'?s picks?|top stories|latest news|see also|more stories|popular now|comments?|\d+ comments|"
    r"leave a comment|join the conversation|more on this story|tags?)\s*:?",
    re.IGNORECASE,
)
# The editor's line closes a Chinese article: "[ 责编:王宏泽 ]", "(责任编辑:…)", "编辑:…".
_EDITOR_LINE = re.compile(
    r"^[\[【(（]?\s*(?:(?:责任编辑|責任編輯|责编|責編|编辑|編輯|审核|審核|特别声明|特別聲明|声明|聲明)\s*[:：|]"
    r"|免责声明|免責聲明|版权声明|版權聲明)"
)
# Share buttons, breadcrumbs, "now reading", print and font controls, copyright lines.
_CHROME_LINE = re.compile(
    r"^(?:点击右上角|點擊右上角|请使用浏览器|請使用瀏覽器|正在阅读|正在閱讀|当前位置|當前位置|您的位置|你的位置|"
    r"分享到|分享至|扫一扫|掃一掃|微信扫|打印|字号|字號|关闭窗口|關閉窗口|返回顶部|返回頂部|"
    r"首页\s*[>»]|首頁\s*[>»]|home\s*[>»]|share(?: this)?\b|follow us|copyright|版权所有|版權所有|©|"
    r"上一篇|下一篇|上一條|下一條|上一条|下一条|previous article|next article|打开APP|打開APP|扫码|掃碼)",
    re.IGNORECASE,
)
_BREADCRUMB = re.compile(r"\S\s*[>»]\s*\S.*\S\s*[>»]\s*\S")
# A teaser: a headline or first sentence cut off by the site ("iPhone 17 Pro或将... ").
_TRUNCATED = re.compile(r"(?<![.…])(?:\.\.\.|…)(?!\.|…)")
# Teaser punctuation: "... " within a quote is an elision, a line that ends cut off is a teaser.
_ENDS_CUT_OFF = re.compile(r"(?<![.…])(?:\.\.\.|…)\s*$")


def _is_teaser(line: str) -> bool:
    return _ENDS_CUT_OFF.search(line) is not None or len(_TRUNCATED.findall(line)) >= 2


# A stand-alone posting time: "2025-11-18 10:28", "2025年07月28日 09:21".
# A Chinese date alone on its line without a time is a signature's date, not a posting time.
_TIMESTAMP_LINE = re.compile(
    r"^\s*(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*\d{1,2}:\d{2}(?::\d{2})?)\s*$"
)
_COUNTER_LINE = re.compile(r"^\s*\d{1,6}\s*$")
# A list item: a headline with its date or time at the end ("港口集团发布公告 2024-10-30", "… 07-30 09:12");
# a date alone on its line (a signature's "2025年12月16日") is not one.
_DATED_ITEM = re.compile(
    r"\S.{2,}?[\s(（\[|-]\s*(?:(?:\d{4}[-/.])?\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日\s*\d{1,2}:\d{2}(?::\d{2})?)\s*[)）\]]?\s*$"
)
_LIST_ITEM_LENGTH = 60
_METADATA_LINE = re.compile(
    r"(?:来源|來源|稿源|source|发布时间|發佈時間|發布時間|时间|時間|日期|published|posted|updated)\s*[:：]",
    re.IGNORECASE,
)
# A paragraph of prose, which means the article has begun.
_PROSE_LENGTH = 40


_SENTENCE_MARK = re.compile(r"[,，。；;！？!?]|\.\s")


def _is_prose(line: str) -> bool:
    """A paragraph of running text: long, with sentence punctuation (a URL or a title line has none)."""
    return len(line) >= _PROSE_LENGTH and _SENTENCE_MARK.search(line) is not None


def _lines(text: str) -> list[tuple[int, int]]:
    spans, position = [], 0
    for line in text.splitlines(keepends=True):
        spans.append((position, position + len(line.rstrip("\r\n"))))
        position += len(line)
    return spans


def _is_tail_heading(line: str) -> bool:
    stripped = line.strip(" \t:：>»|·•-—[]【】()（）")
    if not stripped or len(stripped) > 24:
        return False
    if _TAIL_HEADING.match(stripped):
        return True
    return _TAIL_HEADINGS_EN.fullmatch(stripped) is not None


def _is_chrome(line: str) -> bool:
    stripped = line.strip()
    if _CHROME_LINE.match(stripped) or _COUNTER_LINE.match(stripped):
        return True
    if stripped in {
        "朋友圈",
        "微信",
        "微博",
        "QQ空间",
        "QQ空間",
        "分享",
        "收藏",
        "评论",
        "評論",
        "点赞",
        "點讚",
    }:
        return True
    return len(stripped) < 80 and _BREADCRUMB.search(stripped) is not None


def body_spans(text: str, view: NormalisedText | None = None) -> list[tuple[int, int]]:
    """The article's text in ``text``, as ``(start, end)`` offsets of its lines, page junk left out.

    Junk is: share buttons, breadcrumbs, widgets and counters anywhere; teasers cut off with ``...``;
    stand-alone posting times and dated headlines once the article has begun or under a list heading
    placed before it; and everything after a "related reading" / "hot news" style heading or the
    editor's line that closes the article. ``view``
    is ``normalised_view(text)`` when the caller has it already.
    """
    view = view or normalised_view(text)
    spans: list[tuple[int, int]] = []
    begun = False
    # Lists of other stories: after the article, or under a list heading placed before it.
    in_list = False
    for start, end in _lines(view.text):
        line = view.text[start:end]
        stripped = line.strip()
        if not stripped:
            continue
        if begun and (_is_tail_heading(stripped) or _EDITOR_LINE.match(stripped)):
            break
        if _is_tail_heading(stripped):
            in_list = True
            continue
        if _is_chrome(stripped) or _is_teaser(stripped):
            continue
        # Before the article, a line naming its source or posting time is the page's own metadata.
        listed = begun or (in_list and not _METADATA_LINE.search(stripped))
        if listed and _TIMESTAMP_LINE.match(stripped):
            continue
        if (
            listed
            and len(stripped) < _LIST_ITEM_LENGTH
            and not _SENTENCE_MARK.search(stripped)
            and _DATED_ITEM.fullmatch(stripped)
        ):
            continue
        if _is_prose(stripped):
            begun, in_list = True, False
        raw_start, raw_end = view.raw_span(start, end)
        if spans and spans[-1][1] >= raw_start - 1 and "\n" not in text[spans[-1][1] : raw_start]:
            spans[-1] = (spans[-1][0], raw_end)
        else:
            spans.append((raw_start, raw_end))
    return spans


# --- Metadata --------------------------------------------------------------------------------------

_CLOCK = r"(?:\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
_PAGE_DATE = r"(?P<year>\d{4})\s*[-/.年]\s*(?P<month>\d{1,2})\s*[-/.月]\s*(?P<day>\d{1,2})\s*日?" + _CLOCK
_PAGE_DATE_PATTERN = re.compile(_PAGE_DATE)
_EN_PAGE_DATE = re.compile(
    r"(?P<month_name>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})"
    + _CLOCK
)
# What a page prints beside its own date: "来源:人民日报2024-04-03 10:09", "发布时间:…", "Published …".
_PAGE_DATE_WORDS = re.compile(
    r"来源|來源|稿源|发布|發佈|發布|时间|時間|日期|编辑|編輯|作者|第\s*\d+\s*版|published|posted|updated|source",
    re.IGNORECASE,
)
_SOURCE = re.compile(
    r"(?:来源|來源|稿源|出处|出處|source)\s*[:：]\s*(?P<publisher>[^\d:：|,，/()（）\[\]【】\n]{2,40})", re.I
)
# A byline naming the paper: "【环球时报特约记者 王辉】", "(人民日报记者 …)".
_BYLINE = re.compile(
    r"[【\[(]\s*(?P<publisher>[\u4e00-\u9fff]{2,8}?)(?:特约|特約|驻\S{1,4}|駐\S{1,4})?(?:记者|記者)"
)
_PUBLISHER_END = re.compile(r"\s{2,}|\s*(?:作者|记者|記者|编辑|編輯|责任|責任|by\b)|\s*$", re.IGNORECASE)
# The dateline's "filed" after its date: 电 / 讯. The one rule for it (date extraction and ingestion both
# use it): 电话, 电视, 电力 … are words, not "filed", so "7月26日电话会谈" is a happening, not a dateline.
_FILED = r"\s*(?:电|電|讯|訊)(?![话話视視脑腦力子影网網池梯商价價源动動器气氣车車信])"
_FILED_AFTER = re.compile(_FILED)
# Chinese wire datelines: "新华社上海7月26日电", "中新网北京7月26日电", "本报讯 (记者…) 7月26日".
_AGENCIES = (
    "新华社|新華社|中新社|中新网|中新網|人民网|人民網|央视网|央視網|央视新闻|"
    "央視新聞|本报|本報|光明网|光明網|国际在线|國際在線|中国日报网|中國日報網|环球网|"
    "環球網|中央社|路透社|法新社|美联社|美聯社|共同社"
)
_ZH_DATELINE = re.compile(
    r"(?:(?P<agency>"
    + _AGENCIES
    + r")(?:记者|記者)?|^[ \t]*(?=[\u4e00-\u9fff]{2,4}\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|電)))"
    # Taiwan's agency often gives the day alone: "中央社記者王揚宇台北26日電".
    r"(?P<place>[\u4e00-\u9fff]{2,8}?)?\s*(?:(?P<month>\d{1,2})\s*月\s*)?(?P<day>\d{1,2})\s*日" + _FILED,
    re.MULTILINE,
)
_EN_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
_EN_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'-]{1,30}),\s*"
    r"(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+"
    r"(?P<day>\d{1,2})(?:,\s*(?P<year>\d{4}))?\s*(?:\((?P<agency>[A-Za-z][\w .&-]{1,40})\))?\s*[-–—]",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Dateline:
    """A dispatch's dateline: where and on which day of which month it was filed, and its span."""

    start: int  # offsets into the normalised view's text
    end: int
    agency: str  # "" when the line names only a place: "台北10月15日電"
    place: str | None
    month: int | None  # None when the dateline gives the day alone
    day: int
    year: int | None


def find_datelines(view_text: str) -> list[Dateline]:
    """Every dateline in a normalised text, in order; a text holding two dispatches has two."""
    found = []
    for match in _ZH_DATELINE.finditer(view_text):
        found.append(
            Dateline(
                match.start(), match.end(), match["agency"] or "", match["place"] or None,
                int(match["month"]) if match["month"] else None, int(match["day"]), None,
            )
        )  # fmt: skip
    for match in _EN_DATELINE.finditer(view_text):
        found.append(
            Dateline(
                match.start(), match.end(), (match["agency"] or "").strip(), match["place"].strip().title(),
                _EN_MONTHS[match["month"].lower()], int(match["day"]),
                int(match["year"]) if match["year"] else None,
            )
        )  # fmt: skip
    return sorted(
        (line for line in found if 1 <= (line.month or 1) <= 12 and 1 <= line.day <= 31),
        key=lambda d: d.start,
    )


def is_dateline_date(text: str, start: int, end: int) -> bool:
    """Whether the date at ``text[start:end]`` (raw offsets) is a dispatch's filing date: followed by 电 / 讯
    (新华社上海7月26日电, not 7月26日电话会谈), or in an English dateline (GENEVA, March 6 (Reuters) -)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    # The last character of the date is kept, so that a pinyin annotation right after it is recognised.
    if end > 0 and _FILED_AFTER.match(normalised_view(text[end - 1 : line_end]).text, 1):
        return True
    view = normalised_view(text[line_start:line_end])
    spans = [view.raw_span(line.start, line.end) for line in find_datelines(view.text)]
    return any(first <= start - line_start and end - line_start <= last for first, last in spans)


def dateline_date(line: Dateline, anchor: dt.date) -> dt.date | None:
    """The dateline's day: its own year, else the latest such day on or about ``anchor``.

    A dispatch is filed before its page is published; two days' grace allow for time zones.
    """
    if line.year and line.month:
        try:
            return dt.date(line.year, line.month, line.day)
        except ValueError:
            return None
    if line.month:
        candidates = [(anchor.year, line.month), (anchor.year - 1, line.month)]
    else:
        previous = anchor.replace(day=1) - dt.timedelta(days=1)
        candidates = [(anchor.year, anchor.month), (previous.year, previous.month)]
    latest = anchor + dt.timedelta(days=2) if anchor < dt.date.max - dt.timedelta(days=2) else anchor
    for year, month in candidates:
        try:
            day = dt.date(year, month, line.day)
        except ValueError:
            continue
        if day <= latest:
            return day
    return None


@dataclass(frozen=True)
class ArticleMetadata:
    """What a captured page says about the article itself."""

    published: dt.date | dt.datetime | None
    publisher: str | None
    dateline_place: str | None
    dateline_date: dt.date | None
    language: str  # "en" | "zh-Hans" | "zh-Hant" | "mixed"


def _page_datetime(match: re.Match[str]) -> dt.date | dt.datetime | None:
    try:
        name = match.groupdict().get("month_name")
        month = _EN_MONTHS[name.lower()] if name else int(match["month"])
        day = dt.date(int(match["year"]), month, int(match["day"]))
        if match["hour"] is None:
            return day
        return dt.datetime(
            day.year, day.month, day.day, int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
        )
    except ValueError:
        return None


def _header_lines(view_text: str) -> list[str]:
    """The lines before the article's first paragraph of prose: title, source line, posting time."""
    header = []
    for start, end in _lines(view_text):
        line = view_text[start:end].strip()
        if _is_prose(line) and not _PAGE_DATE_WORDS.search(line):
            break
        header.append(line)
    return header


def _page_published(header: list[str]) -> dt.date | dt.datetime | None:
    """The page's own date: the first header line that holds a date and reads as a posting line."""
    for line in header:
        for pattern in (_PAGE_DATE_PATTERN, _EN_PAGE_DATE):
            match = pattern.search(line)
            if match is None:
                continue
            rest = (line[: match.start()] + line[match.end() :]).strip()
            if match["hour"] is not None or _PAGE_DATE_WORDS.search(line) or len(rest) <= 20:
                published = _page_datetime(match)
                if published is not None:
                    return published
    return None


def _publisher(text: str, body: list[tuple[int, int]]) -> str | None:
    """The publisher a source line in the article names (a sidebar item's source is another story's)."""
    for start, end in body:
        match = _SOURCE.search(normalised_view(text[start:end]).text)
        if match is not None:
            name = match["publisher"]
            name = name[: _PUBLISHER_END.search(name).start()].strip()  # type: ignore[union-attr]
            if name:
                return name
    return None


def read_metadata(text: str) -> ArticleMetadata:
    """The publication date, publisher, dateline and language found in a captured page.

    ``published`` comes from the lines before the article's first paragraph: a source line
    (``来源:人民日报2024-04-03 10:09``), a posting time (``2025-07-28 09:21:07``), a dated page header
    (``2023年03月15日 第07版``, ``Published March 6, 2024``); it is a datetime when the page gives a
    time. ``publisher`` comes from the source line or the dateline's agency. ``dateline_date`` takes its
    year from the dateline itself or, for Chinese datelines that have none, from ``published``; without
    either it is ``None``.
    """
    view = normalised_view(text)
    body = body_spans(text, view)
    published = _page_published(_header_lines(view.text))
    publisher = _publisher(text, body)

    datelines = find_datelines(view.text)
    place: str | None = None
    filed: dt.date | None = None
    if datelines:
        first = datelines[0]
        place = first.place
        publisher = publisher or first.agency or None
        anchor = published.date() if isinstance(published, dt.datetime) else published
        if anchor or (first.year and first.month):
            filed = dateline_date(first, anchor or dt.date.max)
    if publisher is None:
        byline = _BYLINE.search(view.text)
        publisher = byline["publisher"] if byline and byline["publisher"] not in ("本报", "本報") else None
    language = detect_language("\n".join(text[start:end] for start, end in body) or text)
    return ArticleMetadata(published, publisher, place, filed, language)
