"""Fill an empty record with a deterministic synthetic one, in bulk (events.services.synthetic)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from events.services.synthetic import SyntheticRecordError, synthetic_record_generate


def ignore(message: str) -> None:
    """Progress messages go nowhere with --verbosity 0."""


class Command(BaseCommand):
    help = (
        "Generate a deterministic synthetic record for benchmarks: N events with A actors and S sources, "
        "shaped like the real record, with derived columns and history rows. Refuses a record that "
        "already holds events, actors or sources unless --append is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--events", type=int, default=10_000, help="How many events (default 10000).")
        parser.add_argument(
            "--actors",
            type=int,
            default=None,
            help="How many actors (default: one per 20 events, at least 4).",
        )
        parser.add_argument(
            "--sources",
            type=int,
            default=None,
            help="How many sources (default: three per 10 events, at least 3).",
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="The random seed: the same seed gives the same data."
        )
        parser.add_argument(
            "--append",
            action="store_true",
            help="Add to a record that already holds data (new rows get ids after the existing ones).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        events: int = options["events"]
        actors: int = options["actors"] if options["actors"] is not None else max(4, events // 20)
        sources: int = options["sources"] if options["sources"] is not None else max(3, events * 3 // 10)
        verbose = options["verbosity"] >= 1
        try:
            report = synthetic_record_generate(
                events=events,
                actors=actors,
                sources=sources,
                seed=options["seed"],
                append=options["append"],
                progress=self.stdout.write if verbose else ignore,
            )
        except SyntheticRecordError as error:
            raise CommandError(str(error)) from None
        if verbose:
            rows = ", ".join(
                f"{count:,} {table.removeprefix('events_')}" for table, count in report.rows.items()
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Generated {rows} and {report.history_rows:,} history rows in {report.seconds:.1f} s."
                )
            )
