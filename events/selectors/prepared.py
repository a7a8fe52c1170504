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
    # The statements prepared on the current server session; a new session (reconnect) starts afresh.
    state: tuple[Any, set[str]] | None = connection.__dict__.get("_prepared_statements")
    if state is None or state[0] is not raw:
        state = (raw, set())
        connection.__dict__["_prepared_statements"] = state
    arguments = f"({', '.join(['%s'] * len(params))})" if params else ""
    statement = f"EXECUTE {name}{arguments}"
    if name not in state[1]:
        counter = iter(range(1, len(params) + 1))
        positional = _PLACEHOLDER.sub(lambda _match: f"${next(counter)}", sql)
        # Prepared and run in one round trip, so the first use costs no extra query.
        statement = f"PREPARE {name} AS {positional}; {statement}"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    state[1].add(name)
    return rows
