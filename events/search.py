"""Full-text search behind the ``q`` parameter, in English and Chinese, in any script.

Each whitespace-separated term of a query must match somewhere (AND); a term matches when any of its
script and vocabulary variants (:func:`events.scripts.script_variants`: 李強 → 李强, 人工智慧 → 人工智能)
occurs, case-insensitively, in any searched field (OR). Matches through related rows (quotes, actor
names and aliases) are ``id IN (subquery)`` conditions, so results never repeat a row.

On PostgreSQL, events are searched through their search document instead (migration 0004: every
searched text of the event, upper-cased, kept by triggers, indexed by pg_trgm and by character pairs).
The texts are joined by a separator no term can hold, so "the document contains the term" is exactly
"some text contains it": the same results as the field-by-field search, which SQLite keeps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Expression, Q, QuerySet
from django.db.models.sql.compiler import SQLCompiler

from events.models import Actor, ActorAlias, Citation, Event, Participation, Source
from events.scripts import script_variants
from events.search_document import document_contains

EVENT_TEXT_FIELDS = ("title_en", "title_zh", "title_zh_hant", "summary_en", "summary_zh", "summary_zh_hant")
CITATION_TEXT_FIELDS = ("quote", "quote_translation")
ACTOR_NAME_FIELDS = ("name_en", "name_zh")
SOURCE_TEXT_FIELDS = ("title",)
# Every text ``q`` searches for an event, as ORM paths from the event (the curation desk's search box
# names them; on PostgreSQL the search document holds the same texts, migration 0004).
EVENT_SEARCHED_TEXTS = (
    *EVENT_TEXT_FIELDS,
    *(f"citations__{field}" for field in CITATION_TEXT_FIELDS),
    *(f"participations__actor__{field}" for field in ACTOR_NAME_FIELDS),
    "participations__actor__aliases__name",
)


def search_terms(query: str) -> list[str]:
    return query.split()


def any_field_contains(fields: Iterable[str], term: str) -> Q:
    """Any of ``fields`` contains any script variant of ``term``."""
    condition = Q()
    for variant in script_variants(term):
        for field in fields:
            condition |= Q(**{f"{field}__icontains": variant})
    return condition


def actor_term_q(term: str) -> Q:
    """Actors whose canonical name or any alias contains the term, in any script."""
    aliases = ActorAlias.objects.filter(any_field_contains(["name"], term)).values("actor_id")
    return any_field_contains(ACTOR_NAME_FIELDS, term) | Q(id__in=aliases)


def search_actors(queryset: QuerySet[Actor], query: str) -> QuerySet[Actor]:
    for term in search_terms(query):
        queryset = queryset.filter(actor_term_q(term))
    return queryset


def event_term_q(term: str) -> Q:
    """Events whose titles, summaries, citation quotes or actors' names and aliases contain the term."""
    citing = Citation.objects.filter(any_field_contains(CITATION_TEXT_FIELDS, term)).values("event_id")
    involving = Participation.objects.filter(actor__in=Actor.objects.filter(actor_term_q(term))).values(
        "event_id"
    )
    return any_field_contains(EVENT_TEXT_FIELDS, term) | Q(id__in=citing) | Q(id__in=involving)


class EventDocumentContains(Expression):
    """PostgreSQL: the event's search document contains one of ``variants``, case-insensitively.

    The document is a column of the event table that is not a model field, so this expression names
    the table's alias itself and follows it when the query becomes a subquery (as a Col does).
    """

    output_field = BooleanField()

    def __init__(self, variants: Sequence[str], alias: str | None = None) -> None:
        super().__init__()
        self.variants = list(variants)
        self.alias = alias

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> EventDocumentContains:
        if self.alias is not None:
            return self  # resolved already: a subquery's conditions are resolved again by its outer query
        assert query is not None and query.model is Event, "the search document is a column of events"
        return EventDocumentContains(self.variants, query.get_initial_alias())

    def relabeled_clone(self, change_map: Mapping[str, str]) -> EventDocumentContains:
        alias = self.alias or ""
        return EventDocumentContains(self.variants, change_map.get(alias, alias))

    def get_group_by_cols(self) -> list[Any]:
        return []

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        params: list[Any] = []

        def placeholder(value: Any) -> str:
            params.append(value)
            return "%s"

        table = compiler.quote_name_unless_alias(self.alias or "")
        return document_contains(table, self.variants, placeholder), params


def search_events(queryset: QuerySet[Event], query: str) -> QuerySet[Event]:
    indexed = connections[queryset.db].vendor == "postgresql"
    for term in search_terms(query):
        condition = EventDocumentContains(script_variants(term)) if indexed else event_term_q(term)
        queryset = queryset.filter(condition)
    return queryset


def search_events_field_by_field(queryset: QuerySet[Event], query: str) -> QuerySet[Event]:
    """The search without the document (SQLite's, and the reference the document is tested against)."""
    for term in search_terms(query):
        queryset = queryset.filter(event_term_q(term))
    return queryset


def search_sources(queryset: QuerySet[Source], query: str) -> QuerySet[Source]:
    for term in search_terms(query):
        queryset = queryset.filter(any_field_contains(SOURCE_TEXT_FIELDS, term))
    return queryset
