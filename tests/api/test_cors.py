"""CORS: origins on the allow-list (CORS_ALLOWED_ORIGINS, from the environment) may call the API from a
browser, read its validators and send them back; other origins get no CORS permission."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from tests import factories

ALLOWED = "https://app.example.org"
OTHER = "https://evil.example.net"
EVENTS = "/api/v1/events/"
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("allow_list")]


@pytest.fixture
def allow_list() -> object:
    with override_settings(CORS_ALLOWED_ORIGINS=[ALLOWED]):
        yield


def header_set(value: str) -> set[str]:
    return {item.strip().lower() for item in value.split(",")}


def test_an_allowed_origin_may_read_the_answer_and_its_validators(api_client: APIClient) -> None:
    factories.EventFactory()
    answer = api_client.get(EVENTS, HTTP_ORIGIN=ALLOWED)

    assert answer.status_code == 200
    assert answer["Access-Control-Allow-Origin"] == ALLOWED
    assert {"etag", "last-modified"} <= header_set(answer["Access-Control-Expose-Headers"])
    assert "origin" in header_set(answer["Vary"])


def test_another_origin_gets_no_cors_permission(api_client: APIClient) -> None:
    answer = api_client.get(EVENTS, HTTP_ORIGIN=OTHER)

    assert answer.status_code == 200  # the server answers; the browser withholds it from the page
    assert "Access-Control-Allow-Origin" not in answer


def test_a_preflight_allows_conditional_writes_from_an_allowed_origin(api_client: APIClient) -> None:
    answer = api_client.options(
        f"{EVENTS}1/",
        HTTP_ORIGIN=ALLOWED,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, if-match",
    )

    assert answer.status_code == 200
    assert answer["Access-Control-Allow-Origin"] == ALLOWED
    assert {"if-match", "if-none-match", "authorization"} <= header_set(
        answer["Access-Control-Allow-Headers"]
    )
    assert "PATCH" in answer["Access-Control-Allow-Methods"]


def test_a_preflight_from_another_origin_is_not_allowed(api_client: APIClient) -> None:
    answer = api_client.options(EVENTS, HTTP_ORIGIN=OTHER, HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH")
    assert "Access-Control-Allow-Origin" not in answer


def test_a_304_keeps_the_cors_headers(api_client: APIClient) -> None:
    """Browsers check CORS on a 304 too; without the headers the cached copy could not be used."""
    etag = api_client.get(EVENTS, HTTP_ORIGIN=ALLOWED)["ETag"]
    answer = api_client.get(EVENTS, HTTP_ORIGIN=ALLOWED, HTTP_IF_NONE_MATCH=etag)

    assert answer.status_code == 304
    assert answer["Access-Control-Allow-Origin"] == ALLOWED


def test_only_the_api_speaks_cors(api_client: APIClient) -> None:
    answer = api_client.get("/admin/login/", HTTP_ORIGIN=ALLOWED)
    assert "Access-Control-Allow-Origin" not in answer


PREFLIGHT = """
import django, json
django.setup()
from django.test import Client
answer = Client().options(
    "/api/v1/events/", HTTP_ORIGIN=ORIGIN, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
)
print(json.dumps(answer.headers.get("Access-Control-Allow-Origin")))
"""


@pytest.mark.parametrize(("origin", "allowed"), [(ALLOWED, True), (OTHER, False)])
def test_the_allow_list_comes_from_the_environment(origin: str, allowed: bool) -> None:
    """A fresh process configured only by its environment, as a deployment is."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "timeline.settings",
        "DJANGO_DEBUG": "1",
        "CORS_ALLOWED_ORIGINS": f"https://other.example.org, {ALLOWED}",
    }
    started = subprocess.run(
        [sys.executable, "-c", f"ORIGIN = {origin!r}\n{PREFLIGHT}"],
        env=environment,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert started.returncode == 0, started.stderr
    assert json.loads(started.stdout.strip().splitlines()[-1]) == (origin if allowed else None)
