"""Full-text search behind the ``q`` parameter, in English and Chinese, in any script.

Each whitespace-separated term of a query must match somewhere (AND); a term matches when any of its
script and vocabulary variants (:func:`events.scripts.script_variants`: 李強 → 李强, 人工智慧 → 人工智能)
occurs, case-insensitively, in any searched field (OR). Matches through related rows (quotes, actor
names and aliases) are ``id IN (subquery)`` conditions, so results never repeat a row.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from events.models import Actor, ActorAlias, Citation, Event, Participation, Source
from events.scripts import script_variants

EVENT_TEXT_FIELDS = ("title_en", "title_zh", "title_zh_hant", "summary_en", "summary_zh", "summary_zh_hant")
CITATION_TEXT_FIELDS = ("quote", "quote_translation")
ACTOR_NAME_FIELDS = ("name_en", "name_zh")
SOURCE_TEXT_FIELDS = ("title",)


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


def search_events(queryset: QuerySet[Event], query: str) -> QuerySet[Event]:
    for term in search_terms(query):
        queryset = queryset.filter(event_term_q(term))
    return queryset


def search_sources(queryset: QuerySet[Source], query: str) -> QuerySet[Source]:
    for term in search_terms(query):
        queryset = queryset.filter(any_field_contains(SOURCE_TEXT_FIELDS, term))
    return queryset
