"""EXPLAIN (ANALYZE, BUFFERS) of every query an anonymous feed runs, for one batch of 500 events.

Reads the database DATABASE_URL names (nothing is written): the event query of the ``vis`` feed for
``--query`` (default: the whole of 2022) and the embedded relations (tags, actors, citations, related
events) of the events of its third batch, each run once before it is explained (a warm cache), printed
as Markdown for bench/results/::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tl_bench100k DJANGO_DEBUG=1 \\
        .venv/bin/python bench/feeds_plans.py > plans.md
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from urllib.parse import parse_qsl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--query", default="date_from=2022&date_to=2022", help="The feed's filters.")
    arguments = parser.parse_args()
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import RequestFactory

    from events import presentation
    from feeds.formats import vis
    from feeds.selection import feed_events

    request = RequestFactory().get("/", dict(parse_qsl(arguments.query)))
    request.user = AnonymousUser()
    events = feed_events(request, feed_format="vis")
    ids = list(events.values_list("id", flat=True)[1000:1500])
    queries = [
        (
            f"The vis feed's events ({arguments.query}: {events.count():,} events; the columns vis shows)",
            events.values(*presentation.row_columns(vis.FIELDS | {"id"})),
        ),
        ("Related events: a UNION of the two directions", presentation._relations(ids, public=True)),
        ("Citations: the sources limited to those cited (semi-join)", presentation._citations(ids)),
        ("Actors: limited to those taking part (semi-join)", presentation._participations(ids)),
        ("Tags", presentation._TAGS.build(ids)),
    ]
    for title, queryset in queries:
        sql, params = queryset.query.get_compiler("default").as_sql()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        plan = re.sub(r"'\{[0-9,]{60,}\}'", "'{…500 ids…}'", plan)
        print(f"### {title}\n\n```\n{plan}\n```\n")


if __name__ == "__main__":
    main()
