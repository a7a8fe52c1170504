"""Actor reads: actors with their aliases and the number of events the reading user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from events.models import Actor, ActorAlias, Event


def actor_list(*, user: Any) -> QuerySet[Actor]:
    """All actors (public reference data), each with ``event_count``: its events visible to ``user``."""
    visible = Event.objects.visible_to(user)
    return Actor.objects.annotate(
        event_count=Count("participations__event", filter=Q(participations__event__in=visible), distinct=True)
    ).prefetch_related(
        Prefetch("aliases", queryset=ActorAlias.objects.order_by("language", "script", "name"))
    )
