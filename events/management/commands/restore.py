"""Load a backup written by `backup` into a fresh, migrated database: all of it or nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from events.backups import BackupRefused, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup` into a fresh database (run `migrate` first). "
        "Ids, history and tokens come back as they were; a database that already holds records is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The backup file (.json, or compressed .json.gz and the like).")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        try:
            loaded = backup_restore(file)
        except BackupRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {loaded} rows from {file}."))
