"""Which database a request reads from, on one database: the middleware's choice and the router's rules.

These run everywhere (no replica needed): the requests are built with Django's RequestFactory and the
middleware is asked which database it chose. ``tests/scaleout/`` checks the same rules against a real
streaming replica.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import Permission
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.test import Client, RequestFactory, override_settings
from rest_framework.authtoken.models import Token

from events.api.changes import ChangeFeedView
from events.api.views import EventViewSet
from events.models import Event
from tests.factories import UserFactory, curator
from timeline.db_routers import ReadReplicaMiddleware, ReplicaRouter, current_read_database, reads_from

REPLICAS = ["replica_0", "replica_1"]
router = ReplicaRouter()


def database_chosen_for(request: HttpRequest, replicas: list[str] = REPLICAS) -> str:
    """Run ``request`` through the session, authentication and replica middleware; where did it read?"""
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(current_read_database())
        return HttpResponse()

    chain = SessionMiddleware(AuthenticationMiddleware(ReadReplicaMiddleware(view)))  # type: ignore[arg-type]
    with override_settings(DATABASE_REPLICAS=replicas):
        chain(request)
    assert len(seen) == 1
    assert current_read_database() == "default", "the choice must end with the request"
    return seen[0]


def session_cookie_of(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_an_anonymous_read_goes_to_one_of_the_replicas() -> None:
    chosen = {database_chosen_for(RequestFactory().get("/api/v1/events/")) for _ in range(40)}
    # Chosen at random: both replicas serve, and only replicas.
    assert chosen == set(REPLICAS)


@pytest.mark.parametrize("method", ["get", "head", "options"])
def test_every_safe_method_of_an_anonymous_reader_uses_a_replica(method: str) -> None:
    assert database_chosen_for(getattr(RequestFactory(), method)("/api/v1/events/")) in REPLICAS


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_request_reads_the_primary(method: str) -> None:
    assert database_chosen_for(getattr(RequestFactory(), method)("/api/v1/events/")) == "default"


def test_a_request_with_a_token_reads_the_primary(db: Any) -> None:
    # DRF checks the token only inside the view: the header alone decides, before any read.
    token = Token.objects.create(user=curator())
    request = RequestFactory().get("/api/v1/events/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert database_chosen_for(request) == "default"


def test_a_signed_in_curator_reads_the_primary(db: Any) -> None:
    request = RequestFactory().get("/admin/events/event/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = session_cookie_of(curator())
    assert database_chosen_for(request) == "default"


def test_a_stale_session_cookie_still_reads_a_replica(db: Any) -> None:
    request = RequestFactory().get("/api/v1/events/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "no-such-session"
    assert database_chosen_for(request) in REPLICAS


def test_without_replicas_every_request_reads_the_primary() -> None:
    assert database_chosen_for(RequestFactory().get("/api/v1/events/"), replicas=[]) == "default"


def test_the_change_feed_reads_the_primary_even_for_anonymous_readers() -> None:
    middleware = ReadReplicaMiddleware(lambda request: HttpResponse())
    with reads_from("replica_0"):
        middleware.process_view(RequestFactory().get("/api/v1/changes/"), ChangeFeedView.as_view(), (), {})
        assert current_read_database() == "default"
    with reads_from("replica_0"):
        view = EventViewSet.as_view({"get": "list"})
        middleware.process_view(RequestFactory().get("/api/v1/events/"), view, (), {})
        assert current_read_database() == "replica_0"


def test_reads_follow_the_request_and_writes_go_to_the_primary() -> None:
    assert router.db_for_read(Event) == "default"  # outside a request: commands read what they wrote
    with reads_from("replica_1"):
        assert router.db_for_read(Event) == "replica_1"
        assert router.db_for_write(Event) == "default"


@pytest.mark.parametrize("model", [Token, Permission])
def test_identity_is_read_from_the_primary(model: Any) -> None:
    with reads_from("replica_0"):
        assert router.db_for_read(model) == "default"


def test_reads_inside_a_transaction_use_the_primary(db: Any) -> None:
    with reads_from("replica_0"), transaction.atomic():
        assert router.db_for_read(Event) == "default"


def test_migrations_run_on_the_primary_only() -> None:
    assert router.allow_migrate("default", "events")
    assert not router.allow_migrate("replica_0", "events")


def test_objects_from_the_primary_and_a_replica_may_be_related(db: Any) -> None:
    user, other = UserFactory(), UserFactory()
    other._state.db = "replica_0"
    with override_settings(DATABASE_REPLICAS=REPLICAS):
        assert router.allow_relation(user, other)
        other._state.db = "elsewhere"
        assert not router.allow_relation(user, other)


def test_a_streamed_answer_reads_from_the_requests_database_while_it_is_sent() -> None:
    """Streamed feeds (ics, csv, ndjson) query as the server sends the body, after the view has returned:
    those reads must go where the request's did (its ETag came from there), not to the primary."""
    seen: list[str] = []

    def rows() -> Any:
        for number in range(3):
            seen.append(current_read_database())
            yield f"row {number}\n"

    def view(request: HttpRequest) -> StreamingHttpResponse:
        seen.append(current_read_database())
        return StreamingHttpResponse(rows())

    chain = SessionMiddleware(AuthenticationMiddleware(ReadReplicaMiddleware(view)))  # type: ignore[arg-type]
    with override_settings(DATABASE_REPLICAS=["replica_0"]):
        response = chain(RequestFactory().get("/api/v1/feeds/csv/"))
    assert current_read_database() == "default"
    body = b"".join(response.streaming_content)  # as the WSGI server sends it, after the middleware

    assert body == b"row 0\nrow 1\nrow 2\n"
    assert seen == ["replica_0"] * 4
    assert current_read_database() == "default", "the choice must end with each chunk"
