"""Backing services failing: PostgreSQL unreachable is a 503 with Retry-After (API and pages), a body the
client cut short is a 400, and Redis down is a cache miss logged once, with throttling failing open."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.db import OperationalError
from django.test import Client
from rest_framework.test import APIClient

from tests.test_settings import PRODUCTION, start_django

pytestmark = pytest.mark.django_db


def unreachable(*args, **kwargs):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


def test_a_database_outage_in_an_api_view_is_a_503_with_retry_after(monkeypatch, caplog):
    monkeypatch.setattr("events.api.views.EventViewSet.get_queryset", unreachable)
    monkeypatch.setattr("events.api.fast.event_list", unreachable)  # the thin path hands it to DRF
    response = APIClient().get("/api/v1/events/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "service_unavailable"
    assert not [record for record in caplog.records if record.exc_info]


def test_a_database_outage_on_a_page_is_a_503_with_retry_after(monkeypatch):
    monkeypatch.setattr("web.views.render", unreachable)
    response = Client().get("/")
    assert response.status_code == 503 and int(response["Retry-After"]) > 0


def test_a_database_outage_before_any_view_is_a_503_too(monkeypatch):
    """A signed-in session is read by a middleware, before any view: handler500 answers it."""
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a-session-the-database-cannot-be-asked-about"
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", unreachable)
    response = client.get("/api/v1/tags/")
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "service_unavailable"


class CutShort(io.BytesIO):
    """A request body whose client stopped sending: gunicorn raises NoMoreData, an OSError."""

    def read(self, *args, **kwargs):
        raise OSError('No more data after: b\'{"slug": "wa\'')

    readline = read


def test_a_body_the_client_cut_short_is_a_400_without_a_traceback(curator_client, caplog):
    with caplog.at_level(logging.INFO):
        response = curator_client.generic(
            "POST",
            "/api/v1/tags/",
            b"",
            content_type="application/json",
            **{"wsgi.input": CutShort(), "CONTENT_LENGTH": "40"},
        )
    assert response.status_code == 400
    assert "ended before" in response.json()["error"]["message"]
    assert not [record for record in caplog.records if record.exc_info]


REDIS_DOWN = """
import json, logging, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
client = Client(REMOTE_ADDR="203.0.113.7")
print(json.dumps([client.get("/api/v1/tags/").status_code for _ in range(20)]))
"""


def test_with_redis_down_reads_fail_open_and_the_log_gets_one_line_not_a_traceback_per_call():
    result = start_django(
        {
            **PRODUCTION,
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": "sqlite:///:memory:",
            "REDIS_URL": "redis://127.0.0.1:1/14",  # nothing listens there
            "API_ANON_THROTTLE_RATE": "5/minute",
        },
        REDIS_DOWN,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    # Fail open, as the README says: throttle counts live in Redis, and reads go on without them.
    assert json.loads(result.stdout.splitlines()[-1]) == [200] * 20
    assert "Traceback" not in result.stderr
    cache_lines = [line for line in result.stderr.splitlines() if "Exception ignored" in line]
    assert len(cache_lines) == 1 and "not logged again" in cache_lines[0]
