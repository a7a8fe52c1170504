"""INTERIM adapter until ``events.presentation`` lands on main: the API's event dicts and language choice.

This is the only module of the feeds and the page that touches ``events.api``; it is replaced by
``events.presentation`` / ``events.languages`` (same signatures) as soon as those exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from events.models import Event


class InvalidLanguage(ValueError):
    """A ``?lang=`` that is not one of en, zh-hans, zh-hant."""


def language_from_request(request: HttpRequest) -> str:
    from events.api.languages import LANGUAGES, language_from_accept_header

    value = request.GET.get("lang")
    if value is not None:
        if value.strip().lower() in LANGUAGES:
            return value.strip().lower()
        raise InvalidLanguage(f"{value!r} is not a language of this API: use en, zh-hans or zh-hant.")
    return language_from_accept_header(request.headers.get("Accept-Language", ""))


def event_representations(
    events: QuerySet[Event], *, language: str, user: Any, request: HttpRequest | None = None
) -> list[dict[str, Any]]:
    from events.api.serializers import EventSerializer

    context = {"language": language, "request": request}
    return [dict(item) for item in EventSerializer(events, many=True, context=context).data]


def iter_event_representations(
    events: QuerySet[Event], *, language: str, user: Any, chunk_size: int = 500
) -> Iterator[dict[str, Any]]:
    ids = list(events.values_list("pk", flat=True))
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        rows = {row.pk: row for row in events.filter(pk__in=chunk)}
        ordered = [rows[pk] for pk in chunk if pk in rows]
        yield from event_representations(ordered, language=language, user=user)  # type: ignore[arg-type]
