"""Attributing writes to the curator who ran them, in the record's history, outside a web request too."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from simple_history.models import HistoricalRecords


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Every history entry written inside the block names ``user``.

    django-simple-history takes the user from the request its middleware saw; a command, a Celery task
    or an API call authenticated by token has none (or an anonymous one), so the block stands in a
    request that carries the acting user, and puts back whatever was there.
    """
    context = HistoricalRecords.context
    missing = object()
    previous = getattr(context, "request", missing)
    context.request = SimpleNamespace(user=user) if user is not None else None
    try:
        yield
    finally:
        if previous is missing:
            del context.request
        else:
            context.request = previous
