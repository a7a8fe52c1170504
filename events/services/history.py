"""History services: give records written without history (fixtures, raw loads) their first entry."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction


@transaction.atomic
def history_record_missing(*, reason: str) -> int:
    """Create a first history entry for every events record that has none; return how many.

    ``loaddata`` saves raw rows, which django-simple-history does not record; without a first entry
    such records would be missing from the history pages and from the change feed.
    """
    created = 0
    for model in apps.get_app_config("events").get_models():
        history = getattr(model, "history", None)
        if history is None or not hasattr(model, "_meta") or model.__name__.startswith("Historical"):
            continue
        recorded = history.values("id")
        missing = list(model._default_manager.exclude(pk__in=recorded))
        if missing:
            history.bulk_history_create(missing, default_change_reason=reason)
            created += len(missing)
    return created
