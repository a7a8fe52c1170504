"""Event reads: what a user may see, with everything the API's event representation renders prefetched."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from events.models import Citation, Event, EventRelation, Participation, Tag


def event_prefetches(*, user: Any) -> list[Prefetch]:
    """The prefetches of one event representation: a fixed number of queries for any number of events.

    Related events are filtered by the same visibility rule as events themselves, so a draft never
    shows through another event's ``related`` list.
    """
    visible = Event.objects.visible_to(user)
    return [
        Prefetch("tags", queryset=Tag.objects.order_by("slug")),
        Prefetch("participations", queryset=Participation.objects.select_related("actor").order_by("id")),
        Prefetch(
            "citations",
            # A source's captured texts can be long, and the representation does not show them.
            queryset=Citation.objects.select_related("source__publisher")
            .defer("source__text", "source__text_clean")
            .order_by("id"),
        ),
        # Ordered by id, not by the model's default ordering (which joins both events): the serializer
        # sorts related events itself.
        Prefetch(
            "relations_out",
            queryset=EventRelation.objects.filter(to_event__in=visible)
            .select_related("to_event")
            .order_by("id"),
        ),
        Prefetch(
            "relations_in",
            queryset=EventRelation.objects.filter(from_event__in=visible)
            .select_related("from_event")
            .order_by("id"),
        ),
    ]


def event_list(*, user: Any) -> QuerySet[Event]:
    """The events ``user`` may see (Event.objects.visible_to), in date order, ready to serialize."""
    return (
        Event.objects.visible_to(user)
        .select_related("location")
        .prefetch_related(*event_prefetches(user=user))
        .in_date_order()
    )
