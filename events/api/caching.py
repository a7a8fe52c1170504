"""Anonymous reads from a cache, keyed by the public record's last change: any change invalidates.

Most readers are anonymous and ask the same questions; their answers depend only on the request (path,
query, language, media type) and on what the public may see. The key of a cached answer therefore holds
the moment of the newest change the public may know of (``latest_public_change_at``, one indexed query
per request): when anything public changes, every key changes with it, and nothing stale is ever served,
from any worker or machine sharing the cache. A curator editing a draft moves nothing.

* **Who is served from the cache**: GET and HEAD requests without credentials (no ``Authorization``
  header, no signed-in session), after authentication, permissions and throttling have run. Curators'
  reads and every write go to the database, so curators always read their own writes.
* **When**: only once every change dated at or before the newest public change has committed: it is
  older than the change feed's settle window and, on PostgreSQL, no write transaction that began
  before it is still running (see events/selectors/changes.py). Otherwise a long transaction could
  commit an earlier-dated change that would not move the key; answers are computed fresh meanwhile.
* **Keyed on**: the absolute URI (scheme, host, path and query), ``Accept-Language`` and ``Accept``:
  the bodies hold absolute links, so ``http://localhost/...`` and ``https://example.org/...`` are
  different answers.
* **What**: the rendered 200 answer with its headers (ETag, Last-Modified, Vary, Content-Language...). A
  hit answers without a query for the data and without serializing, and a 304 for a matching
  ``If-None-Match`` or ``If-Modified-Since`` costs no more.
* **Where**: Django's ``default`` cache: Redis when ``REDIS_URL`` is set (shared by every worker and
  machine), local memory otherwise. ``API_CACHE_SECONDS`` bounds how long an entry lives (default 600;
  0 turns the cache off, e.g. to measure the database path).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.http import parse_http_date_safe

from events.http_validators import conditional_read
from events.selectors.changes import is_settled, latest_public_change_at

if TYPE_CHECKING:
    from rest_framework.views import APIView

    _ViewBase = APIView
else:
    _ViewBase = object

CACHED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Disposition",
    "ETag",
    "Last-Modified",
    "Vary",
    "Cache-Control",
)


def cache_seconds() -> int:
    return int(getattr(settings, "API_CACHE_SECONDS", 600))


def is_anonymous_read(request: HttpRequest) -> bool:
    """A GET or HEAD without credentials of any kind (checked without touching the database)."""
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def cache_key(request: HttpRequest, stamp: datetime) -> str:
    parts = (
        stamp.isoformat(),
        # The absolute URI, not the path: bodies hold absolute links, so an answer asked for through
        # another host name or scheme must not be served to readers of this one.
        request.build_absolute_uri(),
        request.headers.get("Accept-Language", ""),
        request.headers.get("Accept", ""),
    )
    return "api:anon:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def response_from_cache(entry: dict[str, Any], request: HttpRequest) -> HttpResponseBase:
    """The cached answer, or a 304 if the client's copy is the same one (``conditional_read``)."""
    headers = entry["headers"]
    response = HttpResponse(entry["body"], status=200)
    for name, value in headers.items():
        response[name] = value
    modified = parse_http_date_safe(headers.get("Last-Modified", ""))
    return conditional_read(request, response, etag=headers.get("ETag"), last_modified=modified)


class AnonymousReadCacheMixin(_ViewBase):
    """Serves anonymous reads from the cache (see the module docstring), and fills it."""

    public_stamp: datetime | None = None  # the newest public change, once read for this request
    cache_stamp: datetime | None = None  # the same, when answers may be cached under it

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttles, language
        self.public_stamp = self.cache_stamp = None
        if cache_seconds() <= 0 or not is_anonymous_read(request._request):
            return
        stamp = self.public_stamp = latest_public_change_at()
        if stamp is None or not is_settled(stamp):
            return  # a change may still be committing: answer from the database
        self.cache_stamp = stamp
        entry = caches["default"].get(cache_key(request._request, stamp))
        if entry is not None:
            cached = response_from_cache(entry, request._request)
            # The handler DRF is about to call answers from the cache instead.
            self.get = self.head = lambda *args, **kwargs: cached  # type: ignore[method-assign]
            cached.from_cache = True  # type: ignore[attr-defined]

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(response, "from_cache", False):
            return response
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.cache_stamp is not None and response.status_code == 200 and not response.streaming:
            headers = {name: response[name] for name in CACHED_HEADERS if name in response}
            entry = {"body": response.content, "headers": headers}
            caches["default"].set(cache_key(request._request, self.cache_stamp), entry, cache_seconds())
        return response
