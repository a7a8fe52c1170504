"""Finding a quote in its source, tolerant of punctuation width and whitespace, and saying where it is.

A curator types or pastes a quote; the source may have a half-width comma where the quote has a
full-width one (``,`` / ``，``), or a line break where the quote has a space. :func:`find_quote`
compares both under a light normalisation (NFKC, which maps full-width punctuation and letters to their
usual forms, and any run of whitespace to one space, or to none between two Chinese characters) and
returns the source's own span, so that what is stored is always verbatim from the source.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")

# Quotation marks come in many widths and directions; they are compared as one mark.
_QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "「": '"', "」": '"'})


@dataclass(frozen=True)
class QuoteMatch:
    """Where a quote was found: code-point offsets into the source text, and the text found there."""

    start: int
    end: int
    text: str
    paragraph: int

    def describe(self) -> str:
        return f"paragraph {self.paragraph}, characters {self.start}–{self.end}"


def _normalised(text: str) -> tuple[str, list[int]]:
    """The comparison form of ``text`` and, for each of its characters, the offset it came from."""
    out: list[str] = []
    origin: list[int] = []
    pending_space = -1
    for index, character in enumerate(text):
        if character.isspace():
            if pending_space < 0:
                pending_space = index
            continue
        folded = unicodedata.normalize("NFKC", character).translate(_QUOTE_MARKS).casefold()
        if pending_space >= 0:
            # Whitespace between two Chinese characters is layout, not text; elsewhere it is one space.
            if out and not (_HAN.match(out[-1]) and _HAN.match(character)):
                out.append(" ")
                origin.append(pending_space)
            pending_space = -1
        for piece in folded:
            out.append(piece)
            origin.append(index)
    return "".join(out), origin


def paragraph_number(text: str, offset: int) -> int:
    """The 1-based paragraph (non-empty line) of ``text`` that holds ``offset``."""
    return sum(1 for line in text[:offset].split("\n")[:-1] if line.strip()) + 1


def find_quote(text: str, quote: str) -> QuoteMatch | None:
    """The first place ``quote`` occurs in ``text``, verbatim or under the tolerant comparison."""
    quote = quote.strip()
    if not quote or not text:
        return None
    start = text.find(quote)
    if start >= 0:
        end = start + len(quote)
    else:
        haystack, origin = _normalised(text)
        needle, _ = _normalised(quote)
        found = haystack.find(needle) if needle else -1
        if found < 0:
            return None
        start = origin[found]
        last = origin[found + len(needle) - 1]
        end = last + 1
    return QuoteMatch(start=start, end=end, text=text[start:end], paragraph=paragraph_number(text, start))


def quote_as_stored(text: str, quote: str, cleaned: str = "") -> str:
    """``quote`` as a citation stores it: verbatim when the source (or its cleaned text) has it so, else
    the source's own span of the tolerant match, else as typed (which validation then refuses)."""
    if not quote or not text or quote in text or (cleaned and quote in cleaned):
        return quote
    match = find_quote(text, quote)
    return match.text if match else quote


def explain_missing_quote(text: str, quote: str) -> str:
    """Why ``quote`` is not in ``text``, for a person: how much of its beginning matches, and where."""
    needle, _ = _normalised(quote.strip())
    haystack, origin = _normalised(text)
    low, high = 0, len(needle)
    while low < high:  # the longest prefix of the quote that occurs in the source
        middle = (low + high + 1) // 2
        if haystack.find(needle[:middle]) >= 0:
            low = middle
        else:
            high = middle - 1
    if low < 4:
        return "The quote does not occur in the source's captured text, even ignoring punctuation width."
    found = haystack.find(needle[:low])
    start = origin[found]
    return (
        "The quote does not occur in the source's captured text. Its first "
        f"{low} characters match at paragraph {paragraph_number(text, start)} (character {start}); "
        f"it differs from there: the quote goes on with {needle[low : low + 12]!r}, the source with "
        f"{haystack[found + low : found + low + 12]!r}."
    )
