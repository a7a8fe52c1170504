"""Print what an article states: ``extract_events FILE --published ISO [--language …] [--json]``."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from ingestion.management.commands.extract_dates import add_article_arguments, parse_published, read_article
from ingestion.matching import ActorIndex
from ingestion.services.ingest import extract_events


class Command(BaseCommand):
    help = (
        "Print the dates an article asserts (as extract_dates does), each with the sentence that states "
        "it (quote), a headline (title), the record's event type and the word that chose it, and the "
        "actors it names: the record's by any alias in any script, or new candidates (actor null)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_article_arguments(parser, items="items")

    def handle(self, *args: Any, **options: Any) -> None:
        published = parse_published(options["published"])
        text = read_article(options["file"])
        try:
            actors = ActorIndex.from_record()
            len(actors.names)
        except DatabaseError as error:
            # No record to match against (a fresh checkout): every actor found is a new candidate.
            sys.stderr.write(f"No actors read from the database ({error}); every actor is a new candidate.\n")
            actors = ActorIndex([])
        items = extract_events(text, published=published, language=options["language"], actors=actors)
        if options["json"]:
            self.stdout.write(json.dumps([item.as_dict() for item in items], ensure_ascii=False))
            return
        for item in items:
            names = ", ".join(
                f"{actor.name} ({actor.actor.slug if actor.actor else 'new'}, {actor.role})"
                for actor in item.actors
            )
            self.stdout.write(
                f"{item.mention.start:>6}  {item.mention.value:<23}  {item.type.type:<13} {item.title}"
            )
            if names:
                self.stdout.write(f"{'':>8}actors: {names}")
        self.stdout.write(f"{len(items)} dated item(s).")
