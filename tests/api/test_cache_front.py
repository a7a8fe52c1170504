"""The cached-reads front (events/api/cache_front.py): a hit answered at the WSGI entry is the answer
Django's whole stack gives for the same hit, header by header, and everything else reaches Django."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from events.api import cache_front
from events.api.cache_front import CachedReadsFront
from tests.api.test_caching import age_the_record
from tests.factories import EventFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("connection_kept_open")]

EVENTS = "/api/v1/events/"
ALLOWED = "https://app.example.org"


@pytest.fixture(autouse=True)
def empty_cache_and_no_settle_window() -> Iterator[None]:
    caches["default"].clear()
    with override_settings(
        CHANGE_FEED_SETTLE_SECONDS=0, API_CACHE_SECONDS=600, CORS_ALLOWED_ORIGINS=[ALLOWED]
    ):
        yield
    caches["default"].clear()


@pytest.fixture
def record() -> None:
    EventFactory(slug="waic", title_en="WAIC")
    EventFactory(slug="gaigi", title_en="GAIGI")
    age_the_record()


def environ_of(path: str, method: str = "GET", secure: bool = False, **headers: str) -> dict[str, Any]:
    factory = RequestFactory()
    request = factory.generic(method, path, secure=secure, headers=headers)
    return dict(request.environ)


def call(app: Callable[..., Any], environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    started: list[tuple[str, list[tuple[str, str]]]] = []
    body = app(environ, lambda status, headers: started.append((status, headers)))
    content = b"".join(body)
    if hasattr(body, "close"):
        body.close()
    ((status, headers),) = started
    return status, headers, content


class Recorder:
    """A WSGI app that records what reaches it and answers as Django would."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app, self.calls = app, 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        self.calls += 1
        return self.app(environ, start_response)


@pytest.mark.parametrize(
    "case",
    ["plain", "allowed origin", "other origin", "not modified", "https with HSTS", "chinese page"],
)
def test_a_hit_at_the_front_is_the_stack_s_hit_header_by_header(record, case):
    path, headers, secure = EVENTS + "?limit=1", {}, False
    if case == "allowed origin":
        headers = {"Origin": ALLOWED}
    elif case == "other origin":
        headers = {"Origin": "https://evil.example.net"}
    elif case == "https with HSTS":
        secure = True
    elif case == "chinese page":
        path, headers = EVENTS + "?lang=zh-hans", {"Accept-Language": "zh-CN"}
    with override_settings(SECURE_HSTS_SECONDS=3600 if secure else 0):
        django = WSGIHandler()
        front = CachedReadsFront(Recorder(django))
        filled = call(django, environ_of(path, secure=secure, **headers))
        assert filled[0] == "200 OK"
        if case == "not modified":
            etag = dict(filled[1])["ETag"]
            headers = {"If-None-Match": etag}
        stack_hit = call(django, environ_of(path, secure=secure, **headers))
        started: list[Any] = []
        request_started.connect(receiver := lambda **kwargs: started.append(kwargs))
        try:
            with CaptureQueriesContext(connection) as queries:
                front_hit = call(front, environ_of(path, secure=secure, **headers))
        finally:
            request_started.disconnect(receiver)
    assert front.app.calls == 0 and started == [] and len(queries) == 0  # Django never saw it
    assert front_hit == stack_hit
    status, answer_headers, _body = front_hit
    names = {name.lower(): value for name, value in answer_headers}
    assert status == ("304 Not Modified" if case == "not modified" else "200 OK")
    assert names["x-content-type-options"] == "nosniff" and "content-security-policy" in names
    assert names.get("access-control-allow-origin") == (ALLOWED if case == "allowed origin" else None)
    assert ("strict-transport-security" in names) == secure


def test_a_miss_goes_to_django_which_fills_the_cache_with_the_front_s_lookup(record, monkeypatch):
    lookups: list[str] = []
    real = cache_front.lookup_entry

    def counted(cache: Any, key: str) -> Any:
        lookups.append(key)
        return real(cache, key)

    monkeypatch.setattr(cache_front, "lookup_entry", counted)
    monkeypatch.setattr("events.api.cache_middleware.lookup_entry", counted)
    front = CachedReadsFront(Recorder(WSGIHandler()))
    first = call(front, environ_of(EVENTS))
    assert front.app.calls == 1 and len(lookups) == 1  # one round trip to the cache, not two
    second = call(front, environ_of(EVENTS))
    assert front.app.calls == 1 and second == first


@pytest.mark.parametrize(
    "what",
    [
        "HEAD",
        "a curator's token",
        "a session cookie",
        "a redirect to HTTPS",
        "a CORS preflight",
        "the cache off",
    ],
)
def test_what_the_front_does_not_answer_reaches_django(record, what):
    settings: dict[str, Any] = {}
    method, headers = "GET", {}
    if what == "HEAD":
        method = "HEAD"
    elif what == "a curator's token":
        headers = {"Authorization": "Token abc"}
    elif what == "a session cookie":
        headers = {"Cookie": "sessionid=abc"}
    elif what == "a redirect to HTTPS":
        settings = {"SECURE_SSL_REDIRECT": True}
    elif what == "a CORS preflight":
        method, headers = "OPTIONS", {"Origin": ALLOWED, "Access-Control-Request-Method": "GET"}
    else:
        settings = {"API_CACHE_SECONDS": 0}
    with override_settings(**settings):
        django = WSGIHandler()
        front = CachedReadsFront(Recorder(django))
        call(front, environ_of(EVENTS))  # fills the cache where it can
        calls = front.app.calls
        call(front, environ_of(EVENTS, method=method, **headers))
        assert front.app.calls == calls + 1, what  # Django answered it (a 200, 301, 401, ...)


def test_a_host_not_allowed_gets_django_s_400_and_no_logged_error(record, caplog):
    front = CachedReadsFront(Recorder(WSGIHandler()))
    status, _headers, _body = call(front, environ_of(EVENTS, Host="evil.example.net"))
    assert status.startswith("400") and front.app.calls == 1
    assert not [entry for entry in caplog.records if entry.name == cache_front.__name__]


def test_the_front_stands_aside_when_another_middleware_sits_above_the_cache(record):
    from django.conf import settings

    middleware = list(settings.MIDDLEWARE)
    cache = middleware.pop(middleware.index(cache_front.CACHE_MIDDLEWARE))
    middleware.insert(middleware.index("django.contrib.sessions.middleware.SessionMiddleware") + 1, cache)
    with override_settings(MIDDLEWARE=middleware):
        front = CachedReadsFront(Recorder(WSGIHandler()))
        assert not front.active
        call(front, environ_of(EVENTS))
        call(front, environ_of(EVENTS))
    assert front.app.calls == 2


def test_a_failing_front_leaves_the_answer_to_django(record, monkeypatch):
    def broken(cache: Any, key: str) -> Any:
        raise RuntimeError("the cache client broke")

    monkeypatch.setattr(cache_front, "lookup_entry", broken)
    front = CachedReadsFront(Recorder(WSGIHandler()))
    status, _headers, _body = call(front, environ_of(EVENTS))
    assert status == "200 OK" and front.app.calls == 1


def test_the_served_application_is_the_front_and_it_is_active():
    """gunicorn and runserver serve timeline.wsgi.application: with this project's middleware order the
    front answers hits (a reordering that silently turned it off would fail here)."""
    from timeline.wsgi import application

    assert isinstance(application, CachedReadsFront) and application.active
