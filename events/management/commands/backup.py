"""Write the whole record, its history and the accounts to one JSON file that `restore` loads back."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from events.backups import backup_write


class Command(BaseCommand):
    help = (
        "Back up the database (records, their history, users, groups and tokens) to a JSON file; "
        "a name ending in .gz, .bz2, .xz or .zip is compressed. Load it with `manage.py restore FILE`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", help="Where to write (default: timeline-backup-<date>-<time>.json.gz)."
        )

    def handle(self, *args: Any, file: str | None = None, **options: Any) -> None:
        path = file or timezone.now().strftime("timeline-backup-%Y%m%d-%H%M%S.json.gz")
        counts = backup_write(path)
        self.stdout.write(self.style.SUCCESS(f"Backed up {sum(counts.values())} rows to {path}."))
