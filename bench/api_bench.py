"""API benchmarks: latency (median, p95), SQL queries and memory per request on a synthetic record.

Builds a synthetic record (10,000 events by default, with actors and aliases, sources, citations, tags,
locations, relations, and their history rows) in a **throwaway** database, then requests the API
in-process through Django's test client, a bounded number of times per request type, and prints a
Markdown table. Nothing listens on a port; the script stops by itself.

    .venv/bin/python bench/api_bench.py                       # SQLite (a temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/timeline_bench .venv/bin/python bench/api_bench.py

With ``DATABASE_URL`` set, the database used is Django's test database for it (``test_<name>``),
created for the run and dropped afterwards: the named database itself is never touched. Latencies are
wall-clock times of the whole Django request cycle (middleware, query, serialization, rendering),
without network. Query counts and the peak Python allocation of one request are taken on a separate,
untimed request of each kind (tracing memory slows Python down).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent

TOPICS_EN = [
    "summit",
    "dialogue",
    "forum",
    "initiative",
    "agreement",
    "conference",
    "report",
    "visit",
    "plan",
]
TOPICS_ZH = ["峰会", "对话", "论坛", "倡议", "协议", "会议", "报告", "访问", "计划"]
FIELDS_EN = ["artificial intelligence", "trade", "climate", "security", "health", "energy", "data"]
FIELDS_ZH = ["人工智能", "贸易", "气候", "安全", "卫生", "能源", "数据"]


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--events", type=int, default=10_000, help="How many events to build (default 10000)."
    )
    parser.add_argument("--requests", type=int, default=30, help="Timed requests per kind (default 30).")
    arguments = parser.parse_args()
    if arguments.events < 100 or arguments.requests < 5:
        parser.error("give at least 100 events and 5 requests per kind")
    return arguments


def configure_django(scratch: Path) -> str:
    """Set Django up on a throwaway test database; returns the original database name to restore."""
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # only for the development secret key; DEBUG is off below
    os.environ["CHANGE_FEED_SETTLE_SECONDS"] = "0"  # the record is built before anything is read
    # Thousands of anonymous requests from one address: measure the API, not its throttle (429s).
    os.environ.setdefault("API_ANON_THROTTLE_RATE", "100000000/minute")
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: static files are not collected
    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        database["TEST"]["NAME"] = str(scratch / "bench.sqlite3")  # a file, as deployed; not in memory
    original_name = database["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return original_name


# --- The synthetic record --------------------------------------------------------------------------


def build_record(event_count: int, rng: random.Random) -> dict[str, Any]:
    """Bulk-create the record with its history rows (as a load would) and return what requests need."""
    from simple_history.utils import bulk_create_with_history

    from events.models import (
        Actor,
        ActorAlias,
        Citation,
        Event,
        EventRelation,
        Location,
        Participation,
        Source,
        Tag,
        text_checksum,
    )

    def create(model: Any, objects: list[Any]) -> list[Any]:
        return bulk_create_with_history(objects, model, batch_size=2000)

    tags = create(Tag, [Tag(slug=f"tag-{n}", name_en=f"Tag {n}", name_zh=f"标签{n}") for n in range(60)])
    locations = create(
        Location, [Location(slug=f"place-{n}", name_en=f"Place {n}", name_zh=f"地点{n}") for n in range(120)]
    )
    kinds = [kind for kind, _label in Actor.Kind.choices]
    actors = create(
        Actor,
        [
            Actor(
                slug=f"actor-{n}",
                kind=Actor.Kind.MEDIA_OUTLET if n % 10 == 0 else rng.choice(kinds),
                name_en=f"Actor {n}",
                name_zh=f"人物{n}",
            )
            for n in range(800)
        ],
    )
    create(
        ActorAlias,
        [
            ActorAlias(actor=actor, name=name, language=language, script=script)
            for actor in actors
            for name, language, script in [
                (f"A. {actor.name_en}", "en", "Latn"),
                (f"{actor.name_zh}先生", "zh", "Hant"),
            ]
        ],
    )
    outlets = [actor for actor in actors if actor.kind == Actor.Kind.MEDIA_OUTLET]
    sources = []
    for n in range(3000):
        text = f"Report {n}: the {rng.choice(TOPICS_EN)} on {rng.choice(FIELDS_EN)} was held as planned."
        source = Source(
            slug=f"source-{n}",
            title=f"Report {n}",
            publisher=rng.choice(outlets),
            url=f"https://news.example.org/articles/{n}",
            published=f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            language=Source.Language.EN,
            text=text,
            checksum=text_checksum(text),
        )
        source.sync_partial_date_columns("published")
        sources.append(source)
    sources = create(Source, sources)

    events = []
    for n in range(event_count):
        year, month, day = rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 26)
        shape = rng.random()
        if shape < 0.2:
            date = f"{year}"
        elif shape < 0.5:
            date = f"{year}-{month:02d}"
        elif shape < 0.55:
            date = f"{year}-{month:02d}-{day:02d}/{year}-{month:02d}-{day + 2:02d}"
        else:
            date = f"{year}-{month:02d}-{day:02d}"
        topic = rng.randrange(len(TOPICS_EN))
        field = rng.randrange(len(FIELDS_EN))
        event = Event(
            slug=f"event-{n}",
            title_en=f"{FIELDS_EN[field].capitalize()} {TOPICS_EN[topic]} {n}",
            title_zh=f"{FIELDS_ZH[field]}{TOPICS_ZH[topic]}{n}",
            summary_en=f"Delegations met for the {TOPICS_EN[topic]} on {FIELDS_EN[field]}.",
            summary_zh=f"各方代表出席{FIELDS_ZH[field]}{TOPICS_ZH[topic]}。",
            type=rng.choice([kind for kind, _label in Event.Type.choices]),
            status=Event.Status.DRAFT if rng.random() < 0.1 else Event.Status.PUBLISHED,
            date=date,
            location=rng.choice(locations) if rng.random() < 0.7 else None,
        )
        event.sync_partial_date_columns("date")
        events.append(event)
    events = create(Event, events)

    # Actors' popularity is skewed, as in a real record: a few take part in thousands of events.
    weights = [1 / (rank + 1) for rank in range(len(actors))]
    participations, seen = [], set()
    for event in events:
        for actor in rng.choices(actors, weights=weights, k=rng.randint(1, 3)):
            if (event.id, actor.id) not in seen:
                seen.add((event.id, actor.id))
                participations.append(
                    Participation(event=event, actor=actor, role=Participation.Role.SPEAKER)
                )
    create(Participation, participations)
    create(
        Citation,
        [
            Citation(event=event, source=source, quote=source.text[:40])
            for event in events
            for source in rng.sample(sources, rng.randint(1, 2))
        ],
    )
    Event.tags.through.objects.bulk_create(
        [
            Event.tags.through(event_id=event.id, tag_id=tag.id)
            for event in events
            for tag in rng.sample(tags, rng.randint(1, 3))
        ],
        batch_size=5000,
    )
    create(
        EventRelation,
        [
            EventRelation(
                from_event=event, relation=EventRelation.Relation.FOLLOWS, to_event=events[index - 1]
            )
            for index, event in enumerate(events)
            if index and rng.random() < 0.2
        ],
    )
    published = [event for event in events if event.status == Event.Status.PUBLISHED]
    return {
        "published_ids": [event.id for event in published],
        "popular_actor": actors[0].slug,
        "typical_actors": [actor.slug for actor in actors[50:150]],
        "rows": {
            "events": len(events),
            "published": len(published),
            "actors": len(actors),
            "sources": len(sources),
            "participations": len(participations),
            "citations": Citation.objects.count(),
        },
    }


# --- Measuring -------------------------------------------------------------------------------------


@dataclass
class Measurement:
    name: str
    median_ms: float
    p95_ms: float
    queries: int
    peak_kib: float
    body_kib: float
    results: str


def measure(
    client: Any, name: str, request: Callable[[int], tuple[str, dict[str, str]]], repeat: int
) -> Measurement:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get(index: int) -> Any:
        url, headers = request(index)
        response = client.get(url, headers=headers)
        assert response.status_code in (200, 304), (url, response.status_code, response.content[:300])
        return response

    for index in range(3):  # warm up: imports, caches, the database's own buffers
        get(index)
    timings = []
    for index in range(repeat):
        started = time.perf_counter()
        response = get(index)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        response = get(repeat)
    queries = len(captured.captured_queries)  # now: the next request clears the connection's log
    tracemalloc.start()
    get(repeat + 1)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    results = ""
    if response.status_code == 200 and response["Content-Type"].startswith("application/json"):
        body = response.json()
        if "count" in body:
            results = f"{len(body['results'])} of {body['count']}"
        elif "results" in body:
            results = f"{len(body['results'])} changes"
        else:
            results = "1 record"
    elif response.status_code == 304:
        results = "304"
    return Measurement(
        name=name,
        median_ms=statistics.median(timings),
        p95_ms=statistics.quantiles(timings, n=20, method="inclusive")[18],
        queries=queries,
        peak_kib=peak / 1024,
        body_kib=len(response.content) / 1024,
        results=results,
    )


def scenarios(record: dict[str, Any], rng: random.Random) -> list[tuple[str, Callable[[int], Any]]]:
    from events.models import Event
    from events.selectors.changes import ChangeCursor

    months = [f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}" for _ in range(100)]
    detail_ids = rng.sample(record["published_ids"], 100)
    history = Event.history.model.objects.order_by("?").values_list("history_date", "history_id")[:100]  # type: ignore[attr-defined]
    cursors = [ChangeCursor(at, 0, history_id).encode() for at, history_id in history]
    typical = record["typical_actors"]
    no_headers: dict[str, str] = {}
    from django.test import Client

    etag = Client().get("/api/v1/events/")["ETag"]

    return [
        ("events: default page (limit 50)", lambda i: ("/api/v1/events/", no_headers)),
        ("events: limit 500", lambda i: ("/api/v1/events/?limit=500", no_headers)),
        (
            "events: one month (date_from/date_to)",
            lambda i: (f"/api/v1/events/?date_from={months[i % 100]}&date_to={months[i % 100]}", no_headers),
        ),
        (
            "events: the most active actor",
            lambda i: (f"/api/v1/events/?actor={record['popular_actor']}", no_headers),
        ),
        (
            "events: typical actor",
            lambda i: (f"/api/v1/events/?actor={typical[i % len(typical)]}", no_headers),
        ),
        ("events: q=summit", lambda i: ("/api/v1/events/?q=summit", no_headers)),
        ("events: q=峰會 (traditional input)", lambda i: ("/api/v1/events/?q=峰會", no_headers)),
        ("events: detail", lambda i: (f"/api/v1/events/{detail_ids[i % 100]}/", no_headers)),
        ("events: default page, If-None-Match → 304", lambda i: ("/api/v1/events/", {"If-None-Match": etag})),
        ("changes: first page (limit 100)", lambda i: ("/api/v1/changes/?limit=100", no_headers)),
        (
            "changes: page from a cursor mid-feed",
            lambda i: (f"/api/v1/changes/?limit=100&since={cursors[i % len(cursors)]}", no_headers),
        ),
        ("actors: default page", lambda i: ("/api/v1/actors/", no_headers)),
    ]


def main() -> None:
    arguments = parse_arguments()
    rng = random.Random(2025)
    with tempfile.TemporaryDirectory(prefix="timeline-bench-") as scratch:
        original_name = configure_django(Path(scratch))
        from django.db import connection
        from django.test import Client

        try:
            started = time.perf_counter()
            record = build_record(arguments.events, rng)
            build_seconds = time.perf_counter() - started
            client = Client()
            measurements = [
                measure(client, name, request, arguments.requests) for name, request in scenarios(record, rng)
            ]
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0)

    vendor = connection.vendor
    server = f" {connection.pg_version // 10000}" if vendor == "postgresql" else ""
    peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = ", ".join(f"{count:,} {name}" for name, count in record["rows"].items())
    print(f"Database: {vendor}{server}; Python {sys.version.split()[0]}; {os.cpu_count()} CPUs")
    print(f"Record: {rows}; built in {build_seconds:.0f} s (with history rows)")
    print(f"{arguments.requests} timed requests of each kind, anonymous, after 3 warm-up requests\n")
    print("| Request | Median | p95 | SQL queries | Peak alloc. | Body | Answer |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for m in measurements:
        print(
            f"| {m.name} | {m.median_ms:.1f} ms | {m.p95_ms:.1f} ms | {m.queries} | "
            f"{m.peak_kib / 1024:.1f} MiB | {m.body_kib:.0f} KiB | {m.results} |"
        )
    print(f"\nPeak resident memory of the whole process (building included): {peak_rss_mib:.0f} MiB")


if __name__ == "__main__":
    main()
