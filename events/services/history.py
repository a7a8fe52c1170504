"""History services: give records written without history (fixtures, raw loads) their first entry."""

from __future__ import annotations

from collections.abc import Mapping

from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone

from events.public_generation import public_change_committing


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
    if created:
        public_change_committing()  # rows written without history's signal: the public cache moves on
    return created


@transaction.atomic
def history_record_bulk_load(*, first_ids: Mapping[type[models.Model], int], reason: str) -> int:
    """First history entries for the rows a bulk load just wrote (ids from ``first_ids[model]`` on).

    One ``INSERT … SELECT`` per history table, inside the database, so the entries equal the rows by
    construction; many-to-many links of tracked fields (an event's tags) get their history rows too.
    Every entry is dated now, once the rows are written: a bulk load dates its history at the end, as
    the change feed requires (see :mod:`events.selectors.changes`). Returns how many entries were written.
    """
    at = timezone.now()
    quote = connection.ops.quote_name
    created = 0
    with connection.cursor() as cursor:
        for model, first_id in first_ids.items():
            history = getattr(model, "history", None)
            if history is None:
                continue  # an auto-created through table: recorded with its owner, below
            historical = history.model
            columns = ", ".join(quote(field.column) for field in historical.tracked_fields)
            cursor.execute(
                f"INSERT INTO {quote(historical._meta.db_table)} ({columns}, history_date, "
                f"history_change_reason, history_type, history_user_id) "
                f"SELECT {columns}, %s, %s, '+', NULL FROM {quote(model._meta.db_table)} WHERE id >= %s",
                [at, reason, first_id],
            )
            created += cursor.rowcount
            for m2m_field in historical._history_m2m_fields:
                through = m2m_field.remote_field.through
                m2m_history = getattr(historical, m2m_field.name).model
                link_columns = [field.column for field in through._meta.concrete_fields]
                selected = ", ".join("link." + quote(column) for column in link_columns)
                cursor.execute(
                    f"INSERT INTO {quote(m2m_history._meta.db_table)} "
                    f"({', '.join(quote(column) for column in link_columns)}, history_id) "
                    f"SELECT {selected}, entry.history_id "
                    f"FROM {quote(through._meta.db_table)} link "
                    f"JOIN {quote(historical._meta.db_table)} entry "
                    f"ON entry.id = link.{quote(m2m_field.m2m_column_name())} "
                    f"WHERE entry.id >= %s AND entry.history_date = %s AND entry.history_change_reason = %s",
                    [first_id, at, reason],
                )
                created += cursor.rowcount
    public_change_committing()  # rows written in SQL, without history's signal: the public cache moves on
    return created
