"""Scale-out tests run against real services: a PostgreSQL streaming replica and Redis (.ci/run starts both).

A test marked ``scaleout("replica")`` needs ``DATABASE_REPLICA_URLS`` to name a real standby of the
PostgreSQL primary in ``DATABASE_URL``; one marked ``scaleout("redis")`` needs ``REDIS_URL``. Without them
the test is skipped, saying what is missing; with ``REQUIRE_SCALEOUT=1`` (CI) it fails instead.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from tests.scaleout.replica import REPLICA

NEEDS = {
    "replica": (
        "a PostgreSQL streaming replica: set DATABASE_URL to a PostgreSQL primary and DATABASE_REPLICA_URLS "
        "to a standby of it on another server or port (.ci/run starts both)"
    ),
    "redis": "Redis: set REDIS_URL (.ci/run starts a redis-server)",
}


def service_is_there(service: str) -> bool:
    if service == "redis":
        return bool(settings.REDIS_URL)
    primary, replica = settings.DATABASES["default"], settings.DATABASES.get(REPLICA)
    return (
        replica is not None
        and primary["ENGINE"] == "django.db.backends.postgresql"
        and (replica.get("HOST"), replica.get("PORT")) != (primary.get("HOST"), primary.get("PORT"))
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip (or, with REQUIRE_SCALEOUT=1, fail) before any fixture runs when a service is missing."""
    marker = item.get_closest_marker("scaleout")
    if marker is None:
        return
    missing = [NEEDS[service] for service in marker.args if not service_is_there(service)]
    if not missing:
        return
    reason = f"this test needs {' and '.join(missing)}"
    if os.environ.get("REQUIRE_SCALEOUT") == "1":
        pytest.fail(f"{reason}; REQUIRE_SCALEOUT=1 says it must run.", pytrace=False)
    pytest.skip(reason + ".")
