"""Cleaning of captured text: strips inline pinyin annotations, keeps everything else as captured.

Some captured pages in traditional script carry a pinyin reading after many characters, as in
``國(guó)際`` for ``國際``. :func:`clean_captured_text` removes such an annotation when, and only when,
it is a single lower-case pinyin syllable with a tone mark, in parentheses, right after a Han
character. Real parentheses stay: a byline ``(記者…)``, a pen name ``(和音)``, an abbreviation ``(AI)``,
a toneless ``(ai)`` or a multi-syllable gloss ``(Lǐ Qiáng)``.

Known encoding damage is left as captured, because the lost bytes cannot be restored faithfully: one
seed (Xinhua, 2025-07-26) has a phrase that went through the wrong codec, where two question marks and
unrelated characters stand for the place and verb of an inspection. Quotes copied from such a passage
still match, since they are checked against the captured or the cleaned text and both keep it.

Ingestion reuses this module, so that every stored source gets the same cleaned text.
"""

from __future__ import annotations

import re
import unicodedata

# Han ideographs: the unified block, extension A, the compatibility block and the supplementary planes.
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"

# What opens an annotation: an ASCII or a full-width parenthesis. A text without either has none
# (events/read/json_sql.py asks the database which quotes have one).
ANNOTATION_OPENERS = "(（"

# A candidate: Latin letters (precomposed or with combining accents) in ASCII or full-width parentheses.
_CANDIDATE = re.compile(
    rf"(?<=[{_HAN}])[{re.escape(ANNOTATION_OPENERS)}]([a-zA-Z\u00c0-\u024f\u0300-\u036f]{{1,12}})[)）]"
)

_TONED_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_VOWELS = "aeiouü" + _TONED_VOWELS
# Initial, vowel cluster, optional nasal or r coda: the shape of every Mandarin syllable with a vowel.
_PINYIN_SYLLABLE = re.compile(rf"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[{_VOWELS}]{{1,4}}(?:ng|n|r)?")


def is_pinyin_annotation(candidate: str) -> bool:
    """Whether ``candidate`` (the text inside the parentheses) reads as one tone-marked pinyin syllable."""
    syllable = unicodedata.normalize("NFC", candidate)
    if syllable != syllable.lower():
        return False  # capitals start names and abbreviations, which are real text
    tone_marks = sum(1 for character in syllable if character in _TONED_VOWELS)
    return tone_marks == 1 and _PINYIN_SYLLABLE.fullmatch(syllable) is not None


def pinyin_annotation_spans(text: str) -> list[tuple[int, int]]:
    """Where the inline pinyin annotations are: ``(start, end)`` offsets into ``text``, parentheses included.

    Ingestion needs the places, not only the cleaned text, so that what it finds in the cleaned text can
    be pointed at in the text as captured.
    """
    return [match.span() for match in _CANDIDATE.finditer(text) if is_pinyin_annotation(match.group(1))]


def clean_captured_text(text: str) -> str:
    """The captured text without inline pinyin annotations; nothing else is changed."""
    if not text:
        return text
    pieces, position = [], 0
    for start, end in pinyin_annotation_spans(text):
        pieces.append(text[position:start])
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
