"""Shared pytest fixtures."""

import os

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


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()
