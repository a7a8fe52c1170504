"""Chinese script folding: simplified, traditional and Taiwan/mainland vocabulary, through OpenCC.

Search folds both the query and what it is compared with, so that 李強 finds 李强 and 人工智慧 finds
人工智能. Curated text is simplified by default; traditional text is derived from it where none was
curated.
"""

from __future__ import annotations

from functools import cache

import opencc


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Mainland simplified Chinese, with Taiwan vocabulary mapped to mainland terms (人工智慧 → 人工智能)."""
    return _converter("tw2sp").convert(text) if text else text


def to_traditional(text: str) -> str:
    """Traditional Chinese as written in Taiwan, with its vocabulary (人工智能 → 人工智慧)."""
    return _converter("s2twp").convert(text) if text else text


def to_traditional_characters(text: str) -> str:
    """Traditional characters only, with mainland vocabulary kept (人工智能 → 人工智能, 李强 → 李強)."""
    return _converter("s2t").convert(text) if text else text


def fold(text: str) -> str:
    """The search key of a text: simplified mainland Chinese, case-folded."""
    return to_simplified(text).casefold()


def script_variants(text: str) -> list[str]:
    """The forms a term may be written in, to match against text in any script: unique, query first."""
    forms = [text, to_simplified(text), to_traditional(text), to_traditional_characters(text)]
    return list(dict.fromkeys(form for form in forms if form))
