"""Hot read queries as server-side prepared statements on PostgreSQL: planned once per connection.

The queries every API request runs have a fixed shape (the newest public change; the tags, actors,
citations and relations of a page of events). PostgreSQL spends longer planning them than running them
(about a millisecond to plan the nine-table change stamp, a tenth of that to run it), so on PostgreSQL
each is sent once per connection as ``PREPARE`` and afterwards as ``EXECUTE``, with the same SQL the ORM
wrote. Elsewhere (SQLite), and behind a transaction-mode pooler (``DISABLE_SERVER_SIDE_CURSORS``, where
consecutive statements may reach different server sessions), the SQL is simply run.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

_PLACEHOLDER = re.compile(r"%s")


def prepared_rows(
    connection: BaseDatabaseWrapper, name: str, sql: str, params: list[Any] | tuple[Any, ...]
) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` (with ``%s`` placeholders, as the ORM compiles it) for ``params``."""
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
    state: tuple[Any, set[str], set[str]] | None = connection.__dict__.get("_prepared_statements")
    if state is None or state[0] is not raw:
        state = (raw, set(), set())
        connection.__dict__["_prepared_statements"] = state
    prepared, uncertain = state[1], state[2]
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
