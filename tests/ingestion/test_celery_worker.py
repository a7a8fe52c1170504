"""A batch through a real Celery worker and a real Redis broker: the path taken when CELERY_BROKER_URL is set.

Needs a Redis server: ``CELERY_TEST_BROKER_URL=redis://127.0.0.1:PORT/0`` (``.ci/run`` starts one of its
own). Without it the test is skipped, except under CI (``CI`` set), where a missing broker is a failure.
The worker is Celery's embedded test worker (``celery.contrib.testing.worker.start_worker``): a real
consumer of the broker in a thread of this process, so it shares the test database.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.management import call_command

from events.models import Event, Source
from ingestion.models import Feed, FeedItem, IngestRun
from ingestion.services.articles import ArticleInput
from ingestion.tasks import ingest_article_task, ingest_batch, poll_due_feeds_task, poll_feed_task
from tests.ingestion.conftest import PUBLISHED, SEED_TEXTS, seed_text
from tests.ingestion.test_web import server  # noqa: F401 (the local web server fixture)
from timeline.celery import app

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "")

pytestmark = [
    pytest.mark.skipif(
        not BROKER and not os.environ.get("CI"),
        reason="no CELERY_TEST_BROKER_URL: set it to a Redis URL to run a batch through a real worker",
    ),
    pytest.mark.django_db(transaction=True),  # the worker's thread reads what this one commits
    # Celery's Redis result backend still calls redis-py's setex; not this project's to fix.
    pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning"),
]


@pytest.fixture
def worker(seed_actors_only: None) -> Iterator[Any]:
    if not BROKER:
        pytest.fail(
            "CI is set but CELERY_TEST_BROKER_URL is not: .ci/run must start a Redis server for this test."
        )
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    configure(broker_url=BROKER, result_backend=BROKER, task_always_eager=False)
    try:
        with start_worker(
            app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=60
        ) as running:
            yield running
    finally:
        configure(**saved)


def configure(**settings: Any) -> None:
    """Point the app at another broker. Celery caches its connection and producer pools and, per thread,
    its result backend, all made from the settings of their first use (eager tasks in earlier tests use
    them too): drop them, so that they are made again from these settings."""
    app.conf.update(settings)
    app._pool = None  # kombu keeps the pools themselves, per URL, for the next time that URL is used
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None
    app._local.__dict__.pop("backend", None)


def test_a_batch_of_files_runs_on_the_worker(worker: Any, ingester: Any) -> None:
    names = ["001_c7f698a66cb334f9", "003_7f44d65a6cc781ab"]
    out = StringIO()

    call_command(
        "ingest",
        *(str(SEED_TEXTS / f"{name}.txt") for name in names),
        "--user",
        ingester.username,
        stdout=out,
    )

    assert out.getvalue().count(": ingested, source #") == 2
    assert Source.objects.count() == 2
    assert set(Event.objects.values_list("date", flat=True)) >= {"2023-10", "2025-07-23", "2025-07-27"}
    runs = IngestRun.objects.all()
    assert [run.status for run in runs] == [IngestRun.Status.SUCCEEDED] * 2
    assert all(run.user == ingester for run in runs)


def test_the_same_article_queued_twice_is_ingested_once(worker: Any, ingester: Any) -> None:
    name = "003_7f44d65a6cc781ab"
    article = ArticleInput(text=seed_text(name), name=name, published=PUBLISHED[name])

    reports = list(ingest_batch(articles=[article, article], user=ingester))

    assert [report["status"] for report in reports] == ["ingested", "unchanged"]
    assert Source.objects.count() == 1
    assert Event.objects.count() == len(reports[0]["drafts"])
    assert not ingest_article_task.app.conf.task_always_eager  # it went through the broker


def test_beat_s_feed_poll_runs_on_the_worker_and_ingests_each_item_once(
    worker: Any,
    server: str,  # noqa: F811 (the fixture imported above)
) -> None:
    feed = Feed.objects.create(url=f"{server}/feed.xml", poll_every_minutes=30)

    polled = poll_due_feeds_task.apply_async().get(timeout=120)  # what `celery beat` queues every minute
    for _ in range(120):  # the poll it queued in turn runs on the worker
        if FeedItem.objects.filter(feed=feed).count() == 2:
            break
        time.sleep(0.5)
    again = poll_feed_task.apply_async(args=[feed.pk]).get(timeout=120)

    assert polled == [feed.pk]
    assert FeedItem.objects.filter(feed=feed).count() == 2 and Source.objects.count() == 2
    assert (again["ingested"], again["already"]) == ([], 2)
