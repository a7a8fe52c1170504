"""How fast ``q`` answers: p50 of a search request, per case, with the database's plan of each.

Runs in-process (Django's test client, anonymous, the answer cache off) against the database of
``DATABASE_URL``, which it only reads: a frequent, a rare and a missing word, in English and Chinese,
first pages of 50 in date order (the default) and latest first. Prints a Markdown table and writes it,
with the ``EXPLAIN (ANALYZE, BUFFERS)`` plan of each case's page query, to ``--output``. The last column
is the same page read by the field-by-field search (SQLite's, and PostgreSQL's before migration 0004).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tl_search100k .venv/bin/python bench/search_bench.py \\
        --label 100k --output bench/results/search-100k.md
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

PROJECT = Path(__file__).resolve().parent.parent

# (case, query): the words the generator writes (events/services/synthetic.py) at three frequencies.
CASES = [
    ("no q (baseline)", ""),
    ("en frequent", "summit"),
    ("en rare", "rongxing"),
    ("en missing", "xylophone"),
    ("zh frequent (2 chars)", "峰会"),
    ("zh rare (3 chars)", "冯爱刚"),
    ("zh rare (2 chars)", "曹磊"),
    ("zh missing", "龙卷风"),
    ("zh missing (2 chars)", "磊峰"),
]


def explain(connection: Any, sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def execution_ms(plan: str) -> float:
    match = re.search(r"Execution Time: ([\d.]+) ms", plan)
    assert match, plan
    return float(match.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="", help="what the database holds, for the title (100k)")
    parser.add_argument("--runs", type=int, default=30, help="requests per case after one warm-up")
    parser.add_argument("--output", type=Path, help="where to write the table and the plans")
    arguments = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        parser.error("give DATABASE_URL=postgres://...: the indexed search is PostgreSQL's")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # for the test client's host; DEBUG goes off below
    os.environ["API_CACHE_SECONDS"] = "0"
    os.environ["API_ANON_THROTTLE_RATE"] = "1000000/second"
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from events.models import Event
    from events.orderings import EVENT_ORDERINGS
    from events.search import search_events_field_by_field

    setup_test_environment(debug=False)
    client = Client()
    rows, plans = [], []
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM events_event WHERE status = 'published'")
        published = cursor.fetchone()[0]
    for ordering in ("date", "-date"):
        for case, query in CASES:
            params = {"q": query, "ordering": ordering, "limit": 50} if query else {"ordering": ordering}
            path = "/api/v1/events/?" + urlencode(params)
            response = client.get(path)  # warm-up
            assert response.status_code == 200, response.content
            found = len(response.json()["results"])
            timings = []
            for _ in range(arguments.runs):
                start = time.perf_counter()
                client.get(path)
                timings.append((time.perf_counter() - start) * 1000)
            with CaptureQueriesContext(connection) as captured:
                client.get(path)
            page_sql = next(
                q["sql"]
                for q in captured.captured_queries
                if re.search(r'FROM "events_event"(\s|$)', q["sql"])
            )
            plan = explain(connection, page_sql)
            scan_ms = "—"
            if query:
                visible = Event.objects.published().order_by(*EVENT_ORDERINGS[ordering].order_by())
                scan_sql, scan_params = (
                    search_events_field_by_field(visible, query)[:51].values("id").query.sql_with_params()
                )
                with connection.cursor() as cursor:
                    scan_sql = cursor.mogrify(scan_sql, scan_params).decode()
                scan_ms = f"{execution_ms(explain(connection, scan_sql)):.0f}"
            p50, p90 = statistics.median(timings), statistics.quantiles(timings, n=10)[-1]
            rows.append(
                f"| {case} | `{query}` | {ordering} | {found} | {p50:.1f} | {p90:.1f} "
                f"| {execution_ms(plan):.1f} | {scan_ms} |"
            )
            plans.append(f"### {case}: q={query}, ordering={ordering}\n\n```\n{page_sql}\n\n{plan}\n```\n")
    title = f"# Search (`q`) at {arguments.label or published} events ({published:,} published)"
    table = "\n".join(
        [
            title,
            "",
            f"{arguments.runs} requests per case, in-process, anonymous, answer cache off; first page of 50.",
            "",
            "| case | q | ordering | results | p50 ms | p90 ms | page SQL ms | field-by-field SQL ms |",
            "|---|---|---|---:|---:|---:|---:|---:|",
            *rows,
        ]
    )
    print(table)
    if arguments.output:
        arguments.output.write_text(table + "\n\n## Plans\n\n" + "\n".join(plans), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
