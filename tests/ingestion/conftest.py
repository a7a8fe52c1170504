"""Shared scaffolding for the ingestion tests: the seed texts, records to ingest into, a curator."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from events.models import Event, Source
from ingestion.services.articles import ArticleInput
from ingestion.services.ingest import IngestReport, ingest_article
from tests.factories import curator

SEED_TEXTS = Path(__file__).resolve().parents[2] / "fixtures" / "seed_texts"

# The date each seed text's relative dates are read against (shared/eval/seeds_manifest.json): the page
# or dateline date where the text prints one, else the dispatch's known date.
PUBLISHED = {
    "000_6e67b410ee902a66": "2025-07-26",
    "001_c7f698a66cb334f9": "2024-04-03T10:09",
    "002_e398be88e55bf720": "2025-07-26",
    "003_7f44d65a6cc781ab": "2025-07-28T09:21:07",
    "004_561e28af1e18772b": "2025-09-23",
}


def seed_text(name: str) -> str:
    return (SEED_TEXTS / f"{name}.txt").read_text(encoding="utf-8")


@pytest.fixture
def ingester(db: Any) -> Any:
    return curator("ingester")


@pytest.fixture
def seeded_record(db: Any) -> None:
    """The seed dataset, as `make run` loads it."""
    call_command("load_seed", verbosity=0)


@pytest.fixture
def seed_actors_only(seeded_record: None) -> None:
    """A record with the seed dataset's actors and aliases but no events and no sources."""
    Event.objects.all().delete()
    Source.objects.all().delete()


@pytest.fixture
def ingest_seed(ingester: Any) -> Callable[..., IngestReport]:
    """Ingest one seed text as the curator, with its publication date."""

    def ingest(name: str, **options: Any) -> IngestReport:
        article = ArticleInput(text=seed_text(name), name=name, published=PUBLISHED[name])
        return ingest_article(article=article, user=options.pop("user", ingester), **options)

    return ingest


@contextmanager
def another_run_ingesting(text: str, *, until: threading.Event | None = None) -> Iterator[None]:
    """Another run at work on ``text`` meanwhile: its row marked running, and on PostgreSQL the article's
    lock held by another connection (a thread's) until ``until`` is set or the block ends."""
    from django.db import connection

    from ingestion.models import IngestRun
    from ingestion.services.ingest import _advisory_key, article_key

    IngestRun.objects.create(key=article_key(text), name="another run")
    if connection.vendor != "postgresql":
        yield
        return
    locked, release = threading.Event(), until or threading.Event()

    def hold_the_lock() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [_advisory_key(article_key(text))])
                locked.set()
                release.wait(timeout=60)
        finally:
            connection.close()  # the thread's own connection: the lock goes with it, as on a crash

    thread = threading.Thread(target=hold_the_lock)
    thread.start()
    assert locked.wait(timeout=30)
    try:
        yield
    finally:
        release.set()
        thread.join(timeout=30)
        gone_with_its_connection()


def gone_with_its_connection(timeout: float = 10) -> None:
    """Wait until the server has ended the other connection's session and so released its lock: the
    client's close returns before the server's backend has exited (a few milliseconds, longer on a
    loaded machine, where a test that went on at once saw the article still busy)."""
    from django.db import connection

    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND pid <> pg_backend_pid() "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.02)
    raise AssertionError(f"the other connection's advisory lock was still held after {timeout:g} s")
