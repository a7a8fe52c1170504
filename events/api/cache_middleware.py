"""Anonymous API reads answered from the shared cache before anything else runs: no SQL on a hit.

Most readers are anonymous and ask the same questions. This middleware sits near the top of the stack
(after CORS, so a cached answer still carries the CORS headers of the Origin asking for it) and answers
a hit with no authentication, session, router, DRF or throttle work, and no SQL:

* **Who**: GET and HEAD without an ``Authorization`` header or a session cookie (a curator's read must
  show their own drafts), without ``If-Match``/``If-Unmodified-Since`` (left to the view), under the
  paths in ``ANONYMOUS_CACHE_PATHS``.
* **Key**: the absolute URI (scheme, host, path, query: bodies hold absolute links) and the
  ``Accept-Language`` and ``Accept`` the answer varies on. The entry holds the public generation it was
  computed under (events/public_generation.py: any committed public change starts a new one) and is
  served only while that is the current one; both are read in one round trip (``get_many``).
* **Hit**: the stored body and headers, or a 304 for the client's ETag or date, decided by Django's
  ``get_conditional_response`` (through ``events.http_validators.conditional_read``). Hits are not
  throttled: they cost no database work.
* **Miss**: the request goes on to the view, which says whether its answer may be kept
  (``AnonymousReadCacheMixin`` in events/api/caching.py, or the thin path of events/api/fast.py, both
  through ``may_keep``, on the database the request read from:
  a lagging replica's answer is not kept under a generation it has not replayed). Only a whole 200
  that sets no cookie is kept, for ``API_CACHE_SECONDS``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.http import parse_http_date_safe

from events.api.caching import cache_seconds
from events.http_validators import conditional_read
from events.public_generation import GENERATION_KEY, Generation, current_generation
from timeline.credentials import credential_free_read

# The record endpoints (their views use AnonymousReadCacheMixin); feeds keep their own cache.
DEFAULT_PATHS = (
    "/api/v1/events/",
    "/api/v1/actors/",
    "/api/v1/sources/",
    "/api/v1/locations/",
    "/api/v1/tags/",
)
# Headers the answer was not computed from but are about this client: never stored.
_UNSTORED_HEADERS = {"set-cookie", "content-length"}
# Headers the middleware below this one (security, CSP, framing) add to every answer, a 304 included.
_STACK_HEADERS = {
    "content-security-policy",
    "content-security-policy-report-only",
    "x-frame-options",
    "cross-origin-opener-policy",
    "referrer-policy",
    "x-content-type-options",
}


@dataclass
class AnonymousFill:
    """A miss under way: the generation it was looked up under, and where the answer is kept if the
    view allows it (``keep`` is set by the view)."""

    generation: Generation
    key: str
    keep: bool = False


def cached_paths() -> tuple[str, ...]:
    return tuple(getattr(settings, "ANONYMOUS_CACHE_PATHS", DEFAULT_PATHS))


def may_be_cached(request: HttpRequest) -> bool:
    """An anonymous GET/HEAD under a cached path, with nothing that would make its answer personal."""
    meta = request.META
    return (
        credential_free_read(request)
        and "HTTP_IF_MATCH" not in meta
        and "HTTP_IF_UNMODIFIED_SINCE" not in meta
        and request.path.startswith(cached_paths())
    )


def anonymous_cache_key(request: HttpRequest) -> str:
    """Where the answer to this question is kept (the entry says which generation it belongs to)."""
    meta = request.META
    parts = (
        request.build_absolute_uri(),
        meta.get("HTTP_ACCEPT_LANGUAGE", ""),
        meta.get("HTTP_ACCEPT", ""),
    )
    return "api:read:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


Entry = tuple[str, bytes, list[tuple[str, str]]]  # (generation token, body, headers)

# This middleware's path in MIDDLEWARE, and the WSGI environ key (no HTTP header can set it) under which
# the front (events/api/cache_front.py) hands a miss's lookup down to it.
CACHE_MIDDLEWARE = f"{__name__}.AnonymousCacheMiddleware"
LOOKUP = "timeline.anonymous_lookup"


@dataclass(frozen=True)
class Lookup:
    """The cache looked up for one key: the current generation and the entry kept there, if any."""

    key: str
    generation: Generation
    entry: Entry | None

    @property
    def hit(self) -> bool:
        """Whether the entry is an answer of the current generation."""
        return self.entry is not None and self.entry[0] == self.generation.token


def lookup_entry(cache: BaseCache, key: str) -> Lookup:
    """The generation and the entry under ``key``, in one round trip (MGET)."""
    found = cache.get_many([GENERATION_KEY, key])
    return Lookup(key, current_generation(found.get(GENERATION_KEY)), found.get(key))


def answer_from_entry(entry: Entry, request: HttpRequest) -> HttpResponseBase:
    """The stored answer, or a 304 when the client's copy is that one."""
    _token, body, headers = entry
    response = HttpResponse(body)
    for name, value in headers:
        response.headers[name] = value
    response.headers["Content-Length"] = str(len(body))  # what CommonMiddleware sets on a fresh answer
    last_modified = response.headers.get("Last-Modified")
    modified = parse_http_date_safe(last_modified) if last_modified else None
    answer = conditional_read(request, response, etag=response.headers.get("ETag"), last_modified=modified)
    if answer is not response:
        # A fresh 304 passes the stack below this middleware, which adds its security headers to it.
        for name, value in headers:
            if name.lower() in _STACK_HEADERS:
                answer.headers[name] = value
        answer.headers["Content-Length"] = "0"
    return answer


class AnonymousCacheMiddleware:
    """Answers anonymous reads from the cache, and keeps what the views allow (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if cache_seconds() <= 0 or not may_be_cached(request):
            return self.get_response(request)
        try:
            key = anonymous_cache_key(request)
        except DisallowedHost:
            return self.get_response(request)  # Django answers it with its 400
        cache = caches["default"]
        # The generation is read before the view reads any data. A request the front (at the WSGI
        # entry) looked up and missed arrives with its lookup.
        lookup = request.META.get(LOOKUP)
        if not isinstance(lookup, Lookup) or lookup.key != key:
            lookup = lookup_entry(cache, key)
        if lookup.hit:
            return answer_from_entry(lookup.entry, request)  # type: ignore[arg-type]
        fill = request.anonymous_fill = AnonymousFill(lookup.generation, key)  # type: ignore[attr-defined]
        response = self.get_response(request)
        if fill.keep and response.status_code == 200 and not response.streaming and not response.cookies:
            headers = [
                (name, value) for name, value in response.items() if name.lower() not in _UNSTORED_HEADERS
            ]
            cache.set(key, (fill.generation.token, response.content, headers), cache_seconds())  # type: ignore[attr-defined]
        return response
