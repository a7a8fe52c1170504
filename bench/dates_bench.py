"""Date extraction throughput: documents per second of ``extract_dates`` in one process, on the seed texts.

Reads every ``*.txt`` in the seed folder (``../shared/seeds`` by default) with its anchor from the eval
manifest, runs the extractor over all of them a few times after one warm-up pass, and prints documents
and characters per second. The command-line figure differs by Django's start-up (about a second per
call); ingestion calls the function in-process, as here. Nothing is written; the script stops by itself.

    .venv/bin/python bench/dates_bench.py [--seeds DIR] [--manifest FILE] [--rounds N]
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
    from ingestion.dates import extract_dates

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
    started = time.perf_counter()
    for _ in range(args.rounds):
        for text, anchor in documents:
            extract_dates(text, published=anchor)
    elapsed = time.perf_counter() - started
    count = args.rounds * len(documents)
    characters = args.rounds * sum(len(text) for text, _ in documents)
    print(f"{count} documents in {elapsed:.2f} s: {count / elapsed:.0f} documents/s, "
          f"{characters / elapsed / 1000:.0f}k characters/s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
