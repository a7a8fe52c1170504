"""The public event representation written as JSON inside PostgreSQL: the bytes orjson would write.

events.presentation builds each event as Python dicts from five queries, and orjson writes them: for a
50-event page that is about 250 dicts and most of a request's CPU. On PostgreSQL the anonymous reads
(events/api/fast.py) ask the database for the finished text instead: the page's keys come from the same
filtered, ordered, sliced queryset as ever, then one prepared statement concatenates each event's JSON
from its columns and four correlated subqueries, in the page's order. A detail is one prepared
statement, its lookup (the public's events, by id or slug) compiled by the ORM once per process.

The text is the text events.presentation's representation renders to, byte for byte, so that the
ETag of an answer does not depend on which path built it (tests/test_json_sql.py compares the two over
hostile texts, every date form and generated records):

* members in the representation's order, written compactly as orjson writes them; strings through
  ``to_json``, whose escapes are orjson's (a test compares them over every character to U+2FFF and more);
* each text in the reader's language by the same fallbacks as ``localized_choice``;
* days and moments in the API's forms (``day_bound``, ``timestamp``);
* embedded lists in the same orders (tags by slug, actors and citations as recorded, related events by
  the other's date, then id, then relation name, drafts left out).

Two things stay in Python, where their rules live: ``date_display`` (events.partial_dates, through the
same per-process memo), spliced between the two halves of the text the database returns; and the
quotes' cleaning (events.services.text_cleaning), for the rare event with a parenthesis in a quote,
whose text is parsed, cleaned and written again by orjson. Traditional Chinese is converted by OpenCC
in Python, so ``zh-hant`` keeps the Python representation (``supports`` says which languages this
module writes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import orjson
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connections, router
from django.db.models import Model, QuerySet

from events.languages import EN, ZH_HANS, date_display
from events.models import Actor, Citation, Event, EventRelation, Location, Participation, Source, Tag
from events.partial_dates import OPEN_END, OPEN_START
from events.read.adapters import compiled_sql
from events.selectors.events import event_list
from events.selectors.prepared import prepared_rows
from events.services.text_cleaning import ANNOTATION_OPENERS, clean_captured_text

Row = dict[str, Any]

LANGUAGES = (EN, ZH_HANS)


def supports(language: str, using: str) -> bool:
    """Whether this module writes the representation in ``language`` on database ``using`` (and the
    ``API_JSON_IN_DATABASE`` setting lets it)."""
    return (
        language in LANGUAGES
        and connections[using].vendor == "postgresql"
        and bool(getattr(settings, "API_JSON_IN_DATABASE", True))
    )


# --- JSON written by SQL -------------------------------------------------------------------------------


def _string(expression: str) -> str:
    """A text as a JSON string, or null."""
    return f"COALESCE(to_json({expression})::text, 'null')"


def _number(expression: str) -> str:
    return f"COALESCE(({expression})::text, 'null')"


def _members(members: Iterable[tuple[str, str]], *, opens: bool) -> str:
    """``(key, JSON text)`` members written as orjson writes them (no spaces), each after a comma, or
    the first after the object's opening brace when it ``opens`` it."""
    pieces = []
    for index, (key, value) in enumerate(members):
        assert key.isidentifier(), key  # keys go into SQL literals as they are
        before = "{" if opens and index == 0 else ","
        pieces.append(f"'{before}\"{key}\":' || {value}")
    return " || ".join(pieces)


def _object(*members: tuple[str, str]) -> str:
    return f"({_members(members, opens=True)} || '}}')"


def _array(element: str, source: str, order: str) -> str:
    """The JSON array of ``element`` over the rows of ``source`` in ``order``; [] for none."""
    return f"COALESCE((SELECT '[' || string_agg({element}, ',' ORDER BY {order}) || ']' {source}), '[]')"


def _localized(alias: str, field: str, language: str) -> str:
    """``localized_choice`` in SQL, for English and simplified Chinese."""
    english, simplified = f"NULLIF({alias}.{field}_en, '')", f"NULLIF({alias}.{field}_zh, '')"
    first, second = (english, simplified) if language == EN else (simplified, english)
    return f"COALESCE({first}, {second}, '')"


def _day(column: str) -> str:
    """``presentation.day_bound``: an ISO day, null when undated or open."""
    return (
        f"CASE WHEN {column} IS NULL OR {column} IN ('{OPEN_START.isoformat()}', '{OPEN_END.isoformat()}') "
        f"THEN 'null' ELSE '\"' || to_char({column}, 'YYYY-MM-DD') || '\"' END"
    )


def _moment(column: str) -> str:
    """``presentation.timestamp``: ISO 8601 in UTC with a Z, microseconds only when there are any."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"'\"' || to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') "
        f"|| CASE WHEN date_trunc('second', {utc}) = {utc} THEN '' ELSE to_char({utc}, '.US') END || 'Z\"'"
    )


def _brief(alias: str, language: str) -> str:
    """A tag's, location's or publisher's ``{id, slug, name}``."""
    return _object(
        ("id", _number(f"{alias}.id")),
        ("slug", _string(f"{alias}.slug")),
        ("name", _string(_localized(alias, "name", language))),
    )


def _tables() -> dict[str, str]:
    models: dict[str, type[Model]] = {
        "event": Event,
        "location": Location,
        "tag": Tag,
        "event_tags": Event.tags.through,
        "actor": Actor,
        "participation": Participation,
        "citation": Citation,
        "source": Source,
        "relation": EventRelation,
    }
    return {name: model._meta.db_table for name, model in models.items()}


def _related(language: str, t: dict[str, str]) -> str:
    """The published events related to ``e`` either way round, by the other's date, id and relation."""
    inverse = " ".join(f"WHEN '{name}' THEN '{back}'" for name, back in EventRelation.INVERSE.items())
    title = _localized("o", "title", language)
    published = Event.Status.PUBLISHED.value
    source = (
        f"FROM (SELECT r.relation AS relation, o.id AS id, {title} AS title, o.date_start AS date_start "
        f"FROM {t['relation']} r JOIN {t['event']} o ON o.id = r.to_event_id "
        f"WHERE r.from_event_id = e.id AND o.status = '{published}' "
        f"UNION ALL SELECT CASE r.relation {inverse} END, o.id, {title}, o.date_start "
        f"FROM {t['relation']} r JOIN {t['event']} o ON o.id = r.from_event_id "
        f"WHERE r.to_event_id = e.id AND o.status = '{published}') x"
    )
    element = _object(
        ("relation", _string("x.relation")), ("id", _number("x.id")), ("title", _string("x.title"))
    )
    order = f"COALESCE(x.date_start, '{dt.date.max.isoformat()}'), x.id, x.relation COLLATE \"C\""
    return _array(element, source, order)


@cache
def _statement(language: str) -> str:
    """The statement for ``language``, over the link prefix and the page's ids, in their order. Each
    event's text comes in two halves, before and after ``date_display``."""
    t = _tables()
    head = _members(
        (
            ("id", _number("e.id")),
            ("slug", _string("e.slug")),
            ("url", _string("%s::text || e.id || '/'")),
            ("title", _string(_localized("e", "title", language))),
            ("summary", _string(_localized("e", "summary", language))),
            ("date", _string("NULLIF(e.date, '')")),
            ("date_start", _day("e.date_start")),
            ("date_end", _day("e.date_end")),
            ("date_precision", _string("NULLIF(e.date_precision, '')")),
        ),
        opens=True,
    )
    tags = _array(
        _brief("tg", language),
        f"FROM {t['event_tags']} et JOIN {t['tag']} tg ON tg.id = et.tag_id WHERE et.event_id = e.id",
        "tg.slug",
    )
    actors = _array(
        _object(
            ("slug", _string("a.slug")),
            ("name", _string(_localized("a", "name", language))),
            ("kind", _string("a.kind")),
            ("role", _string("pa.role")),
        ),
        f"FROM {t['participation']} pa JOIN {t['actor']} a ON a.id = pa.actor_id WHERE pa.event_id = e.id",
        "pa.id",
    )
    publisher = f"CASE WHEN pub.id IS NULL THEN 'null' ELSE {_brief('pub', language)} END"
    citations = _array(
        _object(
            (
                "source",
                _object(
                    ("id", _number("s.id")),
                    ("title", _string("s.title")),
                    ("publisher", publisher),
                    ("url", _string("s.url")),
                    ("published", _string("NULLIF(s.published, '')")),
                ),
            ),
            ("quote", _string("c.quote")),
        ),
        f"FROM {t['citation']} c JOIN {t['source']} s ON s.id = c.source_id "
        f"LEFT JOIN {t['actor']} pub ON pub.id = s.publisher_id WHERE c.event_id = e.id",
        "c.id",
    )
    location = f"CASE WHEN loc.id IS NULL THEN 'null' ELSE {_brief('loc', language)} END"
    tail = _members(
        (
            ("type", _string("e.type")),
            ("status", _string("e.status")),
            ("location", location),
            ("tags", tags),
            ("actors", actors),
            ("citations", citations),
            ("related", _related(language, t)),
            ("created_at", _moment("e.created_at")),
            ("updated_at", _moment("e.updated_at")),
        ),
        opens=False,
    )
    # Whether a quote has what opens a pinyin annotation: only such quotes may need cleaning (which
    # changes nothing else).
    opened = " OR ".join(f"strpos(c.quote, '{opener}') > 0" for opener in ANNOTATION_OPENERS)
    parenthesized = f"EXISTS (SELECT 1 FROM {t['citation']} c WHERE c.event_id = e.id AND ({opened}))"
    return (
        f"SELECT e.date, {head}, {tail} || '}}', {parenthesized} "
        f"FROM unnest(%s::bigint[]) WITH ORDINALITY AS page(id, position) "
        f"JOIN {t['event']} e ON e.id = page.id LEFT JOIN {t['location']} loc ON loc.id = e.location_id "
        "ORDER BY page.position"
    )


# --- Reading -------------------------------------------------------------------------------------------


def event_keys(page: QuerySet[Event], columns: tuple[str, ...]) -> list[Row]:
    """The events of ``page`` (filtered, ordered and sliced as given) as rows of the ordering's
    ``columns`` (the last is the id): what the keyset pagination reads its cursors from. Planned for
    the filters' values, as any ORM query is (a busy actor and a rare one call for different plans)."""
    assert columns[-1] == "id", columns
    return [dict(zip(columns, key, strict=True)) for key in page.values_list(*columns)]


def event_json_texts(ids: list[int], *, language: str, link: str, using: str) -> list[str]:
    """The representations' texts of the events ``ids`` (which the public may see), in that order,
    with ``url`` under ``link``: one prepared statement, planned once per connection (planning it took
    longer than running it: about 4 ms at 100,000 events).

    An event deleted since its id was read has no text, and is left out: the page is one event
    shorter, as if it had been read a moment later.
    """
    if not ids:
        return []
    name = f"timeline_event_json_{_suffix(language)}"
    texts = prepared_rows(connections[using], name, _statement(language), [link, ids])
    return [_finished(edtf, head, tail, marked, language) for edtf, head, tail, marked in texts]


def event_json_detail(lookup: Mapping[str, Any], *, language: str, link: str) -> bytes | None:
    """The text of the event the public may see that ``lookup`` names (``id_or_slug_lookup``), or None.

    One prepared statement, whose query for the event is the ORM's (the public's events, by id or by
    slug), compiled once per process.
    """
    ((field, value),) = lookup.items()
    if field == "pk__in":  # a number no id can be
        assert not value
        return None
    using = router.db_for_read(Event)
    sql, params, slot = _detail_statement(using, field, language)
    arguments = [link, *params]
    arguments[1 + slot] = value
    texts = prepared_rows(connections[using], f"timeline_event_{field}_{_suffix(language)}", sql, arguments)
    if not texts:
        return None
    ((edtf, head, tail, marked),) = texts
    return _finished(edtf, head, tail, marked, language).encode()


_MARKERS = {"pk": -(10**15), "slug": "timeline-json-sql-slug-marker"}


@cache
def _detail_statement(using: str, field: str, language: str) -> tuple[str, list[Any], int]:
    """The detail's statement on ``using``, its parameters after the link, and where among them the
    id or slug goes."""
    marker = _MARKERS[field]
    public = event_list(user=AnonymousUser()).filter(**{field: marker}).values_list("id")[:1]
    sql, params = compiled_sql(public, using)
    assert list(params).count(marker) == 1, f"the ORM compiled the public {field} lookup differently"
    statement = _statement(language).replace("unnest(%s::bigint[])", f"unnest(ARRAY({sql}))")
    return statement, list(params), list(params).index(marker)


def _suffix(language: str) -> str:
    return language.replace("-", "_")


def _finished(edtf: str, head: str, tail: str, parenthesized: bool, language: str) -> str:
    """An event's text with its ``date_display``, and its quotes cleaned if any may need it."""
    display = orjson.dumps(date_display(edtf, language)).decode()
    text = f'{head},"date_display":{display}{tail}'
    return _with_cleaned_quotes(text) if parenthesized else text


def _with_cleaned_quotes(text: str) -> str:
    """The event's text with its quotes cleaned for the public, written again by orjson."""
    event = orjson.loads(text)
    for citation in event["citations"]:
        citation["quote"] = clean_captured_text(citation["quote"])
    return orjson.dumps(event).decode()
