"""Feed and page benchmarks: time and peak memory of each feed, and the timeline page's first render.

For each record size (1,000 and 10,000 events by default) the script fills a **throwaway** database
with ``manage.py generate_events`` (then publishes every dated event, so the feeds serve them all),
then:

* requests every feed in-process through Django's test client (reading streamed bodies to the end):
  the median wall-clock time of a few requests, and the peak Python allocation of one separate,
  untimed request (tracemalloc slows Python down);
* serves the project on a live-server thread on 127.0.0.1 (a free port, stopped at the end) and opens
  the timeline page in headless Debian Chromium, timing navigation start → the page's
  ``timeline-ready`` mark (API and feed requests, vis-timeline's first draw), for the whole record
  and for a ``date_from`` that keeps about 5,000 events.

    .venv/bin/python bench/feeds_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/timeline_bench .venv/bin/python bench/feeds_bench.py

Without /usr/bin/chromium the page timings are skipped, saying so.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent

FORMATS = ("timelinejs", "vis", "ics", "csv", "ndjson", "jsonld")
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000], help="Record sizes.")
    parser.add_argument("--requests", type=int, default=3, help="Timed requests per feed (default 3).")
    return parser.parse_args()


def configure_django(scratch: Path) -> str:
    """Set Django up on a throwaway test database; returns the original database name to restore."""
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
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return original_name


def build_record(size: int) -> str:
    """``generate_events`` with every dated event published; returns a date_from keeping ~5,000 events."""
    from django.core.management import call_command

    from events.models import Event

    call_command("generate_events", events=size, seed=1, verbosity=0)
    Event.objects.filter(date_start__isnull=False).update(status=Event.Status.PUBLISHED)
    starts = Event.objects.filter(date_start__isnull=False).order_by("-date_start").values_list("date_start")
    return starts[min(4_999, starts.count() - 1)][0].isoformat()


def read(client: Any, url: str) -> tuple[int, int]:
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, len(body)


def measure_feeds(client: Any, requests: int) -> list[tuple[str, float, float, float]]:
    rows = []
    for name in FORMATS:
        url = f"/api/v1/feeds/{name}/"
        status, size = read(client, url)  # warm-up
        assert status == 200, f"{url} answered {status}"
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            read(client, url)
            times.append(time.perf_counter() - started)
        tracemalloc.start()
        read(client, url)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append((name, statistics.median(times) * 1000, peak / 2**20, size / 2**20))
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
        original_name = configure_django(Path(scratch))
        from django.conf import settings
        from django.db import connection
        from django.test import Client

        settings.FEEDS_MAX_EVENTS = max(arguments.sizes)
        settings.ALLOWED_HOSTS = ["*"]
        report = []
        try:
            for index, size in enumerate(arguments.sizes):
                if index:
                    connection.creation.destroy_test_db(original_name, verbosity=0)
                    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
                from events.models import Event

                half = build_record(size)
                count = Event.objects.filter(status=Event.Status.PUBLISHED).count()
                feeds = measure_feeds(Client(), arguments.requests)
                page_queries = [""] + ([f"?date_from={half}"] if size > 5_000 else [])
                page = measure_page(page_queries)
                report.append((count, feeds, page))
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0)

    print(f"Database: {connection.vendor}; Python {sys.version.split()[0]}; {os.cpu_count()} CPUs\n")
    print("| Events | Feed | Median time | Peak Python alloc. | Body |")
    print("| ---: | --- | ---: | ---: | ---: |")
    for count, feeds, _page in report:
        for name, milliseconds, peak_mib, body_mib in feeds:
            print(
                f"| {count:,} | {name} | {milliseconds:,.0f} ms | {peak_mib:.1f} MiB | {body_mib:.1f} MiB |"
            )
    print(
        "\n| Record | Page URL | Shown | First render (median of 3) | of which until the vis feed arrived |"
    )
    print("| ---: | --- | --- | ---: | ---: |")
    for count, _feeds, page in report:
        for query, shown, milliseconds, feed_milliseconds in page:
            print(f"| {count:,} | {query} | {shown} | {milliseconds:,.0f} ms | {feed_milliseconds:,.0f} ms |")


if __name__ == "__main__":
    main()
