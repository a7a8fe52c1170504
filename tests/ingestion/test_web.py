"""Articles from web pages, links and RSS/Atom feeds, served by a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from events.models import Event, Source
from ingestion import tasks
from ingestion.models import Feed, FeedItem
from ingestion.services import web
from ingestion.services.articles import ArticleRefused
from ingestion.services.feeds import feed_poll, feeds_due
from ingestion.services.ingest import ingest_article
from ingestion.services.web import article_input_from_url, fetch
from tests.factories import ActorAliasFactory, ActorFactory

CHINESE_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>国务院总理李强出席世界人工智能大会开幕式并致辞_新华网</title>
<meta property="og:title" content="国务院总理李强出席世界人工智能大会开幕式并致辞">
<meta property="og:site_name" content="新华网">
<meta property="article:published_time" content="2025-07-26T10:00:00+08:00">
</head><body>
<nav><ul><li>• 欢迎来到质量网</li><li><a href="/">首页</a></li><li><a href="/news">新闻</a></li></ul></nav>
<article><h1>国务院总理李强出席世界人工智能大会开幕式并致辞</h1>
<p>新华社上海7月26日电 国务院总理李强7月26日在上海出席2025世界人工智能大会开幕式并致辞，
阐述中方关于人工智能发展和治理的主张。</p>
<p>李强表示，人工智能是人类共同的财富，各国应加强合作，推动人工智能更好造福人类。中方愿同各方一道，推动全球人工智能治理体系建设。</p>
<p>大会由外交部、国家发展改革委等部门和上海市政府共同主办，来自多个国家和地区的代表出席会议。</p>
</article>
<aside><h3>相关阅读</h3><ul><li>2025-07-25 另一条新闻的标题在这里</li></ul></aside>
<footer>版权所有 © 新华网</footer></body></html>"""

ENGLISH_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>UN adopts first global resolution on AI | World News</title>
<meta property="og:title" content="UN adopts first global resolution on AI">
</head><body><div class="menu">Home | World | Business | Sign in</div>
<main><h1>UN adopts first global resolution on AI</h1>
<p>The UN General Assembly adopted a resolution on artificial intelligence on March 21, 2024,
calling for safe, secure and trustworthy systems that respect human rights.</p>
<p>The resolution was backed by more than 120 member states and is not legally binding, diplomats said.</p>
</main></body></html>"""

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test wire</title><link>{base}/</link><description>d</description>
<item><title>UN adopts first global resolution on AI</title><link>{base}/en.html</link><guid>en-1</guid>
<pubDate>Fri, 22 Mar 2024 09:00:00 GMT</pubDate></item>
<item><title>李强出席世界人工智能大会</title><link>{base}/zh.html</link><guid>zh-1</guid>
<pubDate>Sat, 26 Jul 2025 09:00:00 GMT</pubDate></item>
</channel></rss>"""

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title><item><link>http://x/</link></item></channel></rss>"""


class Handler(BaseHTTPRequestHandler):
    """Serves the pages and feeds above, and the failures a fetch must survive."""

    def do_GET(self) -> None:
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        routes: dict[str, tuple[int, str, bytes]] = {
            "/zh.html": (200, "text/html; charset=utf-8", CHINESE_PAGE.encode()),
            "/en.html": (200, "text/html; charset=utf-8", ENGLISH_PAGE.encode()),
            "/feed.xml": (200, "application/rss+xml", FEED.format(base=base).encode()),
            "/bomb.xml": (200, "application/rss+xml", BOMB.encode()),
            "/broken.xml": (200, "application/rss+xml", b"<rss><channel><item>unclosed"),
            "/error": (500, "text/plain", b"boom"),
            "/big": (200, "text/html", b"<p>" + b"x" * (2 * 1024 * 1024) + b"</p>"),
            "/binary": (200, "application/octet-stream", b"\x00\x01\x02" * 100),
        }
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/to-internal":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:9/secret")
            self.end_headers()
            return
        if self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        status, kind, body = routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server(settings: Any) -> Iterator[str]:
    """A local web server, the one internal address ingestion may fetch from in these tests."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    port = httpd.server_address[1]
    settings.INGEST_FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{port}"]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def xinhua(db: Any) -> Any:
    actor = ActorFactory(slug="xinhua", kind="media_outlet", name_en="Xinhua News Agency", name_zh="新华社")
    ActorAliasFactory(actor=actor, name="新华网", language="zh", script="Hans")
    return actor


# --- Pages and links ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_link_gives_a_source_with_its_headline_publisher_date_and_url(
    server: str, xinhua: Any, ingester: Any
) -> None:
    report = ingest_article(article=article_input_from_url(f"{server}/zh.html"), user=ingester)

    source = Source.objects.get(pk=report.source["id"])
    assert source.title == "国务院总理李强出席世界人工智能大会开幕式并致辞"  # not "• 欢迎来到质量网"
    assert (source.publisher, source.published, source.url) == (xinhua, "2025-07-26", f"{server}/zh.html")
    assert "欢迎来到质量网" not in source.text and "相关阅读" not in source.text
    assert [draft.date for draft in report.drafts] == ["2025-07-26"]


@pytest.mark.django_db
def test_the_ingest_command_takes_links_and_saved_pages(server: str, ingester: Any, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(ENGLISH_PAGE, encoding="utf-8")
    out = StringIO()

    call_command("ingest", f"{server}/zh.html", str(page), "--published", "2025-07-26", stdout=out)

    titles = set(Source.objects.values_list("title", flat=True))
    assert titles == {
        "国务院总理李强出席世界人工智能大会开幕式并致辞",
        "UN adopts first global resolution on AI",
    }


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/slow", "did not answer within 1 s"),
        ("/error", "answered HTTP 500"),
        ("/big", "a page may have at most"),
        ("/to-internal", "internal address"),
        ("/to-file", "only http and https"),
    ],
)
def test_a_fetch_that_cannot_give_a_page_is_refused_with_the_reason(
    server: str, monkeypatch: Any, path: str, expected: str
) -> None:
    monkeypatch.setattr(web, "TIMEOUT_SECONDS", 1.0)
    monkeypatch.setattr(web, "MAX_PAGE_BYTES", 1024 * 1024)

    with pytest.raises(ArticleRefused, match=expected):
        fetch(f"{server}{path}")


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.org/a", "http://127.0.0.1:9/", "http://10.1.2.3/", "http://[::1]/"],
)
def test_other_schemes_and_internal_addresses_are_refused_without_a_connection(url: str) -> None:
    with pytest.raises(ArticleRefused, match=r"only http and https|internal address"):
        fetch(url)


@pytest.mark.django_db
def test_a_bad_page_writes_nothing(server: str, ingester: Any, monkeypatch: Any) -> None:
    for path in ("/error", "/binary"):
        with pytest.raises(ArticleRefused):
            ingest_article(article=article_input_from_url(f"{server}{path}"), user=ingester)
    with pytest.raises(CommandError, match="1 of 1 file"):
        call_command("ingest", f"{server}/error", stdout=StringIO(), stderr=StringIO())
    assert (Source.objects.count(), Event.objects.count()) == (0, 0)


# --- Feeds -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_feed_poll_ingests_each_item_once(server: str, xinhua: Any) -> None:
    feed = Feed.objects.create(url=f"{server}/feed.xml", poll_every_minutes=30)

    first = feed_poll(feed=feed)
    second = feed_poll(feed=feed)

    assert len(first.ingested) == 2 and first.failed == []
    assert (len(second.ingested), second.already) == (0, 2)
    assert FeedItem.objects.filter(feed=feed).count() == 2 and Source.objects.count() == 2
    assert set(Source.objects.values_list("url", flat=True)) == {f"{server}/en.html", f"{server}/zh.html"}
    feed.refresh_from_db()
    assert feed.last_polled_at is not None and feed.last_error == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "expected"), [("/bomb.xml", "entities or a DTD"), ("/broken.xml", "not a well")]
)
def test_a_hostile_or_malformed_feed_is_refused_and_nothing_ingested(
    server: str, path: str, expected: str
) -> None:
    feed = Feed.objects.create(url=f"{server}{path}")

    report = feed_poll(feed=feed)

    feed.refresh_from_db()
    assert report.ingested == [] and expected in feed.last_error
    assert Source.objects.count() == 0


@pytest.mark.django_db
def test_beat_polls_only_the_feeds_whose_interval_has_passed(server: str, xinhua: Any) -> None:
    due = Feed.objects.create(url=f"{server}/feed.xml", poll_every_minutes=30)
    feed_poll(feed=due)
    assert list(feeds_due()) == []
    Feed.objects.filter(pk=due.pk).update(last_polled_at=due.last_polled_at - dt.timedelta(hours=1))
    idle = Feed.objects.create(url=f"{server}/en.html", active=False)

    polled = tasks.poll_due_feeds_task.delay().get()

    assert polled == [due.pk] and idle.pk not in polled
    assert FeedItem.objects.count() == 2  # the second poll found both items ingested already
