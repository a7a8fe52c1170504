"""A search term's condition on an event's search document (PostgreSQL, migration 0004), as SQL.

Pure Python, so that events.search and the benchmark's bare limit app (which loads no Django) build
the same SQL. The document is stored upper-cased, so the term is upper-cased by PostgreSQL too (as
Django's ``icontains`` does on both sides).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def character_pairs(term: str) -> list[str]:
    """What the pair index looks up for a term: itself if it has 1 or 2 characters, else its pairs."""
    if len(term) <= 2:
        return [term]
    return list(dict.fromkeys(term[i : i + 2] for i in range(len(term) - 1)))


def trigram_indexed(term: str) -> bool:
    """Whether pg_trgm serves a term well: three characters or more, all ASCII. It keeps other
    characters' trigrams as 3-byte hashes, and some CJK words collide with frequent ones (龍捲風 did,
    with 22,000 events): their exact character pairs find them instead."""
    return len(term) >= 3 and term.isascii()


def like_pattern(term: str) -> str:
    """``%term%`` with LIKE's own characters escaped, as Django escapes them for ``icontains``."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def document_contains(table: str, variants: Sequence[str], placeholder: Callable[[Any], str]) -> str:
    """SQL true when the document of the event row ``table`` contains one of ``variants``.

    ``placeholder(value)`` records a parameter and returns its placeholder (``%s``, ``%(name)s``).
    """
    document, grams = f"{table}.search_document", f"{table}.search_grams"
    conditions = []
    for variant in variants:
        like = f"{document} LIKE UPPER({placeholder(like_pattern(variant))})"
        if trigram_indexed(variant):
            conditions.append(like)
        else:
            # The pairs are implied by the LIKE, which decides; the LIKE goes first, as it is what a
            # scan in date order checks for each row it reads (the pair array is stored apart).
            pairs = ", ".join(f"UPPER({placeholder(pair)})" for pair in character_pairs(variant))
            conditions.append(f"({like} AND {grams} @> ARRAY[{pairs}])")
    return f"({' OR '.join(conditions)})"
