"""Anonymous reads from a cache: which answers may be kept, and the helpers the feeds' cache shares.

The API's anonymous answers are looked up and stored by events/api/cache_middleware.py, under the public
generation (events/public_generation.py), with no SQL on a hit. This module holds the view's half:
:class:`AnonymousReadCacheMixin` reads the newest public change once per miss (Last-Modified reuses it)
and says whether the answer may be kept (:func:`may_keep`: not while a change newer than the generation
is unaccounted for, nor from a replica that has not replayed the generation's commit).

* **Who is served from the cache**: GET and HEAD requests without credentials (no ``Authorization``
  header, no session cookie). Curators' reads and every write go to the database, so curators always
  read their own writes.
* **Keyed on**: the generation, the absolute URI (scheme, host, path and query), ``Accept-Language`` and
  ``Accept``: the bodies hold absolute links, so ``http://localhost/...`` and ``https://example.org/...``
  are different answers.
* **Where**: Django's ``default`` cache: Redis when ``REDIS_URL`` is set (shared by every worker and
  machine), local memory otherwise. ``API_CACHE_SECONDS`` bounds how long an entry lives (default 600;
  0 turns the cache off, e.g. to measure the database path).

The feeds (feeds/caching.py) still key their answers on the newest public change (:func:`cache_key`),
one query per request, and use :func:`response_from_cache`.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.http import parse_http_date_safe

from events.http_validators import conditional_read
from events.public_generation import Generation, generation_bump, replica_has_replayed
from events.selectors.changes import is_settled, latest_public_change_at
from timeline.credentials import credential_free_read
from timeline.db_routers import current_read_database

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
    """A GET or HEAD without credentials of any kind, by an unauthenticated user (no database work)."""
    if not credential_free_read(request):
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


def anonymous_fill(request: HttpRequest) -> Any:
    """The cache miss this request is (events/api/cache_middleware.py), if its answer may be kept."""
    return getattr(request, "anonymous_fill", None)


def may_keep(generation: Generation, stamp: datetime | None) -> bool:
    """Whether an answer about to be read (from the database this request reads from), after
    ``generation`` was looked up, at a newest public change ``stamp``, may be kept under that generation.
    Asked before the data is read: a replica that has replayed far enough by then answers with it.

    A public change dated after the generation began has had no bump (yet): if it is settled, its bump
    was lost, and a new generation begins instead (events/public_generation.py). A replica keeps its
    answer only once it has replayed what the generation's bump followed.
    """
    if stamp is not None and stamp.timestamp() > generation.stamp:
        if is_settled(stamp):
            generation_bump()
        return False
    alias = current_read_database()
    return alias == DEFAULT_DB_ALIAS or replica_has_replayed(alias, generation)


class AnonymousReadCacheMixin(_ViewBase):
    """Lets anonymous answers be kept by events/api/cache_middleware.py (see :func:`may_keep`)."""

    public_stamp: datetime | None = None  # the newest public change, once read for this request
    keepable = False  # whether this request's answer may be kept under the generation it looked up

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttles, language
        self.public_stamp, self.keepable = None, False
        fill = anonymous_fill(request._request)
        if fill is not None and is_anonymous_read(request._request):
            # After the generation was read and before the data is: a replica that has replayed the
            # generation's commit now answers with it (Last-Modified reuses the stamp).
            self.public_stamp = latest_public_change_at()
            self.keepable = may_keep(fill.generation, self.public_stamp)

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        fill = anonymous_fill(request._request)
        if fill is not None and response.status_code == 200 and not response.streaming:
            fill.keep = self.keepable
        return response
