"""Backups: the database as one JSON file (Django's serialisation) and back, ids and history included.

A plain ``dumpdata``/``loaddata`` pair does not round-trip this record: loading an event's tags makes
django-simple-history write a history row of its own, whose id then collides with a restored one
(``events_historicalevent_pkey``) and nothing loads. :func:`backup_restore` therefore loads with history
recording off, into a database that holds no records yet, in one transaction. Production databases
are better backed up with the database's own tool (``pg_dump``, see the README); this pair also works
on SQLite and moves a record between the two.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.commands.loaddata import Command as LoadData
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import DatabaseError, transaction

from events.models import Actor, Event, Location, Source, Tag

# Rebuilt by `migrate` (content types, permissions), or not worth keeping (sessions, login attempts).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]
RECORD_MODELS = (Event, Actor, Source, Tag, Location)
BACKUP_FORMAT = "timeline-backup-json"


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's JSON encoder keeps milliseconds only; a backup keeps every microsecond of a time, so
    that restored rows (updated_at, history dates) and the ETags computed from them are unchanged."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class ExactJSONSerializer(JSONSerializer):
    """dumpdata's JSON with exact times; loaddata reads it as ordinary JSON."""

    def _init_options(self) -> None:
        super()._init_options()  # type: ignore[misc]
        self.json_kwargs["cls"] = ExactJSONEncoder


class BackupRefused(Exception):
    """A restore that would mix data or cannot read its file: nothing was written."""


def backup_write(path: str) -> dict[str, int]:
    """Write every table but the excluded ones to ``path``; return the row count per model."""
    serializers.register_serializer(BACKUP_FORMAT, __name__)
    call_command(
        "dumpdata",
        format=BACKUP_FORMAT,
        natural_foreign=True,
        exclude=EXCLUDED,
        output=path,
        verbosity=0,
    )
    with open_backup(path) as stream:
        return dict(Counter(row["model"] for row in json.load(stream)))


def open_backup(path: str) -> Any:
    """The file, decompressed as its name says (the formats loaddata and dumpdata know)."""
    compressions = LoadData().compression_formats
    opener, mode = compressions.get(Path(path).suffix.lstrip("."), compressions[None])  # type: ignore[misc]
    return opener(path, mode)


def backup_restore(path: str) -> int:
    """Load the backup at ``path`` into this database, which must hold no records; return rows loaded."""
    if not Path(path).is_file():
        raise BackupRefused(f"No backup file at {path}.")
    if any(model.objects.exists() for model in RECORD_MODELS) or get_user_model().objects.exists():
        raise BackupRefused(
            "This database already holds records or users: restore into a fresh one "
            "(a new DATABASE_URL, or delete db.sqlite3), after `manage.py migrate`."
        )
    try:
        with history_recording_paused(), transaction.atomic():
            # `migrate` created the curators group afresh; the backup's own groups replace it.
            Group.objects.all().delete()
            before = count_rows()
            call_command("loaddata", path, verbosity=0)
            return count_rows() - before
    except (CommandError, DatabaseError, serializers.base.DeserializationError, ValueError) as error:
        raise BackupRefused(f"{path} could not be restored, and nothing was written: {error}") from error


@contextmanager
def history_recording_paused() -> Iterator[None]:
    """No history rows written meanwhile: for loading rows that carry their history (or get it after)."""
    enabled = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    settings.SIMPLE_HISTORY_ENABLED = False
    try:
        yield
    finally:
        settings.SIMPLE_HISTORY_ENABLED = enabled


def count_rows() -> int:
    return sum(
        model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"events", "auth", "authtoken", "admin"}
    )


# The module is the serializer `serializers.register_serializer` loads for BACKUP_FORMAT.
Serializer = ExactJSONSerializer
Deserializer = serializers.json.Deserializer
