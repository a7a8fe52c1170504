"""Feed and page benchmarks: time and peak memory of each feed, and the timeline page's first render.

For each record size (1,000 and 10,000 events by default) the script fills a **throwaway** database
with ``manage.py generate_events`` (then publishes every dated event, so the feeds serve them all),
then:

* requests every feed in-process through Django's test client (reading streamed bodies to the end),
  with the API's cache off, interleaved with the feed's **limit** on PostgreSQL (bench/feeds_limit.py:
  one SQL statement building the fields the format shows, through the same pure renderer; its parsed
  output is checked equal to the feed's first): the median wall-clock time of each, their ratio, and
  the peak Python allocation of one separate, untimed feed request, its body read and dropped chunk by
  chunk (tracemalloc slows Python down);
* the same feeds answered from the anonymous cache (median of the requests after the one filling it),
  and the vis feed for about 5,000 events (the latest ones: the page's wait);
* serves the project on a live-server thread on 127.0.0.1 (a free port, stopped at the end) and opens
  the timeline page in headless Debian Chromium, timing navigation start → the page's
  ``timeline-ready`` mark (API and feed requests, vis-timeline's first draw), for the whole record
  and for a ``date_from`` that keeps about 5,000 events.

    .venv/bin/python bench/feeds_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/timeline_bench .venv/bin/python bench/feeds_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tl_bench100k .venv/bin/python bench/feeds_bench.py \
        --existing --query "date_from=2022&date_to=2022" --no-page

``--existing`` reads the database DATABASE_URL names as it is (nothing is generated or written) instead
of filling throwaway ones; ``--query`` filters every feed (``date_from`` / ``date_to`` only, which the
limit understands too).

Without /usr/bin/chromium the page timings are skipped, saying so.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

PROJECT = Path(__file__).resolve().parent.parent

FORMATS = ("timelinejs", "vis", "ics", "csv", "ndjson", "jsonld")


@dataclass
class Row:
    """One feed's figures: milliseconds (feed, limit, from the cache), MiB (peak, body), same output."""

    name: str
    feed: float
    limit: float | None
    cached: float
    peak: float
    body: float
    same: bool | None


CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000], help="Record sizes.")
    parser.add_argument("--requests", type=int, default=3, help="Timed requests per feed (default 3).")
    parser.add_argument(
        "--existing", action="store_true", help="Read the configured database as it is (no generation)."
    )
    parser.add_argument("--query", default="", help="date_from / date_to applied to every feed.")
    parser.add_argument("--no-page", action="store_true", help="Skip the timeline page in Chromium.")
    return parser.parse_args()


def configure_django(scratch: Path, *, existing: bool = False) -> str:
    """Set Django up on a throwaway test database (or the configured one, ``existing``); returns the
    original database name to restore."""
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # only for the development secret key; DEBUG is off below
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
    if not existing:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return original_name


def build_record(size: int) -> None:
    """``generate_events`` with every dated event published."""
    from django.core.management import call_command

    from events.models import Event

    call_command("generate_events", events=size, seed=1, verbosity=0)
    Event.objects.filter(date_start__isnull=False).update(status=Event.Status.PUBLISHED)


def latest_5000() -> str:
    """A date_from keeping about 5,000 published events (the latest)."""
    from events.models import Event

    starts = Event.objects.filter(status=Event.Status.PUBLISHED).order_by("-date_end").values_list("date_end")
    return starts[min(4_999, starts.count() - 1)][0].isoformat()


def drain(client: Any, url: str) -> int:
    """The body's length, read as a client would, chunk by chunk, without keeping it."""
    response = client.get(url)
    return sum(map(len, response.streaming_content)) if response.streaming else len(response.content)


def read(client: Any, url: str) -> tuple[int, bytes]:
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def limit_connection() -> Any:
    """A bare psycopg2 connection to the database Django uses, or None off PostgreSQL."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    import psycopg2

    database = connection.settings_dict
    keys = {"dbname": "NAME", "user": "USER", "password": "PASSWORD", "host": "HOST", "port": "PORT"}
    connected = psycopg2.connect(**{key: database[name] for key, name in keys.items() if database.get(name)})
    connected.autocommit = False  # a named (server-side) cursor needs a transaction
    with connected.cursor() as cursor:
        # The planner cannot estimate the statement's WITH lists and would compile it (seconds of JIT).
        cursor.execute("SET jit = off")
    connected.commit()
    return connected


def limit_renderer(name: str, query: str) -> tuple[frozenset[str], Any]:
    """The fields format ``name`` shows, and its pure renderer as the view calls it (English)."""
    from django.test import RequestFactory

    from feeds import views
    from feeds.formats import csv_table, ics, jsonld, ndjson, timelinejs, vis

    described = views.filter_description(RequestFactory().get("/", dict(parse_qsl(query))))
    renderers = {
        "timelinejs": (
            timelinejs.FIELDS,
            lambda items: timelinejs.render(
                items, title="Timeline", filter_description=described, group_by="type"
            ),
        ),
        "vis": (vis.FIELDS, lambda items: vis.render(items, group_by="type")),
        "ics": (
            ics.FIELDS,
            lambda items: ics.render(
                items,
                calendar_name=" · ".join(part for part in ("Timeline", described) if part),
                uid_domain="testserver",
                language="en",
            ),
        ),
        "csv": (csv_table.FIELDS, csv_table.render),
        "ndjson": (ndjson.FIELDS, ndjson.render),
        "jsonld": (jsonld.FIELDS, jsonld.render),
    }
    return renderers[name]


def limit_body(connection: Any, name: str, query: str) -> bytes:
    from bench import feeds_limit
    from events.partial_dates import parse_edtf

    conditions, arguments = [], {"base": "http://testserver/api/v1/events/"}
    parameters = dict(parse_qsl(query))
    assert set(parameters) <= {"date_from", "date_to"}, "the limit reads date_from and date_to only"
    if "date_from" in parameters:
        conditions.append("e.date_end >= %(date_from)s")
        arguments["date_from"] = parse_edtf(parameters["date_from"]).lower
    if "date_to" in parameters:
        conditions.append("e.date_start <= %(date_to)s")
        arguments["date_to"] = parse_edtf(parameters["date_to"]).upper
    fields, render = limit_renderer(name, query)
    try:
        return feeds_limit.body(connection, fields, conditions, arguments, render)
    finally:
        connection.rollback()


def parsed(name: str, body: bytes) -> Any:
    """A feed body as data, to compare the limit's with the feed's."""
    text = body.decode("utf-8-sig")
    if name == "ndjson":
        return [json.loads(line) for line in text.splitlines()]
    if name in ("csv", "ics"):
        return text.splitlines()
    return json.loads(text)


def timed(action: Any) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def measure_feeds(
    client: Any, requests: int, query: str, connection: Any, names: tuple[str, ...] = FORMATS
) -> list[Row]:
    """Each feed (cache off) beside its limit, then from the cache."""
    from django.conf import settings

    rows = []
    for name in names:
        url = f"/api/v1/feeds/{name}/?{query}"
        settings.API_CACHE_SECONDS = 0
        status, body = read(client, url)  # warm-up
        assert status == 200, f"{url} answered {status}"
        same = None
        if connection is not None:
            same = parsed(name, limit_body(connection, name, query)) == parsed(name, body)
        feed_times, limit_times = [], []
        for _ in range(requests):  # interleaved, so both see the same machine
            feed_times.append(timed(lambda url=url: read(client, url)))
            if connection is not None:
                limit_times.append(timed(lambda name=name: limit_body(connection, name, query)))
        tracemalloc.start()
        drain(client, url)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        settings.API_CACHE_SECONDS = 600
        read(client, url)  # fills the cache
        cached = statistics.median(timed(lambda url=url: read(client, url)) for _ in range(max(requests, 5)))
        settings.API_CACHE_SECONDS = 0
        rows.append(
            Row(
                name,
                statistics.median(feed_times),
                statistics.median(limit_times) if limit_times else None,
                cached,
                peak / 2**20,
                len(body) / 2**20,
                same,
            )
        )
    return rows


def measure_page(queries: list[str]) -> list[tuple[str, str, float, float]]:
    if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        print("(no /usr/bin/chromium: page timings skipped)")
        return []
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    os.environ["SE_OFFLINE"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(120)
    results = []
    try:
        for query in queries:
            timings, feed_timings = [], []
            shown = ""
            for _ in range(3):
                driver.get(f"http://127.0.0.1:{server.port}/{query}")
                WebDriverWait(driver, 180).until(
                    lambda d: d.find_element("tag name", "body").get_attribute("data-ready") == "true"
                )
                timings.append(
                    driver.execute_script(
                        "return performance.getEntriesByName('timeline-ready')[0].startTime"
                    )
                )
                feed_timings.append(
                    driver.execute_script(
                        "return performance.getEntriesByType('resource')"
                        ".find(entry => entry.name.includes('/feeds/vis/')).responseEnd"
                    )
                )
                shown = driver.find_element("id", "status").text
            results.append((query or "/", shown, statistics.median(timings), statistics.median(feed_timings)))
    finally:
        driver.quit()
        server.terminate()
    return results


def main() -> None:
    arguments = parse_arguments()
    with tempfile.TemporaryDirectory(prefix="timeline-feeds-bench-") as scratch:
        original_name = configure_django(Path(scratch), existing=arguments.existing)
        from django.conf import settings
        from django.db import connection
        from django.test import Client

        settings.ALLOWED_HOSTS = ["*"]
        settings.API_ANON_THROTTLE_RATE = "1000000000/minute"  # one address sends every request
        settings.CHANGE_FEED_SETTLE_SECONDS = 0  # the record is not changing: answers may be cached at once
        report = []
        sizes = [0] if arguments.existing else arguments.sizes
        try:
            for index, size in enumerate(sizes):
                if index:
                    connection.creation.destroy_test_db(original_name, verbosity=0)
                    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
                from events.models import Event

                if not arguments.existing:
                    build_record(size)
                published = Event.objects.filter(status=Event.Status.PUBLISHED)
                settings.FEEDS_MAX_EVENTS = published.count()
                shown = feed_events_count(arguments.query)
                limit = limit_connection()
                feeds = measure_feeds(Client(), arguments.requests, arguments.query, limit)
                half = f"date_from={latest_5000()}"
                vis_5000 = measure_feeds(Client(), arguments.requests, half, limit, names=("vis",))[0]
                vis_5000.name = f"vis, {feed_events_count(half):,} events"
                if limit is not None:
                    limit.close()
                page_queries = [""] + ([f"?{half}"] if size > 5_000 else [])
                page = [] if arguments.no_page else measure_page(page_queries)
                report.append((shown, published.count(), [*feeds, vis_5000], page))
        finally:
            if not arguments.existing:
                connection.creation.destroy_test_db(original_name, verbosity=0)

    print(f"Database: {connection.vendor}; Python {sys.version.split()[0]}; {os.cpu_count()} CPUs")
    print(f"Feed query: {arguments.query or '(none)'}\n")
    print(
        "| Record | Events | Feed | Feed (median) | Limit (median) | Ratio | From the cache "
        "| Peak Python alloc. | Body | Same output |"
    )
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for shown, record, feeds, _page in report:
        for row in feeds:
            limit = f"{row.limit:,.0f} ms" if row.limit is not None else "n/a"
            ratio = f"{row.feed / row.limit:.1f}×" if row.limit else "n/a"
            same = {True: "yes", False: "NO", None: "n/a"}[row.same]
            print(
                f"| {record:,} | {shown:,} | {row.name} | {row.feed:,.0f} ms | {limit} | {ratio} | "
                f"{row.cached:,.1f} ms | {row.peak:.1f} MiB | {row.body:.1f} MiB | {same} |"
            )
    if any(page for *_rest, page in report):
        print(
            "\n| Record | Page URL | Shown | First render (median of 3) "
            "| of which until the vis feed arrived |"
        )
        print("| ---: | --- | --- | ---: | ---: |")
        for _shown, record, _feeds, page in report:
            for query, shown_text, milliseconds, feed_milliseconds in page:
                print(
                    f"| {record:,} | {query} | {shown_text} | {milliseconds:,.0f} ms "
                    f"| {feed_milliseconds:,.0f} ms |"
                )


def feed_events_count(query: str) -> int:
    """How many events an anonymous feed with ``query`` shows."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from feeds.selection import feed_events

    request = RequestFactory().get("/", dict(parse_qsl(query)))
    request.user = AnonymousUser()
    return feed_events(request, feed_format="vis").count()


if __name__ == "__main__":
    main()
