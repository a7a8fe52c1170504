"""HTTP validators shared by every reader-facing answer (the API, the feeds): ETags, Last-Modified, 304s.

The rules, and why, are told in events/api/conditional.py; they live here, outside the API, so that the
feeds apply the very same ones without importing the API.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime

from django.http import HttpRequest, HttpResponseBase, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_etags

from events.selectors.changes import latest_change_at, latest_public_change_at

# What a 304 repeats of the 200 it stands for (RFC 9110 15.4.5), and the CORS headers, which browsers
# check on a 304 too.
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
    """The strong ETag of a response body."""
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def etag_matches(header: str, etag: str, *, weak: bool) -> bool:
    """Whether an ``If-Match``/``If-None-Match`` header names ``etag`` (``*`` names any).

    Weak comparison (If-None-Match) ignores the ``W/`` prefix; strong comparison (If-Match) never
    matches a weak tag (RFC 9110 8.8.3.2).
    """
    tags = parse_etags(header)
    if "*" in tags:
        return True
    if weak:
        return any(tag.removeprefix("W/") == etag.removeprefix("W/") for tag in tags)
    return etag in tags


def not_modified(response: HttpResponseBase) -> HttpResponseNotModified:
    """A 304 carrying the validators and caching headers of ``response``."""
    answer = HttpResponseNotModified()
    for name, value in response.items():
        if name in NOT_MODIFIED_HEADERS or name.lower().startswith("access-control-"):
            answer[name] = value
    answer.cookies = response.cookies
    return answer


# The conditions a read evaluates; If-Match and If-Unmodified-Since guard writes (If-Match:
# events/api/conditional.py IfMatchMixin) and are not evaluated on reads.
READ_CONDITIONS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")


def conditional_read(
    request: HttpRequest, response: HttpResponseBase, *, etag: str | None, last_modified: int | None
) -> HttpResponseBase:
    """``response`` (a 200 to a GET or HEAD), or a 304 repeating its validators when the client's copy is
    current: the one place the API, its cache and the feeds decide it.

    Django decides (``get_conditional_response``): ``If-None-Match`` by weak comparison, and only without
    it ``If-Modified-Since`` against ``last_modified`` (an epoch second), as RFC 9110 13.2.2 orders them.
    The 304 is built by :func:`not_modified`, which also keeps the CORS headers.
    """
    conditions = {name: request.META[name] for name in READ_CONDITIONS if name in request.META}
    if not conditions:
        return response  # most requests: nothing to decide
    reading = HttpRequest()
    reading.method = request.method
    reading.META = conditions
    # Without a response, Django answers None when the copy is not current, else its own 304.
    current = get_conditional_response(reading, etag=etag, last_modified=last_modified) is not None
    return not_modified(response) if current else response


def last_modified_header(
    now: datetime | None = None,
    *,
    public: bool = False,
    changed_at: datetime | None = None,
    until: datetime | None = None,
) -> tuple[str, int] | None:
    """The Last-Modified header value and its epoch second, or None while it could not be trusted.

    ``public``: for readers who see only published events, whose answers no draft edit changes.
    ``changed_at``: that moment, when the caller has already read it. ``until`` limits it to the changes
    an answer could show (the change feed's horizon); the answer is then as of that moment, which is
    what must be past the newest change's second.
    """
    if changed_at is None:
        changed_at = latest_public_change_at() if public else latest_change_at(until=until)
    if changed_at is None:
        return None
    now = until or now or timezone.now()
    second = math.floor(changed_at.timestamp())
    if now.timestamp() < second + 1:
        return None  # the newest change's second is not over: another change could share its date
    return http_date(second), second
