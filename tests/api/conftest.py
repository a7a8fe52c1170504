"""Fixtures for the API tests: clients for anonymous users and curators, and helpers to read answers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory, curator


@pytest.fixture
def curator_user(db: Any) -> Any:
    return curator()


@pytest.fixture
def curator_client(curator_user: Any) -> APIClient:
    """A client that authenticates as a curator by token, as scripts do."""
    client = APIClient()
    token = Token.objects.create(user=curator_user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def reader_client(db: Any) -> APIClient:
    """A signed-in user who is not a curator."""
    client = APIClient()
    token = Token.objects.create(user=UserFactory(username="reader"))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def connection_kept_open() -> Iterator[None]:
    """For tests that call a WSGI application (Django's handler, the cache front) directly.

    Django closes the database connection around each request its WSGI handler serves, which would end
    the test's transaction (on PostgreSQL); its own test client keeps the connection open the same way.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def result_slugs(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def error_of(response: Any, status: int) -> dict[str, Any]:
    """The error object of a response, checking the one error shape on the way."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"status", "code", "message", "fields"}, body
    assert body["error"]["status"] == status
    return body["error"]
