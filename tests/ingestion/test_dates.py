"""Date extraction on short articles written for these tests: both scripts, English, bilingual, page junk.

None of these texts comes from the seeds: they exercise the grammar on the kinds of article the service
receives, so that a rule keyed on the seeds' own words would fail here.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingestion.dates import DateMention, extract_dates


def found(text: str, published: str, language: str = "auto") -> list[tuple[str, str]]:
    """(text, value) of every mention, checking each one's offsets against the text on the way."""
    anchor = dt.datetime.fromisoformat(published) if "T" in published else dt.date.fromisoformat(published)
    mentions = extract_dates(text, published=anchor, language=language)
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
    return [(mention.text, mention.value) for mention in mentions]


# --- Whole articles ------------------------------------------------------------------------------

SIMPLIFIED_DISPATCH = """分享到:微信 微博
首页 > 财经频道 > 正文
两国签署港口合作协议
来源:东方晨报 2024-11-08 16:45
新华社杭州11月8日电(记者 林晓)两国交通部长7日在杭州签署港口合作协议。双方当天还举行了第三轮对话。
去年9月,两国启动谈判。协议将于明年1月1日起生效,首批项目定于12月3日至5日验收。
近半年来,两国贸易额增长两成;三年来,港口吞吐量翻了一番。上周三,代表团参观了杭州湾,次日前往宁波。
双方表示将共同落实2030年可持续发展议程,并参加2025世界港口大会。项目涉及13个泊位,总投资600519万元。
[责任编辑:周一鸣]
相关新闻
港口集团前三季度利润增长 2024-10-30 09:12
10月29日,港口集团发布公告……
2024-10-29 18:00
热门推荐
今年秋季,多地推出新航线...
"""


def test_simplified_dispatch_with_dateline_and_sidebar() -> None:
    assert found(SIMPLIFIED_DISPATCH, "2024-11-08T16:45") == [
        ("2024-11-08 16:45", "2024-11-08"),  # the page's own posting time
        ("11月8日", "2024-11-08"),  # the dateline
        ("7日", "2024-11-07"),
        ("当天", "2024-11-07"),  # the day last named, not the publication day
        ("去年9月", "2023-09"),
        ("明年1月1日", "2025-01-01"),
        ("12月3日至5日", "2024-12-03/2024-12-05"),
        ("上周三", "2024-10-30"),
        ("次日", "2024-10-31"),
    ]


TRADITIONAL_WITH_PINYIN = """台北10月15日電 行政院(yuàn)14日通過(guò)新版預算案。
今(jīn)年第三季度出口年增一成二,但二〇二三年全年仍衰退。
立法院將於下週二審議,預計11月底前完成三讀。
昨天下午,行政院長出席記者會,表示過去十年來投資成長三倍。
中央社記者2024年10月15日攝
"""


def test_traditional_script_with_inline_pinyin() -> None:
    assert found(TRADITIONAL_WITH_PINYIN, "2024-10-15", language="zh-Hant") == [
        ("10月15日", "2024-10-15"),
        ("14日", "2024-10-14"),
        ("今(jīn)年第三季度", "2024-07/2024-09"),  # the annotation inside the span is the raw text's
        ("二〇二三年", "2023"),
        ("下週二", "2024-10-22"),
        ("11月底", "2024-11"),
        ("昨天下午", "2024-10-14"),
        ("2024年10月15日", "2024-10-15"),
    ]


ENGLISH_WIRE = """GENEVA, March 6 (Reuters) - Negotiators reached a draft deal on Thursday after talks that
ran 4-5 March, officials said. The agreement, first proposed on Nov. 14, 2023, will be signed next week and
takes effect in January 2025.
Last week, the group's chair said the 2030 Agenda and the G20 2026 summit would guide the work. Black Friday
sales and iPhone 17 shipments of 1.2m units were not discussed. The chair spoke on March 5 and the
delegates met again the same day.
The talks began in 2019.
Related stories
Trade talks stall - March 1, 2024
Copyright 2024 Reuters. All rights reserved.
"""


def test_english_wire_story() -> None:
    assert found(ENGLISH_WIRE, "2024-03-07", language="en") == [
        ("March 6", "2024-03-06"),  # the dateline
        ("Thursday", "2024-02-29"),  # the Thursday before the dateline's Wednesday (a leap year)
        ("4-5 March", "2024-03-04/2024-03-05"),
        ("Nov. 14, 2023", "2023-11-14"),
        ("next week", "2024-03-11/2024-03-17"),
        ("January 2025", "2025-01"),
        ("Last week", "2024-02-26/2024-03-03"),
        ("March 5", "2024-03-05"),
        ("the same day", "2024-03-05"),
        ("2019", "2019"),
    ]


BILINGUAL = """中方19日宣布成立联合研究中心。
China on Wednesday announced a joint research centre, to open on 2 April.
该中心将于4月2日揭牌,首期运行至2026年。
The centre's first report is due in May 2025; its director said yesterday that funding ran until 2027.
"""


def test_bilingual_article() -> None:
    assert found(BILINGUAL, "2025-03-20") == [
        ("19日", "2025-03-19"),
        ("Wednesday", "2025-03-19"),
        ("2 April", "2025-04-02"),
        ("4月2日", "2025-04-02"),
        ("2026年", "2026"),
        ("May 2025", "2025-05"),
        ("yesterday", "2025-03-19"),
        ("2027", "2027"),
    ]


# --- The grammar, expression by expression -------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("会议于2023年10月召开。", "2024-04-03", [("2023年10月", "2023-10")]),
        ("记者7 月 28 日获悉。", "2025-07-30", [("7 月 28 日", "2025-07-28")]),
        ("展会于7月26日—28日举行。", "2025-07-20", [("7月26日—28日", "2025-07-26/2025-07-28")]),
        ("展会26至28日举行。", "2025-07-29", [("26至28日", "2025-07-26/2025-07-28")]),
        ("2024年至2025年间。", "2025-07-29", [("2024年至2025年", "2024/2025")]),
        ("今年4月,他到访上海。", "2025-07-26", [("今年4月", "2025-04")]),
        ("本月5日起施行。", "2025-07-26", [("本月5日", "2025-07-05")]),
        ("上个月,出口增长。", "2025-01-10", [("上个月", "2024-12")]),
        ("前天晚上发生地震。", "2025-07-26", [("前天晚上", "2025-07-24")]),
        ("星期日举行闭幕式。", "2025-07-26", [("星期日", "2025-07-20")]),
        ("新规自周一起施行。", "2025-07-26", [("周一", "2025-07-28")]),
        ("１２月２８日,公司成立。", "2025-01-05", [("１２月２８日", "2024-12-28")]),  # full-width digits
        ("该厂将于3月投产。", "2024-11-20", [("3月", "2025-03")]),
        ("2024年上半年营收增长。", "2024-08-01", [("2024年上半年", "2024-01/2024-06")]),
        ("7月初,暴雨来袭。", "2025-07-26", [("7月初", "2025-07")]),
        ("The vote is on Sept. 23.", "2025-09-01", [("Sept. 23", "2025-09-23")]),
        (
            "Talks ran July 30 to August 2, 2025.",
            "2025-08-05",
            [("July 30 to August 2, 2025", "2025-07-30/2025-08-02")],
        ),
        ("The fair runs May 21-22.", "2025-05-01", [("May 21-22", "2025-05-21/2025-05-22")]),
        ("Posted 2025/07/28.", "2025-07-28", [("2025/07/28", "2025-07-28")]),
        ("Sales fell last month.", "2025-03-02", [("last month", "2025-02")]),
        ("Since 2020, output doubled.", "2025-03-02", [("2020", "2020")]),
        (
            "It rose from 2020 to 2024; the year 2025 differs.",
            "2025-03-02",
            [("2020 to 2024", "2020/2024"), ("2025", "2025")],
        ),
        ("He will visit next Monday.", "2025-07-23", [("next Monday", "2025-07-28")]),
        ("China Monday announced rules; Super Tuesday looms.", "2025-07-26", [("Monday", "2025-07-21")]),
        ("The rules, in force from Monday, were published.", "2025-07-26", [("Monday", "2025-07-28")]),
        (
            "Published July 26, 2025 10:02 AM. Updated: July 27, 2025 3:40 PM EDT. "
            "Signed July 20, 2025, at 10:00.",
            "2025-07-26",
            [
                ("July 26, 2025 10:02 AM", "2025-07-26"),
                ("July 20, 2025", "2025-07-20"),
            ],  # a later update is left out
        ),
        ("展会于12月30日至1月2日举行。", "2025-01-05", [("12月30日至1月2日", "2024-12-30/2025-01-02")]),
        ("The fair ran Dec. 30 to Jan. 2.", "2025-01-05", [("Dec. 30 to Jan. 2", "2024-12-30/2025-01-02")]),
    ],
)
def test_expression(sentence: str, published: str, expected: list[tuple[str, str]]) -> None:
    assert found(sentence, published) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "近半年来,双方合作不断深化。",  # a duration
        "三年来,港口吞吐量翻了一番。",
        "该区块链项目半年内上线,化石距今70万年。",
        "这份计划包括13条措施,1000多人出席。",  # counts
        "第5日,救援队抵达。每周二例会。",  # an ordinal and a habit
        "展会每年7月举行,每月5日发布数据。",  # habits
        "各国落实2030年可持续发展议程。",  # a year inside a name
        "总理作《2024年政府工作报告》。",  # a year inside a title
        "2025世界人工智能大会开幕。操作系统大会2025举行。",
        "嫦娥六号在月球背面采样。",  # 六号 is a name, 月球 the moon
        "该股(600519)涨停,报1800.5元。",  # a stock code and a price
        "价格上涨5%-12%,一日元兑0.05元。",
        "当前、目前、近日、日前、如今、未来、早日,都不是日期。",
        "周一鸣说,以下周边国家受邀。",  # a name and 以下 + 周边
        "今天的中国已经不同。时至今日,影响仍在。直到今天,问题仍未解决。",  # "today" as "nowadays"
        "The UN 2030 Agenda for Sustainable Development guides the future.",
        "Black Friday deals on the iPhone 17 drew 1.2m shoppers; you may 21 times refresh.",
        "It is three years old and runs 24 hours a day.",
    ],
)
def test_not_a_date(sentence: str) -> None:
    assert found(sentence, "2025-07-28") == []


def test_relative_days_follow_the_dateline_of_their_own_dispatch() -> None:
    text = "新华社北京5月3日电 国务院2日召开常务会议。\n新华社上海5月9日电 上海8日发布新规,当天起实施。\n"
    assert found(text, "2025-05-10") == [
        ("5月3日", "2025-05-03"),
        ("2日", "2025-05-02"),
        ("5月9日", "2025-05-09"),
        ("8日", "2025-05-08"),
        ("当天", "2025-05-08"),
    ]


def test_posting_time_of_another_day_is_a_repost_and_left_out() -> None:
    text = (
        "原标题:会议召开\n2025-11-18 10:28\n\n"
        "新华社北京7月26日电 会议26日在北京召开,来自各地的代表出席会议并发言。"
    )
    assert found(text, "2025-07-26") == [("7月26日", "2025-07-26"), ("26日", "2025-07-26")]


def test_english_language_skips_the_chinese_grammar() -> None:
    assert found("5月3日, the board met on May 2, 2025.", "2025-05-10", language="en") == [
        ("May 2, 2025", "2025-05-02")
    ]


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        extract_dates("26日", published=dt.date(2025, 7, 26), language="fr")


def test_mentions_carry_value_shape_and_precision() -> None:
    mention = extract_dates("2023年10月,倡议提出。", published=dt.date(2024, 4, 3))[0]
    assert mention == DateMention(text="2023年10月", start=0, end=8, value="2023-10", precision="month")
    assert mention.as_dict() == {
        "text": "2023年10月",
        "start": 0,
        "end": 8,
        "value": "2023-10",
        "precision": "month",
    }


def test_empty_and_dateless_text() -> None:
    assert found("", "2025-07-28") == []
    assert found("没有日期的一段话。\nA paragraph without a date.", "2025-07-28") == []


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("2025年7月26日(星期六),大会开幕。", "2025-07-28", [("2025年7月26日(星期六)", "2025-07-26")]),
        ("On Saturday, July 26, the summit opened.", "2025-07-28", [("Saturday, July 26", "2025-07-26")]),
        ("It closes Monday (July 28).", "2025-07-26", [("Monday (July 28)", "2025-07-28")]),
    ],
)
def test_a_weekday_beside_a_date_glosses_it(
    sentence: str, published: str, expected: list[tuple[str, str]]
) -> None:
    assert found(sentence, published) == expected


def test_a_date_in_a_clause_about_the_future_falls_after_the_anchor() -> None:
    assert found("The committee will convene from Dec. 22 to 27.", "2011-12-26") == [
        ("Dec. 22 to 27", "2012-12-22/2012-12-27")
    ]
    assert found("委员会曾于12月22日开会。", "2011-12-26") == [("12月22日", "2011-12-22")]
    # 将军 (a general) and 将其 (puts it) are not the future tense's 将.
    assert found("26日将军出席,将其总部设在上海。", "2025-07-28") == [("26日", "2025-07-26")]
    assert found("26日将出席大会。", "2025-07-28") == [("26日", "2025-08-26")]


def test_a_dateline_with_the_day_alone_anchors_its_dispatch() -> None:
    text = "(中央社記者陳文台北1日電)總統府30日宣布人事案,新任部長今天就職。"
    assert found(text, "2025-08-01") == [
        ("1日", "2025-08-01"),
        ("30日", "2025-07-30"),
        ("今天", "2025-08-01"),
    ]


def test_dated_list_items_after_the_article_are_junk_but_a_signature_date_is_not() -> None:
    text = (
        "市交通局印发新版实施细则,对道路测试、示范应用和商业化试点作出规定,自2025年1月1日起施行。\n"
        "大连市交通运输局\n2024年12月16日\n"
        "港口集团前三季度利润增长 2024-10-30 09:12\n新航线开通 10-29 18:00\n"
        "上一篇:去年3月的旧闻\n免责声明:本文转自网络,2024年11月1日起不再更新。\n"
    )
    assert found(text, "2024-12-18") == [("2025年1月1日", "2025-01-01"), ("2024年12月16日", "2024-12-16")]


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        (
            "2023年3月,双方启动谈判;同年10月签署协议,次年1月生效。",
            "2025-07-26",
            [("2023年3月", "2023-03"), ("同年10月", "2023-10"), ("次年1月", "2024-01")],
        ),
        (
            "上半年经济增长5.3%,预计年底前完成目标;一季度出口下降,去年底政策出台。",
            "2025-07-26",
            [
                ("上半年", "2025-01/2025-06"),
                ("年底", "2025"),
                ("一季度", "2025-01/2025-03"),
                ("去年底", "2024"),
            ],
        ),
        (
            "今晨,台风登陆;昨晚,暴雨来袭。今晚报记者报道。",
            "2025-07-26",
            [("今晨", "2025-07-26"), ("昨晚", "2025-07-25")],
        ),
        (
            "7月26日开幕,当晚举行晚宴,隔天闭幕。",
            "2025-07-28",
            [("7月26日", "2025-07-26"), ("当晚", "2025-07-26"), ("隔天", "2025-07-27")],
        ),
        ("7月26-28日,展会举行。", "2025-07-20", [("7月26-28日", "2025-07-26/2025-07-28")]),
        (
            "Talks resumed in mid-July after a pause since early 2024.",
            "2025-07-26",
            [("July", "2025-07"), ("2024", "2024")],
        ),
    ],
)
def test_dates_named_from_another_date_or_by_a_part_of_the_year(
    sentence: str, published: str, expected: list[tuple[str, str]]
) -> None:
    assert found(sentence, published) == expected


@pytest.mark.parametrize("sentence", ["新年初一,三年初见,当年的情景。", "在会议前一天,代表抵达。"])
def test_parts_of_other_words_are_not_dates(sentence: str) -> None:
    assert found(sentence, "2025-07-26") == []


# Pieces of dates, junk and annotations, shuffled into hostile text: whatever comes, every mention
# points at its own text and carries a well-formed value.
_PIECES = [
    *("2025年", "7月", "26日", "至", "—", "-", "今年", "去年", "当天", "周二", "星期", "上", "下"),
    *("(jīn)", "（", "）", "...", "\n", "相关阅读\n", "来源:", "2025-07-28 09:21", "新华社北京", "电"),
    *("July", "26", ", 2025", "last week", "on Tuesday", "２０２４", "May", " ", "号", "第", "年底"),
    *("同年", "次日", "\u3000", "\u00a0"),
]


@settings(max_examples=100, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(_PIECES) | st.text(max_size=3), max_size=40),
    anchor=st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2098, 12, 31)),
    language=st.sampled_from(["auto", "zh-Hans", "zh-Hant", "en"]),
)
def test_any_text_gives_well_formed_mentions(pieces: list[str], anchor: dt.date, language: str) -> None:
    text = "".join(pieces)
    mentions = extract_dates(text, published=anchor, language=language)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    for mention in mentions:
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
        ends = mention.value.split("/")
        assert len(ends) in (1, 2)
        assert all(len(end) in (4, 7, 10) for end in ends)
        assert mention.precision == {4: "year", 7: "month", 10: "day"}[min(len(end) for end in ends)]


def test_english_page_with_header_and_most_read_list() -> None:
    page = (
        "Home > World > Asia\nChina proposes global AI body\n"
        "By Staff Writer | Updated: 2025-07-26 18:02 | Xinhua\n"
        "SHANGHAI, July 26 (Xinhua) -- China on Saturday proposed a new body, the premier said at the "
        "opening of the 2025 World Artificial Intelligence Conference.\n"
        "The conference, which runs through Monday, drew 1,000 participants. Last year's edition, held in "
        "July 2024, was smaller. Its first meeting is due early next year.\n"
        "Talks began on July 24; a first draft was agreed the previous day.\n"
        "Most Read\n1. Typhoon hits Hainan  2025-07-25\n2. Markets rally on Friday  July 25, 2025\n"
        "Copyright © 2025 Xinhua. All rights reserved.\n"
    )
    assert found(page, "2025-07-26T18:02", language="en") == [
        ("2025-07-26 18:02", "2025-07-26"),
        ("July 26", "2025-07-26"),
        ("Saturday", "2025-07-26"),
        ("Monday", "2025-07-28"),  # "runs through": the coming one
        ("Last year", "2024"),
        ("July 2024", "2024-07"),
        ("next year", "2026"),
        ("July 24", "2025-07-24"),
        ("the previous day", "2025-07-23"),  # the day before the day last named
    ]


def test_taiwan_page_with_republic_era_years() -> None:
    page = (
        "首頁 > 政治\n賴清德出席國慶典禮\n2024/10/10 11:32(10/10 14:05 更新)\n"
        "(中央社記者葉素萍台北10日電)總統今天上午出席中華民國113年國慶大會,並宣布自114年1月1日起施行新制。"
        "民國38年,政府遷台。該案100年來首見。\n"
    )
    assert found(page, "2024-10-10T11:32", language="zh-Hant") == [
        ("2024/10/10 11:32", "2024-10-10"),
        ("10日", "2024-10-10"),
        ("今天上午", "2024-10-10"),
        ("114年1月1日", "2025-01-01"),  # 113年國慶大會 heads a name, like 2025世界人工智能大会
        ("民國38年", "1949"),
    ]


def test_a_portals_date_bar_of_another_day_is_left_out() -> None:
    text = (
        "2025年11月18日 星期二 农历九月廿八\n今日头条\n"
        "新华社北京7月26日电 国务院26日召开常务会议,研究部署下半年经济工作。\n"
    )
    assert found(text, "2025-07-26") == [
        ("7月26日", "2025-07-26"),
        ("26日", "2025-07-26"),
        ("下半年", "2025-07/2025-12"),
    ]
    same_day = text.replace("2025年11月18日 星期二", "2025年7月26日 星期六")
    assert found(same_day, "2025-07-26")[0] == ("2025年7月26日 星期六", "2025-07-26")
