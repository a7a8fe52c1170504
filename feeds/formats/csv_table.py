"""CSV, one row per event with the API's fields flattened, streamed line by line.

The text is UTF-8 with a byte-order mark, so spreadsheet programs (Excel included) read Chinese
correctly. Lists are joined with ``; ``: ``actors`` as ``slug (role)``, ``sources`` as
``publisher: title <url>``, ``quotes`` as the verbatim quotes in the same order. A cell that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return)
is prefixed with an apostrophe, the usual defence against CSV injection.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from events.read.fields import event_fields

BOM = "\ufeff"
COLUMNS = (
    "id",
    "slug",
    "title",
    "summary",
    "date",
    "date_start",
    "date_end",
    "date_precision",
    "date_display",
    "type",
    "status",
    "location",
    "tags",
    "actors",
    "actor_names",
    "sources",
    "quotes",
    "related",
    "created_at",
    "updated_at",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATOR = "; "
# What this format shows of an event (every column but the API link): nothing else is read or built.
FLATTENED = ("actor_names", "sources", "quotes")  # columns made from ``actors`` and ``citations``
FIELDS = event_fields(*(column for column in COLUMNS if column not in FLATTENED), "citations")


class LineBuffer:
    """A file-like object whose ``write`` returns the line, so ``csv.writer`` can feed a generator."""

    def write(self, value: str) -> str:
        return value


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def source_label(source: dict[str, Any]) -> str:
    publisher = (source.get("publisher") or {}).get("name")
    label = f"{publisher}: {source['title']}" if publisher else source["title"]
    return f"{label} <{source['url']}>" if source.get("url") else label


def row(item: dict[str, Any]) -> list[str]:
    citations = item.get("citations") or []
    flat = {
        **item,
        "location": (item.get("location") or {}).get("name", ""),
        "tags": SEPARATOR.join(tag["slug"] for tag in item.get("tags") or []),
        "actors": SEPARATOR.join(f"{actor['slug']} ({actor['role']})" for actor in item.get("actors") or []),
        "actor_names": SEPARATOR.join(actor["name"] for actor in item.get("actors") or []),
        "sources": SEPARATOR.join(source_label(citation["source"]) for citation in citations),
        "quotes": SEPARATOR.join(citation.get("quote") or "" for citation in citations),
        "related": SEPARATOR.join(f"{link['relation']}:{link['id']}" for link in item.get("related") or []),
    }
    return [safe_cell(flat.get(column)) for column in COLUMNS]


def render(items: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The CSV text, one line (the first with the byte-order mark and the header) at a time."""
    writer = csv.writer(LineBuffer())
    yield BOM + writer.writerow(COLUMNS)
    for item in items:
        yield writer.writerow(row(item))
