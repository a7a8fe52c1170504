"""What an event looks like to a reader: the one representation the API, the feeds and the page share.

Built for speed from ``values()`` rows, not model instances: one query for the events themselves and
one per embedded relation (tags, actors, citations with their sources, related events), whatever the
number of events; each text in the reader's language (:mod:`events.languages`), each date's display
read from the stored EDTF value through a per-process memo rather than re-parsed for every row.

The shape is the API's documented event representation::

    {id, slug, url, title, summary, date, date_start, date_end, date_precision, date_display, type,
     status, location, tags, actors, citations, related, created_at, updated_at}

``url`` is there when a request is given (the API's absolute link to the event), and absent for a
caller without one. A caller that shows only some fields (a feed) names them (``fields``): only their
columns are read, only the embedded relations among them are queried, and only they are built.

Related events are filtered by the same visibility rule as events themselves, so a draft
never shows through a published event's ``related`` list.

Quotes are shown to the public through the record's one text-cleaning rule (inline pinyin annotations
such as ``務(wù)`` removed: :mod:`events.services.text_cleaning`); curators, who edit the record, read
and write back the quote exactly as stored.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

from events.languages import date_display, localized_choice, localized_value
from events.models import Citation, Event, EventRelation, Participation, can_see_unpublished
from events.orderings import EVENT_ORDERINGS
from events.partial_dates import OPEN_END, OPEN_START
from events.read.adapters import PreparedQuery
from events.read.fields import EVENT_FIELDS
from events.services.text_cleaning import clean_captured_text

Row = dict[str, Any]

# The representation's fields in the API's order, each with the event columns it is built from: derived
# from the one declaration (events/read/fields.py), which also gives the schema and the feeds' fields.
FIELD_COLUMNS: dict[str, tuple[str, ...]] = {field.name: field.columns for field in EVENT_FIELDS}
ALL_FIELDS = frozenset(FIELD_COLUMNS)


def row_columns(fields: frozenset[str]) -> tuple[str, ...]:
    """The event columns that the representation's ``fields`` are built from."""
    return tuple(
        dict.fromkeys(column for name in FIELD_COLUMNS if name in fields for column in FIELD_COLUMNS[name])
    )


# The columns of one event row: every declared field's. The keyset pagination reads its cursor from
# them, so every ordering's columns must be among them.
EVENT_ROW_FIELDS = row_columns(ALL_FIELDS)
assert all(
    column in EVENT_ROW_FIELDS for ordering in EVENT_ORDERINGS.values() for column in ordering.columns
), "an ordering's columns must be read with every event row (events/read/fields.py)"


# --- Reading -------------------------------------------------------------------------------------


def event_rows(events: QuerySet[Event]) -> list[Row]:
    """The rows of ``events`` (filtered, ordered and sliced as given) that the representation needs."""
    return list(events.values(*EVENT_ROW_FIELDS))


def event_representations(
    events: QuerySet[Event], *, language: str, user: Any, request: HttpRequest | None = None
) -> list[Row]:
    """The representations of ``events``, in the queryset's order, in ``language``."""
    return represent_event_rows(event_rows(events), language=language, user=user, request=request)


def iter_event_representations(
    events: QuerySet[Event],
    *,
    language: str,
    user: Any,
    request: HttpRequest | None = None,
    chunk_size: int = 500,
    fields: frozenset[str] = ALL_FIELDS,
) -> Iterator[Row]:
    """The same representations, built ``chunk_size`` events at a time: constant memory for any count.

    The events are read once, in order, through a server-side cursor where the database has one.
    With ``fields``, each representation has only those fields (see the module docstring).
    """
    unknown = fields - ALL_FIELDS
    assert not unknown, f"{sorted(unknown)} are not fields of the representation (events/read/fields.py)"
    columns = EVENT_ROW_FIELDS if fields == ALL_FIELDS else row_columns(fields | {"id"})
    chunk: list[Row] = []
    for row in events.values(*columns).iterator(chunk_size=chunk_size):
        chunk.append(row)
        if len(chunk) == chunk_size:
            yield from represent_event_rows(
                chunk, language=language, user=user, request=request, fields=fields
            )
            chunk = []
    if chunk:
        yield from represent_event_rows(chunk, language=language, user=user, request=request, fields=fields)


def represent_event_rows(
    rows: Sequence[Mapping[str, Any]],
    *,
    language: str,
    user: Any,
    request: HttpRequest | None = None,
    fields: frozenset[str] = ALL_FIELDS,
) -> list[Row]:
    """Representations of already-read event rows (see ``event_rows``): one more query per embedded
    relation among ``fields`` (four for the whole representation)."""
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    none: dict[int, list[Row]] = defaultdict(list)
    tags = _tags_by_event(ids, language) if "tags" in fields else none
    actors = _actors_by_event(ids, language) if "actors" in fields else none
    citations = (
        _citations_by_event(ids, language, cleaned=not can_see_unpublished(user))
        if "citations" in fields
        else none
    )
    related = _related_by_event(ids, language, user) if "related" in fields else none
    link = event_link(request) if "url" in fields else None
    if fields == ALL_FIELDS:
        return [
            _event(row, language, link, tags[row["id"]], actors[row["id"]], citations[row["id"]], related)
            for row in rows
        ]
    names = _in_api_order(fields)
    embedded = _Embedded(language, link, tags, actors, citations, related)
    return [_declared_fields(row, names, embedded) for row in rows]


@lru_cache(maxsize=64)
def _in_api_order(fields: frozenset[str]) -> tuple[str, ...]:
    return tuple(name for name in FIELD_COLUMNS if name in fields and name != "id")


# --- Shapes ----------------------------------------------------------------------------------------


def _event(
    row: Mapping[str, Any],
    language: str,
    link: str | None,
    tags: list[Row],
    actors: list[Row],
    citations: list[Row],
    related: Mapping[int, list[Row]],
) -> Row:
    event_id = row["id"]
    representation: Row = {"id": event_id, "slug": row["slug"]}
    if link is not None:
        representation["url"] = f"{link}{event_id}/"
    location = _location(row, language)
    representation.update(
        {
            "title": localized_value(row, "title", language),
            "summary": localized_value(row, "summary", language),
            "date": row["date"] or None,
            "date_start": day_bound(row["date_start"]),
            "date_end": day_bound(row["date_end"]),
            "date_precision": row["date_precision"] or None,
            "date_display": date_display(row["date"], language),
            "type": row["type"],
            "status": row["status"],
            "location": location,
            "tags": tags,
            "actors": actors,
            "citations": citations,
            "related": related.get(event_id, []),
            "created_at": timestamp(row["created_at"]),
            "updated_at": timestamp(row["updated_at"]),
        }
    )
    return representation


class _Embedded(NamedTuple):
    """What ``represent_event_rows`` read besides the rows: the link prefix and the embedded relations."""

    language: str
    link: str | None
    tags: Mapping[int, list[Row]]
    actors: Mapping[int, list[Row]]
    citations: Mapping[int, list[Row]]
    related: Mapping[int, list[Row]]


_ABSENT = object()  # a field left out of this representation (``url`` without a request)

# How each declared field is built from its row, for callers that name their fields: the same values
# ``_event`` writes in one go for the whole representation (a test compares them).
_BUILDERS: dict[str, Callable[[Mapping[str, Any], _Embedded], Any]] = {
    "slug": lambda row, e: row["slug"],
    "url": lambda row, e: _ABSENT if e.link is None else f"{e.link}{row['id']}/",
    "title": lambda row, e: localized_value(row, "title", e.language),
    "summary": lambda row, e: localized_value(row, "summary", e.language),
    "date": lambda row, e: row["date"] or None,
    "date_start": lambda row, e: day_bound(row["date_start"]),
    "date_end": lambda row, e: day_bound(row["date_end"]),
    "date_precision": lambda row, e: row["date_precision"] or None,
    "date_display": lambda row, e: date_display(row["date"], e.language),
    "type": lambda row, e: row["type"],
    "status": lambda row, e: row["status"],
    "location": lambda row, e: _location(row, e.language),
    "tags": lambda row, e: e.tags[row["id"]],
    "actors": lambda row, e: e.actors[row["id"]],
    "citations": lambda row, e: e.citations[row["id"]],
    "related": lambda row, e: e.related.get(row["id"], []),
    "created_at": lambda row, e: timestamp(row["created_at"]),
    "updated_at": lambda row, e: timestamp(row["updated_at"]),
}
assert set(_BUILDERS) | {"id"} == set(FIELD_COLUMNS), (
    "every field declared in events/read/fields.py needs a builder in events.presentation._BUILDERS "
    f"(and no other): {sorted(set(_BUILDERS) ^ (set(FIELD_COLUMNS) - {'id'}))}"
)


def _declared_fields(row: Mapping[str, Any], names: tuple[str, ...], embedded: _Embedded) -> Row:
    """The fields of one event that a caller declared, each built as ``_event`` builds it."""
    representation: Row = {"id": row["id"]}
    for name in names:
        value = _BUILDERS[name](row, embedded)
        if value is not _ABSENT:
            representation[name] = value
    return representation


def _location(row: Mapping[str, Any], language: str) -> Row | None:
    if row["location_id"] is None:
        return None
    return {
        "id": row["location_id"],
        "slug": row["location__slug"],
        "name": localized_choice(row["location__name_en"], row["location__name_zh"], None, language),
    }


def day_bound(day: dt.date | None) -> str | None:
    """A stored date bound as an ISO day; None when undated or when the bound is open."""
    if day is None or day in (OPEN_START, OPEN_END):
        return None
    return day.isoformat()


def timestamp(moment: dt.datetime) -> str:
    """A stored moment as the API writes it: ISO 8601 in UTC with a ``Z``, as DRF does."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def event_link(request: HttpRequest | None) -> str | None:
    return None if request is None else events_address(request)


def events_address(request: HttpRequest) -> str:
    """The prefix of every event's ``url``: the list's address, /api/v1/events/<id>/ being an event's.
    Built from the path alone, so query parameters of the request (format, lang) never leak into
    records' links."""
    return request.build_absolute_uri(
        _event_list_path(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    )


@lru_cache(maxsize=64)
def _event_list_path(script_prefix: str, urlconf: str) -> str:
    """The list's path under a script prefix and URL configuration. ``reverse`` walks the resolver's
    namespaces on every call (about 50 µs, 5% of an event's detail); the path changes with nothing else."""
    return reverse("api:event-list", urlconf=urlconf)


def _brief(record_id: int, slug: str, english: str, chinese: str, language: str) -> Row:
    return {
        "id": record_id,
        "slug": slug,
        "name": localized_choice(english, chinese, None, language),
    }


# --- Embedded relations, one query each ------------------------------------------------------------


_TAGS = PreparedQuery(
    "tags",
    lambda ids: (
        Event.tags.through.objects.filter(event_id__in=ids)
        .order_by("tag__slug")
        .values_list("event_id", "tag_id", "tag__slug", "tag__name_en", "tag__name_zh")
    ),
)


def _tags_by_event(ids: list[int], language: str) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = defaultdict(list)
    for event_id, tag_id, slug, english, chinese in _TAGS.rows(ids):
        grouped[event_id].append(_brief(tag_id, slug, english, chinese, language))
    return grouped


def _participations(ids: list[int]) -> QuerySet[Any]:
    """The actors of the events ``ids`` with their roles; the actors limited to those taking part, for
    the reason given at ``_citations``."""
    taking_part = Participation.objects.filter(event_id__in=ids).values("actor_id")
    return (
        Participation.objects.filter(event_id__in=ids, actor_id__in=taking_part)
        .order_by("id")
        .values_list("event_id", "actor__slug", "actor__name_en", "actor__name_zh", "actor__kind", "role")
    )


_ACTORS = PreparedQuery("actors", _participations)


def _actors_by_event(ids: list[int], language: str) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = defaultdict(list)
    for event_id, slug, english, chinese, kind, role in _ACTORS.rows(ids):
        name = localized_choice(english, chinese, None, language)
        grouped[event_id].append({"slug": slug, "name": name, "kind": kind, "role": role})
    return grouped


def _citations(ids: list[int]) -> QuerySet[Any]:
    """The citations of the events ``ids`` with their sources and publishers.

    The sources are also limited to those the citations name (a semi-join on the same index): without
    it PostgreSQL hashes every source for each batch (30,000 at 100k events, 109 ms a batch of 500)
    where looking each one up by its key takes a third of that (see bench/results, "feed plans").
    """
    cited = Citation.objects.filter(event_id__in=ids).values("source_id")
    return (
        Citation.objects.filter(event_id__in=ids, source_id__in=cited)
        .order_by("id")
        .values_list(
            "event_id",
            "quote",
            "source_id",
            "source__title",
            "source__url",
            "source__published",
            "source__publisher_id",
            "source__publisher__slug",
            "source__publisher__name_en",
            "source__publisher__name_zh",
        )
    )


_CITATIONS = PreparedQuery("citations", _citations)


def _citations_by_event(ids: list[int], language: str, *, cleaned: bool) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = defaultdict(list)
    for (
        event_id,
        quote,
        source_id,
        title,
        url,
        published,
        publisher_id,
        publisher_slug,
        publisher_en,
        publisher_zh,
    ) in _CITATIONS.rows(ids):
        publisher = (
            None
            if publisher_id is None
            else _brief(publisher_id, publisher_slug, publisher_en, publisher_zh, language)
        )
        source = {
            "id": source_id,
            "title": title,
            "publisher": publisher,
            "url": url,
            "published": published or None,
        }
        grouped[event_id].append(
            {"source": source, "quote": clean_captured_text(quote) if cleaned else quote}
        )
    return grouped


def _relations(ids: list[int], *, public: bool) -> QuerySet[Any]:
    """The relations of the events ``ids`` either way round; with ``public``, only to published events.

    A UNION of the two directions, each read along its own index: as one ``OR`` PostgreSQL scanned
    every relation and joined every event to find a few dozen (see bench/results, "feed plans").
    """

    def direction(near: str, far: str) -> QuerySet[Any]:
        condition = Q(**{f"{near}_event_id__in": ids})
        if public:
            condition &= Q(**{f"{far}_event__status": Event.Status.PUBLISHED})
        return (
            EventRelation.objects.filter(condition)
            .order_by()  # not the model's ordering, which would join both events again
            .values_list(
                "id",
                "from_event_id",
                "relation",
                "to_event_id",
                *(f"{side}__{field}" for side in ("from_event", "to_event") for field in _OTHER_FIELDS),
            )
        )

    # UNION, not UNION ALL: a relation between two events of the batch is read once.
    return direction("from", "to").union(direction("to", "from")).order_by("id")


_PUBLIC_RELATIONS = PreparedQuery("public_relations", lambda ids: _relations(ids, public=True))
_ALL_RELATIONS = PreparedQuery("relations", lambda ids: _relations(ids, public=False))


def related_events(event_id: int, *, language: str, user: Any) -> list[Row]:
    """One event's related events as its representation lists them to ``user``."""
    return _related_by_event([event_id], language, user).get(event_id, [])


def _related_by_event(ids: list[int], language: str, user: Any) -> dict[int, list[Row]]:
    """Each event's related events, either way round, that ``user`` may see, sorted by the other's date."""
    links = (_ALL_RELATIONS if can_see_unpublished(user) else _PUBLIC_RELATIONS).rows(ids)
    # Every id in ``ids`` is visible to ``user`` (they come from a visible queryset), and the far end of
    # each link was checked above, so each link read is shown from whichever of its ends was asked for.
    wanted = set(ids)
    pairs: dict[int, list[tuple[str, int, Row]]] = defaultdict(list)
    width = len(_OTHER_FIELDS)
    for _relation_id, from_id, relation, to_id, *others in links:
        if from_id in wanted:
            pairs[from_id].append((relation, to_id, dict(zip(_OTHER_FIELDS, others[width:], strict=True))))
        if to_id in wanted:
            inverse = EventRelation.INVERSE[relation]
            pairs[to_id].append((inverse, from_id, dict(zip(_OTHER_FIELDS, others[:width], strict=True))))
    related: dict[int, list[Row]] = {}
    for event_id, entries in pairs.items():
        entries.sort(key=lambda entry: (entry[2]["date_start"] or dt.date.max, entry[1], entry[0]))
        related[event_id] = [
            {"relation": name, "id": other_id, "title": localized_value(other, "title", language)}
            for name, other_id, other in entries
        ]
    return related


_OTHER_FIELDS = ("title_en", "title_zh", "title_zh_hant", "date_start")
