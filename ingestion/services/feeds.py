"""Polling RSS and Atom feeds: each new item's page is fetched, ingested and recorded, never to come again.

A feed is fetched like any page (:func:`ingestion.services.web.fetch`: timeout, size cap, public
addresses only). Its XML is first read by defusedxml, which refuses entity expansion and external
references (the "billion laughs" and XXE attacks), and only then parsed by feedparser. Items are
ingested oldest first; an item is recorded (:class:`~ingestion.models.FeedItem`, unique per feed and
guid) only once its article is in, so a page that failed is tried again at the next poll, and two
pollers racing on one feed give one source (ingestion finds the article again by its URL).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

import feedparser
from defusedxml import ElementTree as DefusedElementTree
from defusedxml.common import DefusedXmlException
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from ingestion.models import Feed, FeedItem
from ingestion.services.articles import ArticleRefused
from ingestion.services.ingest import ingest_article
from ingestion.services.web import article_input_from_url, fetch

# A feed lists a few dozen items; a poll ingests at most this many new ones, the rest wait for the next.
MAX_ITEMS_PER_POLL = 50


@dataclass(frozen=True)
class FeedEntry:
    guid: str
    link: str
    title: str
    published: str  # ISO date or ""


@dataclass
class FeedPollReport:
    feed: int
    items: int = 0
    ingested: list[dict[str, Any]] = field(default_factory=list)
    already: int = 0
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0


def feed_entries(data: bytes, url: str, feed: Feed | None = None) -> list[FeedEntry]:
    """The items of an RSS or Atom document, oldest first, or :class:`ArticleRefused` saying why not; a
    ``feed`` with no title takes the document's."""
    try:
        DefusedElementTree.fromstring(data)
    except DefusedXmlException as error:
        raise ArticleRefused(
            f"{url}: the feed uses XML entities or a DTD, which are refused ({error})."
        ) from error
    except DefusedElementTree.ParseError as error:
        raise ArticleRefused(f"{url} is not a well-formed RSS or Atom feed ({error}).") from error
    parsed = feedparser.parse(data)
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        raise ArticleRefused(f"{url} is not an RSS or Atom feed.")
    if feed is not None and not feed.title and parsed.feed.get("title"):
        feed.title = str(parsed.feed["title"])[:300]
    entries = []
    for entry in parsed.entries:
        link = entry.get("link", "")
        guid = entry.get("id") or link
        if not guid or not link:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday).isoformat() if stamp else ""
        entries.append(
            FeedEntry(guid=guid[:1000], link=link, title=entry.get("title", ""), published=published)
        )
    return list(reversed(entries)) if _newest_first(entries) else entries


def _newest_first(entries: list[FeedEntry]) -> bool:
    dated = [entry.published for entry in entries if entry.published]
    return len(dated) >= 2 and dated[0] > dated[-1]


def feeds_due(now: dt.datetime | None = None) -> QuerySet[Feed]:
    """Active feeds never polled, or polled longer ago than their own interval."""
    now = now or timezone.now()
    overdue = Q(last_polled_at__isnull=True)
    for minutes in Feed.objects.filter(active=True).values_list("poll_every_minutes", flat=True).distinct():
        overdue |= Q(poll_every_minutes=minutes, last_polled_at__lte=now - dt.timedelta(minutes=minutes))
    return (
        Feed.objects.filter(active=True).filter(overdue).order_by(F("last_polled_at").asc(nulls_first=True))
    )


def feed_poll(*, feed: Feed, user: Any = None) -> FeedPollReport:
    """Read the feed and ingest each item not ingested before; the feed keeps the time and any error."""
    started = time.monotonic()
    report = FeedPollReport(feed=feed.pk)
    errors: list[str] = []
    try:
        page = fetch(feed.url)
        entries = feed_entries(page.body, feed.url, feed)
    except ArticleRefused as error:
        errors.append(str(error))
        entries = []
    report.items = len(entries)
    known = set(
        FeedItem.objects.filter(feed=feed, guid__in=[e.guid for e in entries]).values_list("guid", flat=True)
    )
    fresh = [entry for entry in entries if entry.guid not in known]
    report.already = len(entries) - len(fresh)
    for entry in fresh[:MAX_ITEMS_PER_POLL]:
        try:
            _ingest_entry(feed, entry, user, report)
        except ArticleRefused as error:
            report.failed.append(f"{entry.link}: {error}")
    errors.extend(report.failed)
    feed.last_polled_at = timezone.now()
    feed.last_error = "\n".join(errors)[:5000]
    feed.save(update_fields=["title", "last_polled_at", "last_error"])
    report.seconds = round(time.monotonic() - started, 3)
    return report


def _ingest_entry(feed: Feed, entry: FeedEntry, user: Any, report: FeedPollReport) -> None:
    options = {"language": feed.language, "title": entry.title, "published": entry.published}
    if feed.publisher is not None:
        options["publisher"] = feed.publisher.slug
    article = article_input_from_url(entry.link, **options)
    result = ingest_article(article=article, user=user)
    try:
        with transaction.atomic():
            FeedItem.objects.create(
                feed=feed, guid=entry.guid, url=article.url or entry.link, source_id=result.source.get("id")
            )
    except IntegrityError:
        report.already += 1  # another poller recorded it meanwhile; the article is one source all the same
        return
    report.ingested.append(
        {"link": entry.link, "source": result.source.get("id"), "drafts": len(result.drafts)}
    )
