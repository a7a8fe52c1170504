"""The limit of each feed: one SQL statement building the fields the format shows, and its pure renderer.

For each format, PostgreSQL builds every event's shown fields (``feeds.formats.<format>.FIELDS``) as one
JSON object in a single statement (the expressions of ``bench/limit_app.py``: English, published
events, the API's date order; each embedded list aggregated set-wise for all the events at once in a
``WITH`` clause, not per event), read through a server-side cursor; the rows go to the same pure
renderer the feed uses. ``date_display`` alone is not built in SQL (the display rules live in
:mod:`events.partial_dates`): it is computed per distinct EDTF value and kept per process. So the
limit has no framework, no ORM, no filter set and one query; what the feed
spends beyond it is the price of those. ``feeds_bench.py`` checks that the limit's parsed output
equals the feed's before timing them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from bench.limit_app import INVERSE_SQL, day_bound, english, timestamp
from events import partial_dates

FETCH = 2_000  # rows per round trip of the server-side cursor

# Each field of the representation as an SQL expression over the event ``e`` and, for the embedded
# lists, the aggregated list joined to it (``LISTS``).
FIELD_SQL = {
    "id": "e.id",
    "slug": "e.slug",
    "url": "%(base)s || e.id || '/'",
    "title": english("e", "title"),
    "summary": english("e", "summary"),
    "date": "NULLIF(e.date, '')",
    "date_start": day_bound("e.date_start"),
    "date_end": day_bound("e.date_end"),
    "date_precision": "NULLIF(e.date_precision, '')",
    "date_display": "''",  # filled in Python, in its place in the object
    "type": "e.type",
    "status": "e.status",
    "location": f"""CASE WHEN l.id IS NULL THEN NULL
                    ELSE json_build_object('id', l.id, 'slug', l.slug, 'name', {english("l", "name")}) END""",
    "tags": "COALESCE(tags.list, '[]')",
    "actors": "COALESCE(actors.list, '[]')",
    "citations": "COALESCE(citations.list, '[]')",
    "related": "COALESCE(related.list, '[]')",
    "created_at": timestamp("e.created_at"),
    "updated_at": timestamp("e.updated_at"),
}
# Each embedded list, aggregated set-wise for every event of ``page`` at once.
LISTS = {
    "tags": f"""SELECT et.event_id,
                       json_agg(json_build_object('id', t.id, 'slug', t.slug, 'name', {english("t", "name")})
                                ORDER BY t.slug) AS list
                FROM events_event_tags et JOIN events_tag t ON t.id = et.tag_id
                WHERE et.event_id IN (SELECT id FROM page) GROUP BY et.event_id""",
    "actors": f"""SELECT pa.event_id,
                         json_agg(json_build_object('slug', a.slug, 'name', {english("a", "name")},
                                                    'kind', a.kind, 'role', pa.role) ORDER BY pa.id) AS list
                  FROM events_participation pa JOIN events_actor a ON a.id = pa.actor_id
                  WHERE pa.event_id IN (SELECT id FROM page) GROUP BY pa.event_id""",
    "citations": f"""SELECT c.event_id, json_agg(json_build_object(
                         'source', json_build_object(
                             'id', s.id, 'title', s.title,
                             'publisher', CASE WHEN pub.id IS NULL THEN NULL ELSE
                                 json_build_object('id', pub.id, 'slug', pub.slug,
                                                   'name', {english("pub", "name")}) END,
                             'url', s.url, 'published', NULLIF(s.published, '')),
                         'quote', c.quote) ORDER BY c.id) AS list
                     FROM events_citation c JOIN events_source s ON s.id = c.source_id
                     LEFT JOIN events_actor pub ON pub.id = s.publisher_id
                     WHERE c.event_id IN (SELECT id FROM page) GROUP BY c.event_id""",
    "related": f"""SELECT x.event_id,
                          json_agg(json_build_object('relation', x.relation, 'id', x.id, 'title', x.title)
                                   ORDER BY x.date_start ASC NULLS LAST, x.id, x.relation COLLATE "C") AS list
                   FROM (SELECT r.from_event_id AS event_id, r.relation, o.id,
                                {english("o", "title")} AS title, o.date_start
                         FROM events_eventrelation r JOIN events_event o ON o.id = r.to_event_id
                         WHERE r.from_event_id IN (SELECT id FROM page) AND o.status = 'published'
                         UNION ALL
                         SELECT r.to_event_id, {INVERSE_SQL}, o.id, {english("o", "title")}, o.date_start
                         FROM events_eventrelation r JOIN events_event o ON o.id = r.from_event_id
                         WHERE r.to_event_id IN (SELECT id FROM page) AND o.status = 'published') x
                   GROUP BY x.event_id""",
}
ORDER = "e.date_start ASC NULLS LAST, e.date_end ASC NULLS LAST, e.id ASC"


def statement(fields: frozenset[str], conditions: list[str]) -> str:
    """The one statement: each published event matching ``conditions``, its ``fields`` as JSON."""
    pairs = ", ".join(f"'{name}', {FIELD_SQL[name]}" for name in FIELD_SQL if name in fields | {"id"})
    where = " AND ".join(["e.status = 'published'", *conditions])
    lists = [name for name in LISTS if name in fields]
    ctes = "".join(f", {name} AS ({LISTS[name]})" for name in lists)
    joins = "".join(f" LEFT JOIN {name} ON {name}.event_id = e.id" for name in lists)
    if "location" in fields:
        joins += " LEFT JOIN events_location l ON l.id = e.location_id"
    return (
        f"WITH page AS MATERIALIZED (SELECT * FROM events_event e WHERE {where}){ctes} "
        f"SELECT json_build_object({pairs}) FROM page e{joins} ORDER BY {ORDER}"
    )


@lru_cache(maxsize=200_000)
def date_display(edtf: str) -> str:
    return partial_dates.parse_edtf(edtf).display("en") if edtf else ""


def items(connection: Any, sql: str, arguments: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The statement's events as representations (psycopg2 parses the JSON), read ``FETCH`` at a time."""
    with connection.cursor(name="feed_limit") as cursor:
        cursor.itersize = FETCH
        cursor.execute(sql, arguments)
        for (item,) in cursor:
            if "date_display" in item:
                item["date_display"] = date_display(item["date"] or "")
            yield item


def body(
    connection: Any, fields: frozenset[str], conditions: list[str], arguments: dict[str, Any], render: Any
) -> bytes:
    """The whole body of one limit answer: the statement's rows through ``render``."""
    rendered = render(items(connection, statement(fields, conditions), arguments))
    if isinstance(rendered, dict):
        return json.dumps(rendered, ensure_ascii=False, separators=(",", ":")).encode()
    return b"".join(chunk.encode() if isinstance(chunk, str) else chunk for chunk in rendered)
