"""Tests for the cleaning of captured text: pinyin annotations go, real parentheses and damage stay."""

import re
import unicodedata
from pathlib import Path

import pytest

from events.services.text_cleaning import clean_captured_text, is_pinyin_annotation

SEED_TEXTS = Path(__file__).resolve().parents[2] / "fixtures" / "seed_texts"


def seed_text(stem: str) -> str:
    return (SEED_TEXTS / f"{stem}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("captured", "cleaned"),
    [
        ("國務(wù)院總理李強", "國務院總理李強"),
        ("“人工智能+”國(guó)際合作倡議", "“人工智能+”國際合作倡議"),
        ("強調(diào)", "強調"),
        ("人工智能技術(shù)加速迭代", "人工智能技術加速迭代"),
        ("創(chuàng)新", "創新"),
        ("產(chǎn)業(yè)", "產業"),
    ],
)
def test_strips_the_pinyin_annotations_of_the_seeds(captured: str, cleaned: str) -> None:
    assert clean_captured_text(captured) == cleaned


@pytest.mark.parametrize(
    "text",
    [
        "新華社上海7月26日電(記者王慧慧、龔雯)國務院總理李強",  # a byline
        "积极参与和引领人工智能全球治理(和音)",  # a pen name
        "世界人工智能(AI)合作组织",  # an abbreviation
        "这是(fante01)整理的信息",  # a handle with digits
        "操作系统大会2025(以下简称“大会”)",  # an aside in Chinese
        "(來源:新華社)",  # parentheses at the start of a line
    ],
)
def test_keeps_real_parentheses(text: str) -> None:
    assert clean_captured_text(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "人工智能(ai)",  # no tone mark: not an annotation
        "李強(Lǐ Qiáng)",  # a name gloss of two syllables
        "上海(Shàng)",  # capitalised: a name, not a reading
        "咖啡馆(café)",  # a foreign word with an accent, not a syllable
        "The word (guó) alone",  # no Han character before it
        "國 (guó)",  # a space between: not an inline annotation
        "國(guó",  # unbalanced
        "國(gu(ó))",  # nested
        "國(xyzábc)",  # letters that no syllable is made of
    ],
)
def test_leaves_hostile_lookalikes_alone(text: str) -> None:
    assert clean_captured_text(text) == text


def test_full_width_parentheses_and_decomposed_tone_marks_are_annotations_too() -> None:
    decomposed = unicodedata.normalize("NFD", "(guó)")
    assert len(decomposed) == 6  # the tone is a combining character here
    assert clean_captured_text(f"國{decomposed}際") == "國際"
    assert clean_captured_text("國（guó）際") == "國際"


def test_empty_and_plain_text_come_back_unchanged() -> None:
    assert clean_captured_text("") == ""
    plain = "中方倡议成立世界人工智能合作组织。China proposes (tentatively) a new body."
    assert clean_captured_text(plain) == plain


def test_is_pinyin_annotation() -> None:
    assert is_pinyin_annotation("zhuàng")
    assert is_pinyin_annotation("lǚ")
    assert not is_pinyin_annotation("guo")
    assert not is_pinyin_annotation("AI")
    assert not is_pinyin_annotation("guóguó")


def test_the_annotated_seeds_come_out_without_any_annotation() -> None:
    for stem in ("000_6e67b410ee902a66", "004_561e28af1e18772b"):
        captured = seed_text(stem)
        cleaned = clean_captured_text(captured)
        assert len(cleaned) < len(captured)
        leftover = re.findall(r"[\u4e00-\u9fff]\([a-zü\u00e0-\u01dc]+\)", cleaned)
        assert leftover == [], f"{stem}: annotations left: {leftover[:5]}"
    cleaned = clean_captured_text(seed_text("000_6e67b410ee902a66"))
    assert "國務院總理李強7月26日在上海出席" in cleaned
    assert "(記者王慧慧、龔雯)" in cleaned
    assert clean_captured_text(seed_text("004_561e28af1e18772b")).startswith("“人工智能+”國際合作倡議\n")


def test_seeds_without_annotations_are_left_exactly_as_captured() -> None:
    for stem in ("001_c7f698a66cb334f9", "002_e398be88e55bf720", "003_7f44d65a6cc781ab"):
        assert clean_captured_text(seed_text(stem)) == seed_text(stem)


def test_known_mojibake_is_left_as_captured() -> None:
    damaged = "習近平主席今年4月在上??疾鞎r強調(diào),人工智能"
    assert clean_captured_text(damaged) == "習近平主席今年4月在上??疾鞎r強調,人工智能"
    assert "上??疾鞎r" in clean_captured_text(seed_text("000_6e67b410ee902a66"))
