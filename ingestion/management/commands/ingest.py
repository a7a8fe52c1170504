"""``manage.py ingest FILE...``: ingest articles into draft events and suggested citations."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ingestion.services.articles import (
    LANGUAGES,
    ArticleInput,
    ArticleRefused,
    parse_published,
    read_article_bytes,
    read_article_file,
)
from ingestion.services.web import article_input_from_page, article_input_from_url
from ingestion.tasks import ingest_batch


class Command(BaseCommand):
    help = (
        "Ingest article files (UTF-8 text): store each as a source, draft an event per dated happening, and "
        "suggest citations where the record already has the happening. With CELERY_BROKER_URL set, the "
        "files are queued as Celery tasks for the workers; otherwise they are ingested here."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files",
            nargs="+",
            metavar="FILE_OR_URL",
            help="Article text files (UTF-8), saved web pages (.html) or http(s) links to fetch.",
        )
        parser.add_argument("--title", default="", help="The article's headline (one file only).")
        parser.add_argument("--url", default="", help="The article's web address (one file only).")
        parser.add_argument(
            "--publisher", default="", help="The publisher: an actor's slug or any of its names."
        )
        parser.add_argument(
            "--published",
            default="",
            help="Publication date, ISO (2025-07-26 or 2025-07-28T09:21); default: read from the page.",
        )
        parser.add_argument("--language", default="auto", choices=LANGUAGES, help="The text's language.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be created; write nothing."
        )
        parser.add_argument("--json", action="store_true", help="Print the reports as a JSON array.")
        parser.add_argument("--user", default="", help="The curator the writes are attributed to (username).")

    def handle(self, *args: Any, **options: Any) -> None:
        files = [Path(name) for name in options["files"]]
        if (options["url"] or options["title"]) and len(files) > 1:
            raise CommandError("--url names one article (--title its headline): give it with a single file.")
        user = self._user(options["user"])
        try:  # an option that is wrong for every file is refused once, before any file is read
            parse_published(options["published"])
        except ArticleRefused as error:
            raise CommandError(f"--published: {error}") from error

        reports: list[dict[str, Any]] = []
        articles: list[ArticleInput] = []
        given = {
            "publisher": options["publisher"],
            "published": options["published"],
            "language": options["language"],
            "title": options["title"],
        }
        for path in files:
            try:
                if str(path).startswith(("http:/", "https:/")):
                    # Path() folds the double slash of a link: the argument as typed is the address.
                    link = next(name for name in options["files"] if Path(name) == path)
                    article = article_input_from_url(link, **given)
                elif path.suffix.lower() in (".html", ".htm", ".xhtml"):
                    raw = read_article_bytes(path)
                    article = article_input_from_page(
                        raw, name=str(path), url=options["url"] or None, **given
                    )
                else:
                    text = read_article_file(path)
                    article = ArticleInput(text=text, name=str(path), url=options["url"] or None, **given)
                articles.append(article.checked())
            except ArticleRefused as error:
                reports.append({"name": str(path), "refused": str(error), "field": error.field})
                self.stderr.write(f"{path}: skipped: {error}")

        # A bar only where it helps: several files, and a terminal to draw it on (tqdm decides).
        progress = tqdm(total=len(articles), unit="file", disable=len(articles) < 2 or None, file=sys.stderr)
        with progress:
            for report in ingest_batch(articles=articles, user=user, dry_run=options["dry_run"]):
                reports.append(report)
                with progress.external_write_mode(file=sys.stderr):
                    if "refused" in report:
                        self.stderr.write(f"{report['name']}: skipped: {report['refused']}")
                    elif not options["json"]:
                        self.stdout.write(f"{report['name']}: {self._describe(report)}")
                progress.update()

        if options["json"]:
            self.stdout.write(json.dumps(reports, ensure_ascii=False, indent=2))
        refused = [report for report in reports if "refused" in report]
        if refused:
            raise CommandError(f"{len(refused)} of {len(files)} file(s) skipped; see the messages above.")

    def _user(self, username: str) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}: give a curator's username.")
        if not (user.has_perm("events.add_event") and user.has_perm("events.add_source")):
            raise CommandError(f"{username!r} may not add events and sources: give a curator's username.")
        return user

    @staticmethod
    def _describe(report: dict[str, Any]) -> str:
        source = report["source"]
        parts = [
            report["status"],
            f"source #{source['id']} ({'new' if source['created'] else 'already stored'})",
            f"{len(report['drafts'])} draft(s)",
            f"{len(report['suggestions'])} suggested citation(s)",
            f"{report['already_known']} already in the record",
        ]
        lines = [", ".join(parts)]
        lines += [f"  draft {draft['date']}: {draft['quote'][:80]}" for draft in report["drafts"]]
        lines += [f"  suggest citing for {item['slug']} ({item['date']})" for item in report["suggestions"]]
        lines += [f"  note: {note}" for note in report["notes"]]
        return "\n".join(lines)
