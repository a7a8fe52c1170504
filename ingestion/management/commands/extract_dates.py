"""Print the dates an article asserts: ``extract_dates FILE --published ISO_DATE_OR_DATETIME [--json]``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ingestion.dates import LANGUAGES, extract_dates

# A captured article is a page of text; anything far larger is not one.
MAX_FILE_BYTES = 1024 * 1024


def read_article(path: str) -> str:
    """The file's text exactly as stored (UTF-8, no newline translation), or a CommandError saying why not."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{path}: no such file.")
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(
                f"{path}: the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; not an article."
            )
        data = file.read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror}).") from error
    if b"\x00" in data:
        raise CommandError(f"{path}: a binary file, not a text article.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CommandError(
            f"{path}: not UTF-8 text (bad byte at offset {error.start}); save it as UTF-8."
        ) from error
    return text


def parse_published(value: str) -> dt.date | dt.datetime:
    """An ISO date (2025-07-26) or date-time (2025-07-28T09:21:07), or a CommandError."""
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--published {value!r} is not an ISO date or date-time: write 2025-07-26 or 2025-07-28T09:21:07."
        ) from None


def add_article_arguments(parser: CommandParser, *, items: str) -> None:
    """The arguments extract_dates and extract_events share: the file, its date, language and --json."""
    parser.add_argument("file", help="The article: a UTF-8 text file, as captured.")
    parser.add_argument(
        "--published",
        required=True,
        help="Publication date or date-time, ISO: 2025-07-26 or 2025-07-28T09:21.",
    )
    parser.add_argument("--language", default="auto", choices=LANGUAGES, help="The article's language.")
    parser.add_argument("--json", action="store_true", help=f"Print a JSON array of {items}.")


class Command(BaseCommand):
    help = (
        "Print the dates an article asserts, each with its offsets in the file's text and its value "
        "(YYYY, YYYY-MM, YYYY-MM-DD or START/END), resolved against the dateline or --published."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_article_arguments(parser, items="mentions")

    def handle(self, *args: Any, **options: Any) -> None:
        published = parse_published(options["published"])
        text = read_article(options["file"])
        mentions = extract_dates(text, published=published, language=options["language"])
        if options["json"]:
            self.stdout.write(json.dumps([mention.as_dict() for mention in mentions], ensure_ascii=False))
            return
        for mention in mentions:
            self.stdout.write(f"{mention.start:>6} {mention.end:>6}  {mention.value:<23}  {mention.text}")
        self.stdout.write(f"{len(mentions)} date mention(s).")
