"""A request is the public's read only when it is a GET or HEAD with neither a token nor a session."""

from __future__ import annotations

from django.conf import settings
from django.test import RequestFactory

from timeline.credentials import bears_token, credential_free_read, has_session_cookie

factory = RequestFactory()


def test_plain_reads_are_the_publics_whatever_other_cookies_they_carry() -> None:
    assert credential_free_read(factory.get("/api/v1/events/"))
    assert credential_free_read(factory.head("/api/v1/events/"))
    request = factory.get("/api/v1/events/")
    request.COOKIES["django_language"] = "zh-hans"
    assert credential_free_read(request)


def test_a_token_a_session_or_a_write_is_not_the_publics_read() -> None:
    with_token = factory.get("/api/v1/events/", HTTP_AUTHORIZATION="Token abc")
    assert bears_token(with_token) and not credential_free_read(with_token)
    with_session = factory.get("/api/v1/events/")
    with_session.COOKIES[settings.SESSION_COOKIE_NAME] = "anything"
    assert has_session_cookie(with_session) and not credential_free_read(with_session)
    assert not credential_free_read(factory.post("/api/v1/events/"))
    assert not credential_free_read(factory.options("/api/v1/events/"))
