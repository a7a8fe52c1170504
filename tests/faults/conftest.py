"""Fault tests run the project under gunicorn and break what it stands on: workers, Redis, PostgreSQL.

A test marked ``faults(service, ...)`` needs the services it names:

* ``postgres``: ``DATABASE_URL`` names a PostgreSQL server whose cluster the test may restart, with
  ``FAULTS_PG_DATA`` (its data directory) and ``FAULTS_PG_CTL`` (how to run pg_ctl as the cluster's
  owner, e.g. ``runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl``);
* ``standby``: also ``DATABASE_REPLICA_URLS`` naming a streaming standby and ``FAULTS_STANDBY_DATA``;
* ``redis``: a ``redis-server`` on the PATH (each test starts and stops its own).

Without them the test is skipped, saying what is missing; with ``REQUIRE_FAULTS=1`` (CI) it fails.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

import pytest
from django.conf import settings

NEEDS = {
    "postgres": "a PostgreSQL cluster it may restart: DATABASE_URL, FAULTS_PG_DATA and FAULTS_PG_CTL",
    "standby": "a streaming standby it may stop: DATABASE_REPLICA_URLS and FAULTS_STANDBY_DATA",
    "redis": "redis-server on the PATH",
}


def service_is_there(service: str) -> bool:
    if service == "redis":
        return shutil.which("redis-server") is not None
    on_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    if service == "postgres":
        return (
            on_postgres and bool(os.environ.get("FAULTS_PG_DATA")) and bool(os.environ.get("FAULTS_PG_CTL"))
        )
    return on_postgres and bool(settings.DATABASE_REPLICAS) and bool(os.environ.get("FAULTS_STANDBY_DATA"))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip (or, with REQUIRE_FAULTS=1, fail) before any fixture runs when a service is missing."""
    marker = item.get_closest_marker("faults")
    if marker is None:
        return
    missing = [NEEDS[service] for service in marker.args if not service_is_there(service)]
    if not missing:
        return
    reason = f"this fault test needs {' and '.join(missing)}"
    if os.environ.get("REQUIRE_FAULTS") == "1":
        pytest.fail(f"{reason}; REQUIRE_FAULTS=1 says it must run.", pytrace=False)
    pytest.skip(reason + ".")


SOURCE_TEXT = "The summit opened on 26 July 2025. The ministers signed the declaration. Talks went on late."
QUOTES = ["The summit opened on 26 July 2025.", "The ministers signed the declaration."]
ACTORS = [("li-qiang", "speaker"), ("ursula", "attendee"), ("xinhua", "reporter")]


@dataclass
class Record:
    """What a curator's write needs: a token, three actors, a source whose text holds the quotes."""

    token: str
    source: str

    def event_body(self, n: int, prefix: str = "fault") -> dict[str, object]:
        """A new event with three actors and two citations: what a half-written event would lack."""
        return {
            "slug": f"{prefix}-{n}",
            "title_en": f"Fault test event {n}",
            "date": "2025-07-26",
            "actors": [{"actor": slug, "role": role} for slug, role in ACTORS],
            "citations": [{"source": self.source, "quote": quote} for quote in QUOTES],
        }


@pytest.fixture
def record(transactional_db: None) -> Record:
    from rest_framework.authtoken.models import Token

    from tests.factories import ActorFactory, SourceFactory, curator

    for slug, _role in ACTORS:
        ActorFactory(slug=slug)
    source = SourceFactory(slug="summit-report", text=SOURCE_TEXT)
    return Record(token=Token.objects.create(user=curator()).key, source=source.slug)


def links_by_slug() -> dict[str, tuple[int, int]]:
    """Every event's (actor links, citations), by slug."""
    from django.db.models import Count

    from events.models import Event

    rows = Event.objects.annotate(
        n_actors=Count("participations", distinct=True), n_quotes=Count("citations", distinct=True)
    ).values_list("slug", "n_actors", "n_quotes")
    return {slug: (actors, quotes) for slug, actors, quotes in rows}
