"""Event reads: which events a user may see, in the list's order; events.presentation renders them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from events.models import Event


def event_list(*, user: Any) -> QuerySet[Event]:
    """The events ``user`` may see (Event.objects.visible_to), in date order.

    Nothing is prefetched: the representation is read set-wise from ``values()`` rows by
    events.presentation, a fixed number of queries per page whatever its size.
    """
    return Event.objects.visible_to(user).in_date_order()
