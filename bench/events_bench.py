"""Event extraction throughput: articles per second of ``extract_events`` in one process, on the seed texts.

Like ``bench/dates_bench.py``, but each date also gets its sentence, headline, type and actors, matched
against the actors of the configured database (read once, as ingestion does per article; nothing is
written). Prints articles and characters per second, and the actor count it matched against.

    DATABASE_URL=sqlite:///seeded.sqlite3 .venv/bin/python bench/events_bench.py [--rounds N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument(
        "--manifest", type=Path, default=ROOT.parent / "shared" / "eval" / "seeds_manifest.json"
    )
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    if not args.seeds.is_dir() or not args.manifest.is_file():
        print(f"No seed texts or manifest at {args.seeds} / {args.manifest}.", file=sys.stderr)
        return 2

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    import django

    django.setup()
    from ingestion.matching import ActorIndex
    from ingestion.services.ingest import extract_events

    try:
        index = ActorIndex.from_record()
        names = len(index.names)
    except Exception as error:  # no database: measure with no actors rather than fail
        print(f"No actors read ({error}); measuring without any.", file=sys.stderr)
        index, names = ActorIndex([]), 0

    def extract_dates(text: str, published: object) -> object:
        return extract_events(text, published=published, actors=index)  # type: ignore[arg-type]

    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    documents = []
    for name, entry in sorted(manifest.items()):
        text = (args.seeds / name).read_text(encoding="utf-8")
        published = entry["published"]
        anchor = (
            dt.datetime.fromisoformat(published) if "T" in published else dt.date.fromisoformat(published)
        )
        documents.append((text, anchor))

    for text, anchor in documents:  # warm-up: compiled patterns, OpenCC, dateparser's language data
        extract_dates(text, published=anchor)
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(args.rounds):
        for text, anchor in documents:
            extract_dates(text, published=anchor)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    count = args.rounds * len(documents)
    characters = args.rounds * sum(len(text) for text, _ in documents)
    print(f"{count} articles in {elapsed:.2f} s: {count / elapsed:.0f} articles/s, "
          f"{characters / elapsed / 1000:.0f}k characters/s, against {names} actor names; "
          f"{count / cpu:.0f} articles per CPU-second (one core, whatever else runs)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
