"""Source services: create and update sources, keeping the cleaned text in step with the captured one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from events.models import Actor, Source
from events.services.common import model_update, save_validated
from events.services.text_cleaning import clean_captured_text

SOURCE_EDITABLE_FIELDS = [
    "slug",
    "title",
    "publisher",
    "url",
    "published",
    "language",
    "parallel_language",
    "byline",
    "text",
    "retrieved_at",
]


def source_create(
    *,
    slug: str,
    title: str,
    language: str,
    publisher: Actor | None = None,
    url: str | None = None,
    published: str = "",
    parallel_language: str = "",
    byline: str = "",
    text: str = "",
    retrieved_at: dt.datetime | None = None,
) -> Source:
    """Create a source after full validation; its cleaned text is derived here, its checksum on save."""
    source = Source(
        slug=slug,
        title=title,
        language=language,
        publisher=publisher,
        url=url,
        published=published,
        parallel_language=parallel_language,
        byline=byline,
        text=text,
        text_clean=clean_captured_text(text),
        retrieved_at=retrieved_at,
    )
    source.full_clean()
    return save_validated(source)


def source_update(*, source: Source, data: Mapping[str, Any]) -> Source:
    """Update the editable fields of a source present in ``data``; a new text gets a new cleaned text."""
    fields = list(SOURCE_EDITABLE_FIELDS)
    if "text" in data:
        data = {**data, "text_clean": clean_captured_text(data["text"])}
        fields.append("text_clean")
    source, _ = model_update(instance=source, fields=fields, data=data)
    return source


def source_delete(*, source: Source) -> None:
    """Delete a source no event cites (a cited one raises ProtectedError: uncite it first)."""
    source.delete()
