"""Shared pytest fixtures."""

import os
from typing import Any

import pytest
from rest_framework.test import APIClient


def pytest_report_header(config: pytest.Config) -> str:
    """Name the database the suite runs on, so a CI log says which one each run used."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    vendor = database["ENGINE"].rsplit(".", 1)[-1]
    origin = "from DATABASE_URL" if os.environ.get("DATABASE_URL") else "the default, DATABASE_URL unset"
    where = "in memory" if vendor == "sqlite3" else f"on {database['HOST']}:{database['PORT']}"
    return f"database: {vendor} ({origin}); tests use a throwaway test database {where}"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Throttle counts live in the cache: each test starts with none, so no test is throttled by others."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _public_changes_bump_inside_test_transactions(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``django_db`` test runs inside a transaction that never commits, so ``on_commit`` never runs:
    there a public change starts a new generation when it is written (nothing reads in between)."""
    from django.db import connections

    from events import public_generation

    real = public_generation.after_commit

    def after_commit(callback: Any, using: str) -> None:
        blocks = connections[using].atomic_blocks
        if blocks and getattr(blocks[0], "_from_testcase", False):
            callback()
        else:
            real(callback, using)

    monkeypatch.setattr(public_generation, "after_commit", after_commit)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()
