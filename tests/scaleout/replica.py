"""Helpers for the tests against a real streaming replica: wait for replication, pause it, ask the standby."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connections
from django.db.models import QuerySet

REPLICA = "replica_0"
# Generous: a standby on the same machine replays in milliseconds, but CI machines are busy.
REPLICATION_TIMEOUT = 30.0


def wait_until(condition: Callable[[], bool], what: str, timeout: float = REPLICATION_TIMEOUT) -> None:
    """Poll ``condition`` until it holds; fail, naming ``what``, if it still does not after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Waited {timeout:.0f} s for {what}: is the standby streaming from the primary?")
        time.sleep(0.05)


def replicated(queryset: QuerySet) -> bool:
    """Whether the replica has the rows of ``queryset`` yet (its test database may not exist yet either)."""
    try:
        return queryset.using(REPLICA).exists()
    except DatabaseError:
        connections[REPLICA].close()
        return False


def wait_until_replicated(queryset: QuerySet) -> None:
    wait_until(lambda: replicated(queryset), f"the replica to receive {queryset.query}")


def in_recovery(alias: str) -> bool:
    """Whether the server behind ``alias`` is a standby replaying the primary's WAL."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return cursor.fetchone()[0]


@contextmanager
def replay_paused() -> Iterator[None]:
    """The replica applies nothing the primary writes inside the block; it catches up afterwards."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
