"""Validators and caching headers of the feeds, with the API's rules (``events/api/conditional.py``).

* A feed answered as one document (the JSON formats and ``ics``) gets the API's strong ETag, a hash
  of the exact body, so it cannot miss a change the client would see.
* A streamed feed (``csv``, ``ndjson``) cannot hash a body it has not produced yet; its ETag is weak and
  hashes what determines the body instead: the newest change anywhere in the record (history tables,
  deletes included), the format, the query string, the language and the user.
* ``Last-Modified`` is when anything in the record last changed, left out while that second is not
  over; ``If-None-Match`` takes precedence over ``If-Modified-Since``; a 304 repeats the validators.
* ``Vary: Accept-Language, Authorization, Cookie`` and ``Cache-Control: no-cache`` (``private`` as well
  for signed-in users, who may see drafts).
"""

from __future__ import annotations

import hashlib
import math

from django.http import HttpRequest, HttpResponseBase, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from events.selectors.changes import latest_change_at

VARY_HEADERS = ("Accept-Language", "Authorization", "Cookie")
NOT_MODIFIED_HEADERS = (
    "Cache-Control",
    "Content-Location",
    "Date",
    "ETag",
    "Expires",
    "Last-Modified",
    "Vary",
)


def body_etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def stream_etag(request: HttpRequest, *, language: str) -> str | None:
    """The weak ETag of a streamed feed, or None before anything was ever recorded."""
    changed_at = latest_change_at()
    if changed_at is None:
        return None
    user = request.user.pk if request.user.is_authenticated else "anonymous"
    key = "\n".join(
        [changed_at.isoformat(), request.path, request.META.get("QUERY_STRING", ""), language, str(user)]
    )
    return 'W/"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def last_modified() -> tuple[str, int] | None:
    changed_at = latest_change_at()
    if changed_at is None:
        return None
    second = math.floor(changed_at.timestamp())
    if timezone.now().timestamp() < second + 1:
        return None  # another change could still share this second's HTTP date
    return http_date(second), second


def with_caching_headers(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    patch_vary_headers(response, VARY_HEADERS)
    patch_cache_control(
        response, no_cache=True, **({"private": True} if request.user.is_authenticated else {})
    )
    return response


def conditional(request: HttpRequest, response: HttpResponseBase, etag: str | None) -> HttpResponseBase:
    """Add the validators to a 200 and answer 304 instead when the client's copy is current."""
    with_caching_headers(request, response)
    if etag is not None:
        response["ETag"] = etag
    modified = last_modified()
    if modified is not None:
        response["Last-Modified"] = modified[0]
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
        if etag is not None and ("*" in tags or etag.removeprefix("W/") in tags):
            return not_modified(response)
        return response
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if since is not None and modified is not None and modified[1] <= since:
        return not_modified(response)
    return response


def not_modified(response: HttpResponseBase) -> HttpResponseNotModified:
    answer = HttpResponseNotModified()
    for name, value in response.items():
        if name in NOT_MODIFIED_HEADERS or name.lower().startswith("access-control-"):
            answer[name] = value
    return answer
