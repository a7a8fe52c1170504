"""The dateline rule, written once: a date followed by 电 / 讯 dates the dispatch; 电话, 电视 are words."""

from __future__ import annotations

from typing import Any

import pytest

from ingestion.cleaning import find_datelines, is_dateline_date, normalised_view
from ingestion.services.articles import ArticleInput
from ingestion.services.ingest import ingest_article


@pytest.mark.parametrize(
    ("text", "date", "expected"),
    [
        ("新华社北京7月26日电 国家主席习近平出席会议。", "7月26日", True),
        ("中央社記者王揚宇台北26日電 行政院長今天表示。", "26日", True),
        ("新華社上海7月26日電(diàn) 國務院總理李強出席開幕式。", "7月26日", True),
        ("两国元首7月26日电话会谈，就双边关系交换意见。", "7月26日", False),
        ("国家主席习近平26日电视讲话，宣布新的举措。", "26日", False),
        ("兩國元首7月26日電話會談，就雙邊關係交換意見。", "7月26日", False),
        ("GENEVA, March 6 (Reuters) - The WHO said on Thursday that cases rose.", "March 6", True),
        ("WASHINGTON, July 28 — The Senate passed the bill by a wide margin.", "July 28", True),
        ("On March 6 the WHO said that cases rose sharply in the region.", "March 6", False),
    ],
)
def test_a_date_is_a_dateline_only_when_it_files_the_dispatch(text: str, date: str, expected: bool) -> None:
    start = text.index(date)
    assert is_dateline_date(text, start, start + len(date)) is expected


def test_date_extraction_anchors_on_the_same_datelines() -> None:
    view = normalised_view("两国元首7月26日电话会谈。\n新华社北京7月27日电 记者报道。")
    assert [(line.month, line.day) for line in find_datelines(view.text)] == [(7, 27)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sentence",
    [
        "两国元首7月26日电话会谈，就双边关系和共同关心的问题交换意见。",
        "国家主席习近平26日电视讲话，宣布一系列新的经济举措。",
    ],
)
def test_a_telephone_call_or_a_televised_speech_is_drafted_not_dropped(
    db: Any, ingester: Any, sentence: str
) -> None:
    report = ingest_article(article=ArticleInput(text=sentence, published="2025-07-26"), user=ingester)

    assert [draft.date for draft in report.drafts] == ["2025-07-26"]
