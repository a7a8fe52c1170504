"""The limit: a bare WSGI app whose single SQL statement per request builds the API's JSON in PostgreSQL.

``make bench`` serves it with the same gunicorn settings as the API, beside it, to show how fast a
Python stack can answer the benchmark's requests on this machine and database: no framework, no
models, one ``json_build_object`` / ``json_agg`` statement per request over a persistent connection.

It answers what the benchmark asks, as the anonymous API does (English, published events only):

- ``/api/v1/events/<id>/``: one event, in the API's representation;
- ``/api/v1/events/?...`` with ``actor`` (one slug), ``date_from`` / ``date_to`` (EDTF; overlap),
  ``q`` (one or more terms, matched as :mod:`events.search` does), ``ordering`` (``date`` / ``-date``),
  ``limit`` and ``offset``: ``{"next", "previous", "results"}`` as the API answers (no ``count``), the
  results as the API renders them; ``next`` is an offset link where the API gives a keyset cursor (the
  benchmark reads first pages). Any other parameter is a 400, so a comparison never silently differs.

One field is not built in SQL: ``date_display``, since the display rules live in
:mod:`events.partial_dates` (the one owner of time); it is computed per distinct EDTF value and cached
per process. Run: ``LIMIT_DATABASE_URL=postgres://... gunicorn bench.limit_app:application``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from events import partial_dates  # pure Python: no Django is loaded
from events.orderings import EVENT_ORDERINGS
from events.scripts import script_variants
from events.search_document import document_contains

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
# EventRelation.INVERSE, copied so this app loads no Django (a test checks the copy is exact).
INVERSE = {
    "part_of": "has_part",
    "follows": "followed_by",
    "responds_to": "responded_to_by",
    "commentary_on": "has_commentary",
    "implements": "implemented_by",
    "reports_on": "reported_on_by",
    "related_to": "related_to",
}
# The API's orders. Published events always have a date (the constraint event_published_has_date), so
# where NULLs would sort changes nothing here, and plain DESC lets an ascending index be read backwards.
ORDERINGS = {name: EVENT_ORDERINGS[name].sql("e") for name in ("date", "-date")}
LIST_PARAMETERS = {"actor", "date_from", "date_to", "q", "ordering", "limit", "offset"}


def timestamp(column: str) -> str:
    """A timestamp as DRF writes it: ISO 8601 in UTC with ``Z``, microseconds only when there are any."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN date_trunc('second', {column}) = {column} "
        f"THEN '' ELSE to_char({utc}, '.US') END || 'Z'"
    )


def day_bound(column: str) -> str:
    """A stored bound as the API gives it: null for the open-end sentinels."""
    sentinel = f"{column} IN ('0001-01-01', '9999-12-31')"
    return f"CASE WHEN {sentinel} THEN NULL ELSE to_char({column}, 'YYYY-MM-DD') END"


def english(table: str, field: str) -> str:
    return f"COALESCE(NULLIF({table}.{field}_en, ''), {table}.{field}_zh)"


INVERSE_SQL = "CASE r.relation " + " ".join(f"WHEN '{a}' THEN '{b}'" for a, b in INVERSE.items()) + " END"

# The representation of the events of ``page`` (a CTE), one JSON text per event, in page order.
EVENT_JSON = f"""
SELECT e.date, json_build_object(
    'id', e.id, 'slug', e.slug, 'url', %(base)s || e.id || '/',
    'title', {english("e", "title")}, 'summary', {english("e", "summary")},
    'date', NULLIF(e.date, ''),
    'date_start', {day_bound("e.date_start")}, 'date_end', {day_bound("e.date_end")},
    'date_precision', NULLIF(e.date_precision, ''), 'type', e.type, 'status', e.status,
    'location', (SELECT json_build_object('id', l.id, 'slug', l.slug, 'name', {english("l", "name")})
                 FROM events_location l WHERE l.id = e.location_id),
    'tags', COALESCE((SELECT json_agg(json_build_object('id', t.id, 'slug', t.slug,
                                                        'name', {english("t", "name")}) ORDER BY t.slug)
                      FROM events_event_tags et JOIN events_tag t ON t.id = et.tag_id
                      WHERE et.event_id = e.id), '[]'),
    'actors', COALESCE((SELECT json_agg(json_build_object('slug', a.slug, 'name', {english("a", "name")},
                                                          'kind', a.kind, 'role', pa.role) ORDER BY pa.id)
                        FROM events_participation pa JOIN events_actor a ON a.id = pa.actor_id
                        WHERE pa.event_id = e.id), '[]'),
    'citations', COALESCE((SELECT json_agg(json_build_object(
                               'source', json_build_object(
                                   'id', s.id, 'title', s.title,
                                   'publisher', CASE WHEN pub.id IS NULL THEN NULL ELSE json_build_object(
                                       'id', pub.id, 'slug', pub.slug, 'name', {english("pub", "name")}) END,
                                   'url', s.url, 'published', NULLIF(s.published, '')),
                               'quote', c.quote) ORDER BY c.id)
                           FROM events_citation c JOIN events_source s ON s.id = c.source_id
                           LEFT JOIN events_actor pub ON pub.id = s.publisher_id
                           WHERE c.event_id = e.id), '[]'),
    'related', COALESCE((SELECT json_agg(json_build_object('relation', x.relation, 'id', x.id,
                                                           'title', x.title)
                                  ORDER BY x.date_start ASC NULLS LAST, x.id, x.relation COLLATE "C")
                         FROM (SELECT r.relation, o.id, {english("o", "title")} AS title, o.date_start
                               FROM events_eventrelation r JOIN events_event o ON o.id = r.to_event_id
                               WHERE r.from_event_id = e.id AND o.status = 'published'
                               UNION ALL
                               SELECT {INVERSE_SQL}, o.id, {english("o", "title")}, o.date_start
                               FROM events_eventrelation r JOIN events_event o ON o.id = r.from_event_id
                               WHERE r.to_event_id = e.id AND o.status = 'published') x), '[]'),
    'created_at', {timestamp("e.created_at")}, 'updated_at', {timestamp("e.updated_at")}
)::text
FROM page e
"""


class BadRequest(ValueError):
    """A request this app does not answer; the message says why."""


@lru_cache(maxsize=200_000)
def date_display(edtf: str) -> str:
    return partial_dates.parse_edtf(edtf).display("en") if edtf else ""


def with_display(rows: Iterable[tuple[str, str]]) -> list[str]:
    """Each event's JSON text with its ``date_display`` added (the one field not built in SQL)."""
    return [
        text[:-1] + ',"date_display":' + json.dumps(date_display(edtf), ensure_ascii=False) + "}"
        for edtf, text in rows
    ]


def search_condition(index: int, term: str, arguments: dict[str, Any]) -> str:
    """Events whose search document matches term ``index``, as events.search matches it."""

    def placeholder(value: Any) -> str:
        name = f"term{index}_{len(arguments)}"
        arguments[name] = value
        return f"%({name})s"

    return document_contains("e", script_variants(term), placeholder)


def parse_count(parameters: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    text = parameters.get(name)
    if text is None:
        return default
    if not text.strip().isdigit() or not low <= int(text) <= high:
        raise BadRequest(f"{name}={text!r}: give a whole number from {low} to {high}.")
    return int(text)


def list_statement(parameters: dict[str, str]) -> tuple[str, dict[str, Any], int, int]:
    """The statement of an event list page, its arguments, the limit and the offset."""
    unknown = set(parameters) - LIST_PARAMETERS
    if unknown:
        raise BadRequest(f"the limit app does not answer {sorted(unknown)}")
    conditions = ["e.status = 'published'"]
    arguments: dict[str, Any] = {}
    if "actor" in parameters:
        conditions.append(
            "e.id IN (SELECT event_id FROM events_participation "
            "WHERE actor_id = (SELECT id FROM events_actor WHERE slug = %(actor)s))"
        )
        arguments["actor"] = parameters["actor"]
    try:
        if "date_from" in parameters:
            conditions.append("e.date_end >= %(date_from)s")
            arguments["date_from"] = partial_dates.parse_edtf(parameters["date_from"]).lower
        if "date_to" in parameters:
            conditions.append("e.date_start <= %(date_to)s")
            arguments["date_to"] = partial_dates.parse_edtf(parameters["date_to"]).upper
    except partial_dates.InvalidDate as error:
        raise BadRequest(str(error)) from None
    for index, term in enumerate(parameters.get("q", "").split()):
        conditions.append(search_condition(index, term, arguments))
    ordering = ORDERINGS.get(parameters.get("ordering", "date"))
    if ordering is None:
        raise BadRequest(f"ordering={parameters['ordering']!r}: give date or -date.")
    limit = parse_count(parameters, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = parse_count(parameters, "offset", 0, 0, 10**9)
    arguments.update(fetch=limit + 1, offset=offset)
    page = (
        f"SELECT * FROM events_event e WHERE {' AND '.join(conditions)} ORDER BY {ordering} "
        "LIMIT %(fetch)s OFFSET %(offset)s"
    )
    return f"WITH page AS ({page}) {EVENT_JSON} ORDER BY {ordering}", arguments, limit, offset


# --- WSGI ----------------------------------------------------------------------------------------

_connection: Any = None


def cursor() -> Any:
    """A cursor on this process's persistent connection (opened on first use, reopened if it broke)."""
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg2.connect(os.environ["LIMIT_DATABASE_URL"])
        _connection.autocommit = True
    return _connection.cursor()


def page_link(base: str, parameters: dict[str, str], offset: int | None) -> str | None:
    if offset is None:
        return None
    query = (
        {**parameters, "offset": str(offset)}
        if offset
        else {k: v for k, v in parameters.items() if k != "offset"}
    )
    return f"{base}?{urlencode(query)}" if query else base


def answer(path: str, parameters: dict[str, str], host: str) -> tuple[str, str]:
    """The status line and JSON body for one request."""
    base = f"http://{host}/api/v1/events/"
    if path == "/api/v1/events/":
        statement, arguments, limit, offset = list_statement(parameters)
        with cursor() as database:
            database.execute(statement, {**arguments, "base": base})
            events = with_display(database.fetchall())
        more = len(events) > limit
        next_link = page_link(base, parameters, offset + limit if more else None)
        previous_link = page_link(base, parameters, max(0, offset - limit) if offset else None)
        body = (
            f'{{"next":{json.dumps(next_link)},"previous":{json.dumps(previous_link)},'
            f'"results":[{",".join(events[:limit])}]}}'
        )
        return "200 OK", body
    key = path.removeprefix("/api/v1/events/").rstrip("/")
    if path.startswith("/api/v1/events/") and key.isdigit() and not parameters:
        with cursor() as database:
            page = "SELECT * FROM events_event WHERE id = %(id)s AND status = 'published'"
            database.execute(f"WITH page AS ({page}) {EVENT_JSON}", {"id": int(key), "base": base})
            events = with_display(database.fetchall())
        if events:
            return "200 OK", events[0]
        return "404 Not Found", json.dumps(
            {"detail": f"There is no event {key!r} here (or it is not public)."}
        )
    raise BadRequest(f"the limit app does not answer {path}")


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    parameters = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
    try:
        status, body = answer(
            environ.get("PATH_INFO", "/"), parameters, environ.get("HTTP_HOST", "127.0.0.1")
        )
    except BadRequest as error:
        status, body = "400 Bad Request", json.dumps({"detail": str(error)})
    data = body.encode("utf-8")
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]
