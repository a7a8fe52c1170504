"""Queued ingestion survives a Redis restart: the worker reconnects, every article is ingested once.

A real ``celery -A timeline worker`` (solo pool) reads a redis-server of the test's own, which keeps its
queue in an append-only file (as a broker must: a Redis without persistence loses what was queued).
Articles are queued, Redis is stopped while the worker is at them and started again; the worker
reconnects by itself and finishes the queue. Tasks are acknowledged late, so the one in progress at the
stop may be delivered again: ingestion is idempotent, so no article is stored or drafted twice.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest

from tests.faults.engines import LIFETIME_SECONDS, PROJECT, Redis, database_url, wait_for

pytestmark = [pytest.mark.faults("postgres", "redis"), pytest.mark.django_db(transaction=True)]

ARTICLES = 4


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Redis]:
    from tests.ingestion.test_celery_worker import configure
    from timeline.celery import app

    redis = Redis(tmp_path, persistent=True)
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    configure(broker_url=redis.url, result_backend=redis.url, task_always_eager=False)
    try:
        yield redis
    finally:
        configure(**saved)
        redis.stop()


def start_worker(redis: Redis, tmp: Path) -> subprocess.Popen[bytes]:
    celery = str(Path(sys.executable).with_name("celery"))
    environment = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": redis.url,
        "CELERY_RESULT_BACKEND": redis.url,
    }
    environment.pop("DATABASE_REPLICA_URLS", None)
    command = ["timeout", str(LIFETIME_SECONDS), celery, "-A", "timeline", "worker", "--pool", "solo"]
    command += ["--concurrency", "1", "--loglevel", "INFO", "--without-heartbeat", "--without-gossip"]
    with (tmp / "worker.log").open("wb") as log:
        return subprocess.Popen(command, cwd=PROJECT, env=environment, stdout=log, stderr=log)


def test_queued_ingestion_resumes_after_a_redis_restart_and_ingests_nothing_twice(
    broker: Redis, tmp_path: Path
) -> None:
    from events.models import Event, Source
    from ingestion.services.articles import ArticleInput
    from ingestion.tasks import ingest_article_task
    from tests.factories import curator

    user = curator()
    articles = [
        ArticleInput(
            text=f"GENEVA, 1{n} July 2025 - Council {n} met on 1{n} July 2025 and adopted plan number {n}.\n",
            name=f"article {n}",
            published=f"2025-07-1{n}",
        )
        for n in range(ARTICLES)
    ]
    worker = start_worker(broker, tmp_path)
    try:
        # Each article queued twice: once as a batch would, once more as a retry or a second batch might.
        for article in articles * 2:
            ingest_article_task.apply_async(kwargs={"article": asdict(article), "user_id": user.pk})
        wait_for(lambda: Source.objects.exists(), "the worker to ingest a first article", timeout=60)
        broker.stop()
        done_while_down = Source.objects.count()
        time.sleep(3)
        broker.start()
        restarted = time.monotonic()
        wait_for(lambda: Source.objects.count() == ARTICLES, "every article to be ingested", timeout=90)
        resumed = time.monotonic() - restarted
        time.sleep(2)  # the duplicates, and a redelivered task, find their work done
    finally:
        worker.terminate()
        worker.wait(30)
    log = (tmp_path / "worker.log").read_text(errors="replace")

    print(
        f"\nRedis stopped after {done_while_down} of {ARTICLES} articles; "
        f"all ingested {resumed:.1f} s after it was back"
    )
    assert "Connection to broker lost" in log or "Cannot connect to redis" in log, log[-2000:]
    assert Source.objects.count() == ARTICLES
    drafts = list(Event.objects.values_list("date", "summary_en"))
    assert len(drafts) == len(set(drafts)) == ARTICLES, drafts
