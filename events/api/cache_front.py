"""Cached anonymous reads answered at the WSGI entry, before Django handles the request.

A hit through Django's stack costs about 0.12 ms of CPU in-process, of which the cache's own work is a
third. The rest is Django's handler (the request signals, the URL conf, the response's close and its
signal) and the three middlewares above the cache (security headers, static files, CORS). The WSGI
application (timeline/wsgi.py) is wrapped in :class:`CachedReadsFront`, which answers a GET hit with
what the stack would have sent:

* the same lookup, by the cache middleware's own functions (``may_be_cached``,
  ``anonymous_cache_key``, one ``get_many`` for the generation and the entry);
* the same answer or 304 (``answer_from_entry``);
* then the headers the middlewares above the cache add, by their own methods, in the stack's order:
  ``CorsMiddleware.add_response_headers`` and ``SecurityMiddleware.process_response``. WhiteNoise
  serves only files under ``STATIC_URL``, never a cached API path.

Everything else goes to Django unchanged: a miss (with its lookup, so the middleware does not look up
again: ``cache_middleware.LOOKUP``), HEAD, a request the security middleware would redirect to HTTPS, a CORS
preflight, any error. The front works only while the middlewares above the cache are the ones it
stands in for (``STANDS_IN_FOR``); with another order it passes every request to Django.
``tests/api/test_cache_front.py`` compares its answers with the whole stack's, header by header.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from corsheaders.middleware import CorsMiddleware
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponseBase
from django.middleware.security import SecurityMiddleware

from events.api.cache_middleware import (
    CACHE_MIDDLEWARE,
    LOOKUP,
    anonymous_cache_key,
    answer_from_entry,
    lookup_entry,
    may_be_cached,
)
from events.api.caching import cache_seconds

logger = logging.getLogger(__name__)

# The middlewares above the cache middleware, in order, whose work on a hit the front does itself.
STANDS_IN_FOR = (
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
)


def _never_called(request: HttpRequest) -> HttpResponseBase:
    raise AssertionError("the front only borrows these middlewares' response methods")


def stands_in() -> bool:
    """Whether the middlewares above the cache are exactly those the front does the work of."""
    middleware = list(settings.MIDDLEWARE)
    if CACHE_MIDDLEWARE not in middleware:
        return False
    return tuple(middleware[: middleware.index(CACHE_MIDDLEWARE)]) == STANDS_IN_FOR and not getattr(
        settings, "WHITENOISE_ROOT", None
    )


class CachedReadsFront:
    """A WSGI application answering cached anonymous GETs itself, and passing the rest to ``app``."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.active = stands_in()
        self.security = SecurityMiddleware(_never_called)
        self.cors = CorsMiddleware(_never_called)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if self.active and environ.get("REQUEST_METHOD") == "GET" and cache_seconds() > 0:
            try:
                answered = self.answer(environ, start_response)
            except Exception:  # whatever went wrong, Django answers as it always has
                logger.exception("the cached-reads front failed; Django answers")
                answered = None
            if answered is not None:
                return answered
        return self.app(environ, start_response)

    def answer(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes] | None:
        request = WSGIRequest(environ)
        if self.security.redirect and not request.is_secure():
            return None  # the security middleware's to redirect (or not: its exemptions)
        if not may_be_cached(request):
            return None
        try:
            key = anonymous_cache_key(request)
        except DisallowedHost:
            return None  # Django answers it with its 400
        lookup = lookup_entry(caches["default"], key)
        if not lookup.hit:
            environ[LOOKUP] = lookup
            return None
        response = answer_from_entry(lookup.entry, request)  # type: ignore[arg-type]
        # What the middlewares above the cache add on the way out, innermost first.
        self.cors.add_response_headers(request, response)
        response = self.security.process_response(request, response)  # type: ignore[arg-type]
        status = f"{response.status_code} {response.reason_phrase}"
        start_response(status, list(response.items()))
        return [response.content]  # type: ignore[attr-defined]
