"""Cleaning: pinyin and widths, language and script, the body told from page junk, and page metadata."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingestion.cleaning import (
    ArticleMetadata,
    body_spans,
    clean_text,
    detect_language,
    normalised_view,
    read_metadata,
)

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def body_text(text: str) -> str:
    return "\n".join(text[start:end] for start, end in body_spans(text))


# --- Pinyin, widths, whitespace ------------------------------------------------------------------


def test_clean_text_strips_pinyin_and_normalises_widths_and_spaces() -> None:
    raw = "國務(wù)院總理  今日(rì)出席，會議（AI）\u3000開幕：２０２５年\n\n\n\n新華社(記者)"
    assert clean_text(raw) == "國務院總理 今日出席,會議(AI) 開幕:2025年\n\n新華社(記者)"


def test_normalised_view_maps_every_character_back_to_the_raw_text() -> None:
    raw = "今(jīn)年４月,國(guó)際"
    view = normalised_view(raw)
    assert view.text == "今年4月,國際"
    assert view.raw_span(0, 4) == (0, 9)  # 今年4月 covers the annotation inside it
    assert raw[slice(*view.raw_span(0, 4))] == "今(jīn)年４月"
    assert view.raw_span(5, 7) == (10, len(raw))


# --- Language and script -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("国务院总理出席会议并发表讲话,强调加强国际合作。", "zh-Hans"),
        ("國務院總理出席會議並發表講話,強調加強國際合作。", "zh-Hant"),
        ("The premier attended the meeting and stressed international cooperation.", "en"),
        ("國務院總理出席會議。\nThe premier attended the meeting and gave a speech on cooperation.", "mixed"),
        ("", "en"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


# --- Body and junk -------------------------------------------------------------------------------

PAGE = """点击右上角分享给微信好友
首页 > 国际频道 > 国际要闻 > 正文
正在阅读:港口合作取得新进展
港口合作取得新进展
来源:东方晨报2024-11-08 16:45
  两国交通部长7日在杭州签署港口合作协议,这是双方深化互联互通的重要一步,受到各方广泛关注和积极评价。
  双方同意建立部长级磋商机制,每年举行一次会议,共同推动港口、航运和物流领域务实合作。
[ 责编:李明 ]
相关阅读
港口集团前三季度利润增长,市场预期持续向好,多家机构上调评级……
2024-10-30 09:12
热门推荐
11月7日,新航线开通...
"""


def test_body_spans_keep_the_article_and_drop_chrome_and_sidebar() -> None:
    body = body_text(PAGE)
    assert "两国交通部长7日在杭州签署" in body
    assert "每年举行一次会议" in body
    assert "来源:东方晨报2024-11-08 16:45" in body  # the page's own posting line is metadata, kept
    for junk in ("微信好友", "首页 >", "正在阅读", "责编", "相关阅读", "2024-10-30 09:12", "新航线开通"):
        assert junk not in body


def test_teasers_cut_off_with_an_ellipsis_are_junk_anywhere() -> None:
    text = (
        "魅族新机官宣... 7月28日,魅族官方通过推文正式官宣...\n"
        "正文第一段:这是文章本身,篇幅足够长,是一段完整的新闻报道内容,没有被截断。"
    )
    assert body_text(text) == text.split("\n")[1]


def test_english_related_stories_and_copyright_are_junk() -> None:
    text = (
        "GENEVA, March 6 (Reuters) - Negotiators reached a draft deal on Thursday, officials said.\n"
        "Related stories\nTrade talks stall - March 1, 2024\nCopyright 2024 Reuters.\n"
    )
    assert body_text(text) == text.split("\n")[0]


def test_body_spans_are_offsets_into_the_raw_text_with_pinyin() -> None:
    text = (
        "新華社上海7月26日電 國務(wù)院總理出席開幕式並致辭,強調各國加強合作,共同推動全球治理體系改革完善。"
        "\n相關閱讀\n其他新聞"
    )
    spans = body_spans(text)
    assert spans == [(0, text.index("\n"))]


def test_seed_sidebars_are_separated() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed texts are not beside the project ({SEEDS})")
    commentary = (SEEDS / "001_c7f698a66cb334f9.txt").read_text(encoding="utf-8")
    report = (SEEDS / "003_7f44d65a6cc781ab.txt").read_text(encoding="utf-8")
    assert "2023年10月" in body_text(commentary)
    assert "2025-11-18" not in body_text(commentary)  # the recommended-reading timestamps
    assert "热门资讯" not in body_text(report) and "iPhone" not in body_text(report)
    assert "较去年大幅增加" in body_text(report)
    dispatch = (SEEDS / "000_6e67b410ee902a66.txt").read_text(encoding="utf-8")
    assert "(wù)" not in clean_text(dispatch) and "國務院" in clean_text(dispatch)


# --- Metadata ------------------------------------------------------------------------------------


def test_read_metadata_from_a_source_line() -> None:
    assert read_metadata(PAGE) == ArticleMetadata(
        published=dt.datetime(2024, 11, 8, 16, 45),
        publisher="东方晨报",
        dateline_place=None,
        dateline_date=None,
        language="zh-Hans",
    )


def test_read_metadata_from_a_posting_time_and_a_dateline() -> None:
    text = (
        "两国签署港口合作协议\n2024-11-08 09:21:07\n\n"
        "新华社杭州11月8日电(记者 林晓)两国交通部长7日在杭州签署港口合作协议,双方当天还举行了第三轮对话。"
    )
    metadata = read_metadata(text)
    assert metadata.published == dt.datetime(2024, 11, 8, 9, 21, 7)
    assert metadata.publisher == "新华社"
    assert (metadata.dateline_place, metadata.dateline_date) == ("杭州", dt.date(2024, 11, 8))


def test_read_metadata_of_an_english_dispatch() -> None:
    metadata = read_metadata(
        "GENEVA, March 6, 2024 (Reuters) - Negotiators reached a draft deal on Thursday."
    )
    assert (metadata.publisher, metadata.dateline_place, metadata.dateline_date) == (
        "Reuters",
        "Geneva",
        dt.date(2024, 3, 6),
    )
    assert metadata.published is None and metadata.language == "en"


def test_read_metadata_of_a_page_with_nothing_to_say() -> None:
    assert read_metadata("一段没有来源也没有日期的文字。") == ArticleMetadata(
        None, None, None, None, "zh-Hans"
    )


def test_read_metadata_from_a_dated_page_header_and_a_byline() -> None:
    text = (
        "港口合作取得新进展\n2024-11-08  来源: 东方晨报 作者:\n\n"
        "【东方晨报特约记者 林晓】两国交通部长7日在杭州签署港口合作协议,双方当天还举行了第三轮对话。\n"
        "相关新闻\n来源:滚动快讯 港口集团发布公告……\n"
    )
    metadata = read_metadata(text)
    assert (metadata.published, metadata.publisher) == (dt.date(2024, 11, 8), "东方晨报")
    no_source_line = text.replace("  来源: 东方晨报 作者:", "")
    assert read_metadata(no_source_line).publisher == "东方晨报"  # from the byline, not the sidebar's source


def test_a_disclaimer_or_a_recommendations_heading_closes_the_article() -> None:
    article = "两国交通部长7日在杭州签署港口合作协议,这是双方深化互联互通的重要一步,受到各方广泛关注。"
    for tail in ("声明:该文观点仅代表作者本人,平台仅提供信息存储空间服务。", "相关推荐", "返回搜狐,查看更多"):
        text = f"{article}\n{tail}\n港口集团前三季度利润增长,2024年10月30日发布公告。\n"
        assert body_text(text) == article


def test_an_elision_inside_a_paragraph_is_not_a_teaser() -> None:
    text = "He said the plan ... was approved on Tuesday, officials confirmed to reporters in Geneva.\n"
    assert body_text(text) == text.strip()


def test_a_dated_list_placed_before_the_article_is_junk() -> None:
    text = (
        "热门资讯\n港口集团发布三季报 2024-10-30 09:12\n2024-10-29 18:00\n"
        "两国签署港口合作协议\n来源:东方晨报 2024-11-08 16:45\n"
        "两国交通部长7日在杭州签署港口合作协议,这是双方深化互联互通的重要一步,受到各方广泛关注。\n"
    )
    body = body_text(text)
    assert "2024-10-30" not in body and "2024-10-29" not in body
    assert body.startswith("两国签署港口合作协议\n来源:东方晨报 2024-11-08 16:45")
