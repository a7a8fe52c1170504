"""Celery tasks: one article per task, so that a batch is shared by every worker reading the broker.

With no broker configured (``CELERY_BROKER_URL`` unset) the tasks run eagerly in the calling process.
A task is retried when the database or the broker hiccups; a retry is safe because ingestion is
idempotent (the same article is one source, and its findings are keyed by sentence and date).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import DatabaseError

from ingestion.models import Feed
from ingestion.services.articles import ArticleBusy, ArticleInput, ArticleRefused
from ingestion.services.feeds import feed_poll, feeds_due
from ingestion.services.ingest import ingest_article

# How long a batch waits for any one article's result from the workers.
RESULT_TIMEOUT_SECONDS = 600


@shared_task(
    bind=True,
    name="ingestion.ingest_article",
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=5,
)
def ingest_article_task(
    self: Any, *, article: dict[str, Any], user_id: int | None, dry_run: bool = False
) -> dict:
    """Ingest one article; the answer is the report, or ``{"refused": message}`` for bad input."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id is not None else None
    try:
        report = ingest_article(article=ArticleInput(**article), user=user, dry_run=dry_run)
    except ArticleBusy as error:
        if not self.request.is_eager:
            # Another worker has this article: come back when it is done, and find nothing left to do.
            raise self.retry(exc=error, countdown=10) from error
        return {"name": article.get("name", ""), "refused": str(error), "field": error.field}
    except ArticleRefused as error:
        return {"name": article.get("name", ""), "refused": str(error), "field": error.field}
    return report.as_dict()


def ingest_batch(
    *, articles: Iterable[ArticleInput], user: Any, dry_run: bool = False
) -> Iterator[dict[str, Any]]:
    """Queue every article as a task and yield each one's report in order.

    With a broker, all tasks are queued first, so that every worker takes a share; in-process, each
    runs as it is reached, so a progress bar moves with the work.
    """
    user_id = getattr(user, "pk", None)

    def submit(article: ArticleInput) -> Any:
        return ingest_article_task.apply_async(
            kwargs={"article": asdict(article), "user_id": user_id, "dry_run": dry_run}
        )

    if ingest_article_task.app.conf.task_always_eager:
        # In-process, Celery's log line per finished task (the whole report) would only repeat the output.
        trace_log = logging.getLogger("celery.app.trace")
        level = trace_log.level
        trace_log.setLevel(logging.WARNING)
        try:
            for article in articles:
                yield submit(article).get()
        finally:
            trace_log.setLevel(level)
        return
    results = [submit(article) for article in articles]
    for result in results:
        yield result.get(timeout=RESULT_TIMEOUT_SECONDS, disable_sync_subtasks=False)


@shared_task(name="ingestion.poll_due_feeds")
def poll_due_feeds_task() -> list[int]:
    """Run by Celery beat every minute: queue a poll of each feed whose own interval has passed."""
    due = list(feeds_due().values_list("pk", flat=True))
    for feed_id in due:
        poll_feed_task.delay(feed_id)
    return due


@shared_task(
    name="ingestion.poll_feed",
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=5,
)
def poll_feed_task(feed_id: int) -> dict[str, Any]:
    """Poll one feed; its new items are ingested once (a retry finds them recorded)."""
    feed = Feed.objects.filter(pk=feed_id, active=True).select_related("publisher").first()
    if feed is None:
        return {"feed": feed_id, "skipped": "no such active feed"}
    return asdict(feed_poll(feed=feed))
