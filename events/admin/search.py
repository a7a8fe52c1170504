"""Admin search that finds what the API finds: Chinese in either script, the API's ``q``."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import HttpRequest

from events.scripts import script_variants


class ScriptAwareSearchMixin:
    """Search that matches Chinese text in either script: 李強 finds 李强 and the other way round."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        search = super().get_search_results  # type: ignore[misc]
        results, may_have_duplicates = search(request, queryset, search_term)
        for variant in script_variants(search_term)[1:]:
            more, more_duplicates = search(request, queryset, variant)
            results = results | more
            may_have_duplicates = may_have_duplicates or more_duplicates
        return results, may_have_duplicates


class RecordSearchMixin:
    """Search with the API's definition of ``q`` (events.search), so the desk and the API find the same
    rows: every word must match, in any script, in titles, summaries, quotes, names or aliases."""

    record_search: Callable[[QuerySet, str], QuerySet]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        if not search_term.strip():
            return queryset, False
        by_slug = queryset.filter(slug=search_term.strip())
        return type(self).record_search(queryset, search_term) | by_slug, False
