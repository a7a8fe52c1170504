"""Event reads: which events a user may see, in the list's order; events.presentation renders them."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db.models import QuerySet

from events.models import Event, can_see_unpublished


def event_list(*, user: Any) -> QuerySet[Event]:
    """The events ``user`` may see (Event.objects.visible_to), in date order.

    Nothing is prefetched: the representation is read set-wise from ``values()`` rows by
    events.presentation, a fixed number of queries per page whatever its size.
    """
    if can_see_unpublished(user):
        return Event.objects.visible_to(user).in_date_order()
    # Whoever is not a curator sees what the public sees, and every anonymous read starts here: a copy
    # of the public's queryset, built once per process (the copy is the caller's to filter or run; the
    # original is never run).
    return _public_events().all()


@cache
def _public_events() -> QuerySet[Event]:
    return Event.objects.visible_to(None).in_date_order()
