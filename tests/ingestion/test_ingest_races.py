"""Ingestion under pressure: copies of one article sent at once, a run whose process died, and a long
line with many dates."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from events.models import Event, Source
from ingestion.models import IngestRun
from ingestion.services.articles import ArticleBusy, ArticleInput
from ingestion.services.ingest import ABANDONED_AFTER, ingest_article
from tests.factories import curator
from tests.ingestion.conftest import PUBLISHED, another_run_ingesting, seed_text

NAME = "001_c7f698a66cb334f9"
ON_POSTGRESQL = connection.vendor == "postgresql"


def copies_of(text: str) -> list[str]:
    """The same article as four clients send it: trailing spaces, a missing or doubled last line end."""
    lines = text.rstrip("\n").split("\n")
    return [
        text,
        "\n".join(line + "  " for line in lines) + "\n",
        text.rstrip("\n"),
        "\n".join(lines) + "\n\n\n",
    ]


@pytest.mark.django_db
def test_copies_differing_in_trailing_whitespace_are_one_article(seed_actors_only: None) -> None:
    user = curator("ingester")
    reports = [
        ingest_article(article=ArticleInput(text=text, published=PUBLISHED[NAME]), user=user)
        for text in copies_of(seed_text(NAME))
    ]

    assert [report.status for report in reports] == ["ingested", "unchanged", "unchanged", "unchanged"]
    assert Source.objects.count() == 1
    assert Event.objects.count() == len(reports[0].drafts)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite lets one writer in at a time")
@pytest.mark.django_db(transaction=True)
def test_copies_sent_at_once_make_one_source_and_one_set_of_drafts(seed_actors_only: None) -> None:
    user = curator("ingester")
    texts = copies_of(seed_text(NAME))
    start = threading.Barrier(len(texts))
    outcomes: list[Any] = []

    def client(text: str) -> None:
        try:
            start.wait(timeout=30)
            article = ArticleInput(text=text, published=PUBLISHED[NAME])
            outcomes.append(ingest_article(article=article, user=user).status)
        except ArticleBusy:
            outcomes.append("busy")  # a 409: the client tries again later and gets "unchanged"
        except Exception as error:  # any other outcome fails the test below
            outcomes.append(repr(error))
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=client, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(outcomes) and set(outcomes) <= {"ingested", "unchanged", "busy"}, outcomes
    assert outcomes.count("ingested") == 1, outcomes
    assert Source.objects.count() == 1
    drafts = IngestRun.objects.get(status=IngestRun.Status.SUCCEEDED, report__status="ingested").report
    assert Event.objects.count() == len(drafts["drafts"])


@pytest.mark.django_db
def test_a_run_whose_process_died_no_longer_blocks_the_article(seed_actors_only: None) -> None:
    """On PostgreSQL the article's lock ends with the dead run's connection, so the next run takes over at
    once; on SQLite, once ABANDONED_AFTER has passed."""
    user = curator("ingester")
    article = ArticleInput(text=seed_text(NAME), published=PUBLISHED[NAME])
    died = threading.Event()
    with another_run_ingesting(article.text, until=died):
        with pytest.raises(ArticleBusy):
            ingest_article(article=article, user=user)
        died.set()  # its worker is killed: its connection, and what it held, end
    if not ON_POSTGRESQL:
        IngestRun.objects.update(started_at=timezone.now() - ABANDONED_AFTER - timezone.timedelta(minutes=1))

    assert ingest_article(article=article, user=user).status == "ingested"
    assert IngestRun.objects.get(name="another run").status == IngestRun.Status.ABANDONED


def seconds_to_ingest(line_length: int, dates: int = 20) -> float:
    """How long a dry run takes on an article of one line of ``line_length`` characters with ``dates``
    date mentions spread along it, and no full stop."""
    filler = " and the delegates talked at length about many things"
    words = filler * (line_length // dates // len(filler))
    text = "".join(f"On {day % 28 + 1} July 2025{words}, " for day in range(dates)) + "\n"
    article = ArticleInput(text=text, published="2025-07-30")
    started = time.perf_counter()
    report = ingest_article(article=article, user=curator("ingester"), dry_run=True)
    assert report.drafts and all(len(draft.quote) < 1000 for draft in report.drafts)
    return time.perf_counter() - started


@pytest.mark.django_db
def test_a_long_line_with_dates_is_ingested_in_time_linear_in_its_length(seed_actors_only: None) -> None:
    """Each date's sentence was found by walking the line, and the whole line was quoted: a 100 KB line
    took 23 s and a 200 KB one killed the worker. Ten times the length must not cost ten times more
    (the same 20 dates either way: the work per date is the same)."""
    seconds_to_ingest(20_000)  # warm up: compiled patterns, dateparser's locales
    short = min(seconds_to_ingest(20_000) for _ in range(2))
    long = seconds_to_ingest(200_000)

    assert long < 4 * short + 1, f"{short:.2f} s for 20 KB, {long:.2f} s for 200 KB"
