"""Chinese script folding: simplified, traditional and Taiwan/mainland vocabulary, through OpenCC.

Search folds both the query and what it is compared with, so that 李強 finds 李强 and 人工智慧 finds
人工智能. Curated text is simplified by default; traditional text is derived from it where none was
curated.

OpenCC reads 并发布 ("and publish") as 并发|布 and writes 併發布 (併發 is "concurrency"). The simplified →
traditional conversions therefore run with curated phrases (``opencc/curated_phrases_s2t.txt``) added
to OpenCC's own phrase dictionaries: its segmentation takes the longest phrase, so 并发布 becomes 並發布
while 合并发布 is still 合併發布 and 并发症 is still 併發症.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import opencc

CURATED_PHRASES = Path(__file__).with_name("opencc") / "curated_phrases_s2t.txt"
_OPENCC_DATA = Path(opencc.__file__).with_name("clib") / "share" / "opencc"
_PHRASE_DICTIONARY = "STPhrases.ocd2"


def _with_curated_phrases(node: Any) -> Any:
    """An OpenCC configuration with absolute dictionary paths, and the curated phrases first in every
    dictionary group that holds OpenCC's simplified → traditional phrases."""
    if isinstance(node, list):
        return [_with_curated_phrases(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _with_curated_phrases(value) for key, value in node.items()}
    if "file" in node:
        node["file"] = str(_OPENCC_DATA / node["file"])
    dicts = node.get("dicts", [])
    if any(isinstance(item, dict) and item.get("file", "").endswith(_PHRASE_DICTIONARY) for item in dicts):
        node["dicts"] = [{"type": "text", "file": str(CURATED_PHRASES)}, *dicts]
    return node


@cache
def _converter(config: str) -> opencc.OpenCC:
    if not config.startswith("s2t"):
        return opencc.OpenCC(config)
    # OpenCC reads its configuration from a file: write the curated one once, named by its content.
    curated = _with_curated_phrases(json.loads((_OPENCC_DATA / f"{config}.json").read_text("utf-8")))
    text = json.dumps(curated, ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256((text + CURATED_PHRASES.read_text("utf-8")).encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"timeline-opencc-{config}-{digest}.json"
    if not path.is_file():
        scratch = path.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_text(text, "utf-8")
        os.replace(scratch, path)  # atomic: processes starting together never read half a file
    return opencc.OpenCC(str(path))


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
