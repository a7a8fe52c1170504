"""Load the seed dataset (fixtures/seed.json); with --if-empty, only into a database with no events."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from events.backups import history_recording_paused
from events.models import Event
from events.services.history import history_record_missing


class Command(BaseCommand):
    help = "Load fixtures/seed.json. With --if-empty, do nothing when the database already has events."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Skip loading when any event is already stored."
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if if_empty and Event.objects.exists():
            self.stdout.write("The database already holds events; the seed data was not loaded again.")
            return
        # Every seeded row gets one first history entry below, saying where it came from (loaddata alone
        # would record some events' tags as anonymous changes).
        with history_recording_paused():
            call_command("loaddata", "seed", verbosity=options.get("verbosity", 1))
        history_record_missing(reason="seed data loaded")
        self.stdout.write(self.style.SUCCESS(f"Seed data loaded: {Event.objects.count()} events."))
