"""Read replicas: which database a read goes to, decided once per request.

It lives in ``timeline/`` beside the settings because it is about the deployment's databases and covers
every app (auth, sessions, events), not about the record itself.

The rules, and why:

* **Writes, migrations and transactions use the primary** (``default``). Inside ``transaction.atomic``
  reads use it too, so a service that reads, checks and writes sees one consistent database.
* **Replicas are opt-in per request.** :class:`ReadReplicaMiddleware` sends the reads of an anonymous
  ``GET``/``HEAD``/``OPTIONS`` request to one replica chosen at random, the same one for the whole request,
  so that a page, its count and its validators come from one database (replicas lag by different amounts).
  Code outside a request (commands, the shell, tasks) reads the primary: it often reads what it just wrote.
* **Anyone who may write reads the primary for the whole request**, so curators read their own writes at
  once. The middleware decides before the view runs, and DRF authenticates tokens only inside the view, so
  the rule is about credentials, not permissions: a request with an ``Authorization`` header, with a
  signed-in session, or with an unsafe method reads the primary. Signed-in users who are not curators are
  few and pay a primary read; a stale or forged session cookie costs one session lookup, then the replica.
* **Identity is always read from the primary** (users, groups, permissions, sessions, tokens), so a new
  login or token works at once, whatever the replicas' lag.
* **A replica that does not answer is left out** for ``REPLICA_RETRY_SECONDS``: a view whose replica
  refuses or breaks the connection runs again reading the primary (a safe request, so running it twice
  changes nothing; logged as a warning). Readers get an answer from the primary rather than a 500, and a
  standby that comes back is used again after the pause.
* **A streamed answer keeps the request's database while it is sent** (the ics, csv and ndjson feeds
  query as the server sends the body, after the view returned), so its rows come from where its ETag did.
* **A view may insist on the primary** with ``reads_from_primary = True`` on its class (the change feed
  does: its settle window reasons about the primary's commit order).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase

from timeline.credentials import bears_token, has_session_cookie

# Apps whose rows decide who the user is: read from the primary, always.
IDENTITY_APPS = frozenset({"auth", "sessions", "authtoken"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

logger = logging.getLogger(__name__)

# How long a replica that failed is left out before it is tried again (per process).
REPLICA_RETRY_SECONDS = 5.0
_replica_down_until: dict[str, float] = {}

# The database this request reads from; None outside a request that chose one (then: the primary).
_read_database: ContextVar[str | None] = ContextVar("read_database", default=None)


def replica_aliases() -> list[str]:
    """The configured replicas' aliases (``replica_0``, ...), from ``DATABASE_REPLICA_URLS``."""
    return list(settings.DATABASE_REPLICAS)


def current_read_database() -> str:
    """Where a read in the current context goes, outside transactions: a replica's alias or ``default``."""
    return _read_database.get() or DEFAULT_DB_ALIAS


@contextmanager
def reads_from(alias: str) -> Iterator[None]:
    """Send the reads made inside the block to ``alias`` (unless they are inside a transaction)."""
    token = _read_database.set(alias)
    try:
        yield
    finally:
        _read_database.reset(token)


def reading_from(alias: str, chunks: Iterable[Any]) -> Iterator[Any]:
    """``chunks``, each produced with its reads sent to ``alias``."""
    iterator = iter(chunks)
    while True:
        with reads_from(alias):
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


class ReplicaRouter:
    """Database router: reads where the current request chose, everything else on the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if model._meta.app_label in IDENTITY_APPS or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return current_read_database()

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        # Replicas hold the primary's rows: an object read from one may be linked to one from another.
        known = {DEFAULT_DB_ALIAS, *replica_aliases()}
        return obj1._state.db in known and obj2._state.db in known

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        # Replicas are read-only copies of the primary: they receive its migrations by replication.
        return db == DEFAULT_DB_ALIAS


def request_may_use_replica(request: HttpRequest) -> bool:
    """Whether a request reads from a replica: anonymous, safe, and carrying no credentials."""
    if request.method not in SAFE_METHODS or bears_token(request):
        return False
    if has_session_cookie(request):
        # Only now is the session looked up (on the primary: identity apps never use a replica).
        return not request.user.is_authenticated
    return True


def leave_out(alias: str, error: Exception) -> None:
    """Stop reading ``alias`` for a while: its server refused or broke the connection."""
    _replica_down_until[alias] = time.monotonic() + REPLICA_RETRY_SECONDS
    logger.warning(
        "Database %s is unreachable (%s): anonymous reads go to the primary for %.0f s.",
        alias,
        str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__,
        REPLICA_RETRY_SECONDS,
    )
    with suppress(DatabaseError):  # a broken connection may fail to close; it is dropped all the same
        connections[alias].close()


def answering_replica() -> str:
    """A replica picked at random among those not left out, or the primary if every one is."""
    now = time.monotonic()
    candidates = [alias for alias in replica_aliases() if _replica_down_until.get(alias, 0.0) <= now]
    return random.choice(candidates) if candidates else DEFAULT_DB_ALIAS


def primary_after_replica_failure(exception: Exception) -> bool:
    """If ``exception`` is the current request's replica failing, leave that replica out and read the
    primary for the rest of the request (True: the caller may run its reads again)."""
    alias = current_read_database()
    if (
        alias == DEFAULT_DB_ALIAS
        or not isinstance(exception, (OperationalError, InterfaceError))
        or not connections[alias].errors_occurred
    ):
        return False
    leave_out(alias, exception)
    _read_database.set(DEFAULT_DB_ALIAS)
    return True


class ReadReplicaMiddleware:
    """Chooses the database a request reads from (see the module's docstring); after authentication."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        replicas = replica_aliases()
        use_replica = bool(replicas) and request_may_use_replica(request)
        with reads_from(answering_replica() if use_replica else DEFAULT_DB_ALIAS):
            response = self.get_response(request)
            chosen = current_read_database()  # after process_view, which may have chosen the primary
        if response.streaming and not response.is_async:  # type: ignore[attr-defined]
            # A streamed body (the ics, csv and ndjson feeds) queries as the server sends it, after this
            # block: its reads must go where the request's did, whose validators (ETag) it must match.
            response.streaming_content = reading_from(chosen, response.streaming_content)  # type: ignore[attr-defined]
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> None:
        request._replica_view = (view_func, view_args, view_kwargs)  # type: ignore[attr-defined]
        view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
        if getattr(view_class, "reads_from_primary", False):
            # Undone when __call__ leaves its block: the context variable goes back to its saved token.
            _read_database.set(DEFAULT_DB_ALIAS)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponseBase | None:
        """A replica that failed during a (safe) view: the view runs again, reading the primary."""
        view = getattr(request, "_replica_view", None)
        if view is None or not primary_after_replica_failure(exception):
            return None
        view_func, view_args, view_kwargs = view
        return view_func(request, *view_args, **view_kwargs)
