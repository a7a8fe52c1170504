"""The public generation: a token in the shared cache that every committed public change replaces.

Anonymous answers are cached under it (events/api/cache_middleware.py), so a hit knows it is current
from one cache read, without asking the database. The rules, and why:

* **Bumped after commit.** Every write the public may see leaves a django-simple-history row (events,
  actors, aliases, sources, citations, tags and an event's tag links, locations, relations,
  participations: the rows the change feed reads), so one receiver of ``post_create_historical_record``
  sees them all; it registers one ``transaction.on_commit`` per transaction, which starts a new
  generation. Bulk loads that write history rows in SQL (events/services/history.py) call
  :func:`public_change_committing` themselves. Rows of events never published (drafts) move nothing.
* **Read before the answer is computed.** A reader takes the generation first, then reads the data. A
  change's bump comes after its commit, so whoever sees the new generation reads (on the primary) data
  that already holds the change; an answer computed before the bump is stored under the old generation,
  which nobody reads any more.
* **Replicas.** A replica may lag: a worker reading one must not store an older body under a newer
  generation. A generation started on PostgreSQL carries the primary's WAL insert position after the
  commit (``pg_current_wal_insert_lsn()``: with ``synchronous_commit=off`` the write position may still
  be before the commit record). A miss on a replica asks, before it reads the data, whether the replica
  has replayed that far (``pg_last_wal_replay_lsn()``, :func:`replica_has_replayed`); only then is its
  answer kept. Asked after the data, a replica that caught up in between would vouch for an older body.
* **Safety net: the change feed's settle logic.** A bump can be lost (a worker killed between commit and
  callback, Redis unreachable at that instant). Each generation says when it started (``stamp``); a miss
  reads the newest public change (``latest_public_change_at``). A change dated after the generation's
  start that is settled (committed for sure, events/selectors/changes.py) had no bump: the miss starts a
  new generation instead of storing. One that is not settled yet may still be committing: the answer is
  not stored (its bump is probably on its way).
* **Never reused.** A lost cache (Redis flushed or restarted) starts again at a new random token, never an
  old one, so no entry stored before the loss can be reached again.
"""

from __future__ import annotations

import functools
import secrets
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

GENERATION_KEY = "public:generation"
# History tables whose rows belong to events: they change what the public sees only if the event is (or
# was) published.
_EVENT_OWNED = {
    "historicalevent": "id",
    "historicalparticipation": "event_id",
    "historicalcitation": "event_id",
}
_RELATION = "historicaleventrelation"


class Generation(NamedTuple):
    """The current generation: its token (part of every key), when it started (seconds since the epoch,
    the application's clock, like history dates) and the primary's WAL position then (PostgreSQL)."""

    token: str
    stamp: float
    lsn: str | None


def current_generation(value: Any = None) -> Generation:
    """The generation now: one cache read (a new one is started if the cache has none). ``value``: the
    cache's value for :data:`GENERATION_KEY`, when the caller has just read it along with other keys."""
    cache = caches["default"]
    if value is None:
        value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _new_generation(None))  # whoever comes first starts it
        value = cache.get(GENERATION_KEY)
        if value is None:  # the cache does not answer (Redis down): a token nobody else will use
            return _new_generation(None)
    return Generation(*value)


def generation_bump(*, using: str = DEFAULT_DB_ALIAS) -> Generation:
    """Start a new generation (after a public change has committed on database ``using``)."""
    generation = _new_generation(_wal_position(using))
    caches["default"].set(GENERATION_KEY, tuple(generation), None)
    return generation


def _new_generation(lsn: str | None) -> Generation:
    return Generation(secrets.token_hex(8), time.time(), lsn)


def _wal_position(using: str) -> str | None:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        (lsn,) = cursor.fetchone()
    return str(lsn)


def replica_has_replayed(alias: str, generation: Generation) -> bool:
    """Whether the standby behind ``alias`` has replayed everything committed before ``generation``."""
    connection = connections[alias]
    if generation.lsn is None or connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(pg_last_wal_replay_lsn() >= %s::pg_lsn, TRUE)",  # NULL: not a standby
            [generation.lsn],
        )
        (replayed,) = cursor.fetchone()
    return bool(replayed)


# --- Hooks --------------------------------------------------------------------------------------


def public_change_committing(*, using: str = DEFAULT_DB_ALIAS, event_ids: set[int] | None = None) -> None:
    """Start a new generation once the current transaction on ``using`` commits (at once outside one).

    ``event_ids``: the change belongs to these events only, and moves the public's answers only if one
    of them is or was published (checked once, after commit). None: it is public in any case.
    """
    connection = connections[using]
    pending: dict[str, Any] = connection.__dict__.setdefault(
        "_public_changes", {"any": False, "events": set()}
    )
    if event_ids is None:
        pending["any"] = True
    else:
        pending["events"] |= event_ids
    already = any(
        getattr(entry[1], "func", None) is _after_commit  # (savepoint ids, callback, robust)
        for entry in connection.run_on_commit
    )
    if not already:
        after_commit(functools.partial(_after_commit, using), using)


def after_commit(callback: Callable[[], None], using: str) -> None:
    """Run ``callback`` once the transaction commits (the tests' fixtures replace this: their
    transactions never commit)."""
    transaction.on_commit(callback, using=using, robust=True)


def _after_commit(using: str) -> None:
    connection = connections[using]
    pending = connection.__dict__.pop("_public_changes", None)
    if pending is None:
        return
    if pending["any"] or (pending["events"] and _any_once_published(using, pending["events"])):
        generation_bump(using=using)


def _any_once_published(using: str, event_ids: set[int]) -> bool:
    from events.models import Event

    history = Event.history.model  # type: ignore[attr-defined]
    published = history.objects.using(using).filter(id__in=event_ids, status=Event.Status.PUBLISHED)
    return bool(published.exists())


@receiver(post_create_historical_record, dispatch_uid="events.public_generation")
def _history_row_written(sender: Any, history_instance: Any, using: str | None = None, **_: Any) -> None:
    """Every history row of the record: a change the public may see, unless it belongs to a draft."""
    if sender._meta.app_label != "events":
        return
    alias = using or router.db_for_write(sender)
    name = sender._meta.model_name
    if name in _EVENT_OWNED:
        event_id = getattr(history_instance, _EVENT_OWNED[name])
        public_now = name == "historicalevent" and history_instance.status == "published"
        public_change_committing(using=alias, event_ids=None if public_now else {event_id})
    elif name == _RELATION:
        ids = {history_instance.from_event_id, history_instance.to_event_id}
        public_change_committing(using=alias, event_ids=ids)
    else:
        public_change_committing(using=alias)
