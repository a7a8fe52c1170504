"""Hot read queries as server-side prepared statements on PostgreSQL: planned once per connection.

The queries every API request runs have a fixed shape (the newest public change; the tags, actors,
citations and relations of a page of events; its JSON). PostgreSQL spends longer planning them than
running them (about a millisecond to plan the nine-table change stamp, a tenth of that to run it), so on
PostgreSQL each is sent once per connection as ``PREPARE`` and afterwards as ``EXECUTE``, with the same
SQL the ORM wrote, and the session keeps each one's generic plan (``plan_cache_mode``). Elsewhere
(SQLite), and behind a transaction-mode pooler (``DISABLE_SERVER_SIDE_CURSORS``, where consecutive
statements may reach different server sessions), the SQL is simply run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

_PLACEHOLDER = re.compile(r"%s")


@dataclass
class _Session:
    """What one server session (one raw connection) has prepared, and whether its plans are generic."""

    raw: Any
    prepared: set[str] = field(default_factory=set)
    uncertain: set[str] = field(default_factory=set)
    generic: bool = False


def prepared_rows(
    connection: BaseDatabaseWrapper, name: str, sql: str, params: list[Any] | tuple[Any, ...]
) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` (with ``%s`` placeholders, as the ORM compiles it) for ``params``."""
    # The wrapper itself, not ``django.db.connection`` (a proxy with its own __dict__), which would keep
    # a second record of what the session has prepared.
    connection = connections[connection.alias]
    if connection.vendor != "postgresql" or connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    assert "%%" not in sql, "a prepared query may not contain a literal percent sign"
    connection.ensure_connection()
    raw = connection.connection
    # The statements prepared on the current server session, and those whose first use failed (the
    # PREPARE may have succeeded: it outlives the failed EXECUTE and any rollback); a new session
    # (reconnect) starts afresh.
    session: _Session | None = connection.__dict__.get("_prepared_statements")
    if session is None or session.raw is not raw:
        session = connection.__dict__["_prepared_statements"] = _Session(raw)
    prepared, uncertain = session.prepared, session.uncertain
    if name in uncertain:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [name])
            if cursor.fetchone() is not None:
                prepared.add(name)
        uncertain.discard(name)
    arguments = f"({', '.join(['%s'] * len(params))})" if params else ""
    statement = f"EXECUTE {name}{arguments}"
    if name not in prepared:
        counter = iter(range(1, len(params) + 1))
        positional = _PLACEHOLDER.sub(lambda _match: f"${next(counter)}", sql)
        # Prepared and run in one round trip, so the first use costs no extra query.
        statement = f"PREPARE {name} AS {positional}; {statement}"
    if not session.generic:
        # Planned once for good: left to itself PostgreSQL plans a statement again for its values
        # whenever that looks cheaper on paper, and did so for a third of the calls of the page JSON
        # (events/read/json_sql.py), about 4 ms each. These statements' best plans do not depend on
        # their values (ids, a status), so the session keeps the generic plan. Set outside a
        # transaction it holds for the session; inside one, a rollback would undo it, so it is sent
        # again until it is set outside one.
        statement = f"SET plan_cache_mode = force_generic_plan; {statement}"
        session.generic = not connection.in_atomic_block
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            rows = cursor.fetchall()
    except Exception:
        if name not in prepared:
            uncertain.add(name)  # asked about on the next use, in a transaction that is not aborted
        raise
    prepared.add(name)
    return rows
