"""An article as ingestion receives it: text decoded and checked, options parsed, before any write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from events.source_urls import InvalidSourceUrl, normalize_url

LANGUAGES = ("auto", "zh-Hans", "zh-Hant", "en")
# A news article is a few thousand characters; a megabyte of text is something else.
MAX_ARTICLE_CHARACTERS = 1_000_000
# A saved web page carries its markup too: a few megabytes at most.
MAX_FILE_BYTES = 5 * 1024 * 1024


class ArticleRefused(ValueError):
    """An article that cannot be ingested as given; the message says why and what to do."""

    def __init__(self, message: str, field: str = "text") -> None:
        super().__init__(message)
        self.field = field


class ArticleBusy(ArticleRefused):
    """The same article is being ingested right now by another run."""


@dataclass(frozen=True)
class ArticleInput:
    """What a curator gives: the text, and what the text may not say about itself."""

    text: str
    name: str = ""
    url: str | None = None
    publisher: str = ""
    published: str = ""  # ISO date or date-time; empty to read it from the page
    language: str = "auto"
    title: str = ""  # the article's headline; empty to read it from the text

    def checked(self) -> ArticleInput:
        """The same input with its text's line ends unified, or :class:`ArticleRefused` naming the fault."""
        text = self.text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
        if not text.strip():
            raise ArticleRefused(f"{self.label} is empty: there is no text to ingest.")
        if len(text) > MAX_ARTICLE_CHARACTERS:
            raise ArticleRefused(
                f"{self.label} has {len(text):,} characters; an article may have at most "
                f"{MAX_ARTICLE_CHARACTERS:,}. Split it into its articles."
            )
        if "\x00" in text:
            raise ArticleRefused(f"{self.label} contains NUL characters: it is not a text file.")
        url = self.url.strip() if self.url else None
        if url:
            try:
                url = normalize_url(url)
            except InvalidSourceUrl as error:
                raise ArticleRefused(str(error), field="url") from error
        if self.language not in LANGUAGES:
            raise ArticleRefused(
                f"{self.language!r} is not a language: use one of {', '.join(LANGUAGES)}.", field="language"
            )
        parse_published(self.published)
        return ArticleInput(
            text=text,
            name=self.name,
            url=url or None,
            publisher=self.publisher.strip(),
            published=self.published.strip(),
            language=self.language,
            title=" ".join(self.title.split())[:500],
        )

    @property
    def label(self) -> str:
        return self.name or "The article"


def parse_published(text: str) -> dt.date | dt.datetime | None:
    """An ISO date (2025-07-26) or date-time (2025-07-28T09:21:07); empty is None."""
    value = text.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else dt.datetime.fromisoformat(value)
    except ValueError as error:
        raise ArticleRefused(
            f"{value!r} is not an ISO date or date-time: give one such as 2025-07-26 or 2025-07-28T09:21.",
            field="published",
        ) from error


def decode_article(data: bytes, name: str) -> str:
    """The text of an uploaded or read file: UTF-8 (a byte-order mark is allowed), else a clear refusal."""
    if not data.strip():
        raise ArticleRefused(f"{name} is empty: there is no text to ingest.")
    if b"\x00" in data[:8192]:
        raise ArticleRefused(f"{name} is a binary file, not text: give the article as UTF-8 text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleRefused(
            f"{name} is not UTF-8 text (byte 0x{data[error.start]:02x} at position {error.start} cannot be "
            "read): save it as UTF-8 and try again."
        ) from error


def read_article_bytes(path: Path) -> bytes:
    """The bytes of the file at ``path`` (a few megabytes at most), or :class:`ArticleRefused` saying why."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ArticleRefused(
                f"{path} is larger than {MAX_FILE_BYTES // 1024 // 1024} MB: not an article."
            )
        return path.read_bytes()
    except IsADirectoryError as error:
        raise ArticleRefused(f"{path} is a directory: give the article files themselves.") from error
    except OSError as error:
        raise ArticleRefused(f"{path} cannot be read: {error.strerror or error}.") from error


def read_article_file(path: Path) -> str:
    """The text of the file at ``path``, or :class:`ArticleRefused` saying why it cannot be read."""
    return decode_article(read_article_bytes(path), str(path))
