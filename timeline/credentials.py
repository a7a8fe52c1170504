"""Whether a request carries credentials, told from its headers alone: no database, no session lookup.

The anonymous cache (events/api/cache_middleware.py), the thin path for event reads (events/api/fast.py),
the view's say on what may be kept (events/api/caching.py) and the replica router (timeline/db_routers.py)
all ask this first: a request with an API token or a session cookie may be a curator's, who must read
their own drafts and writes, so none of them treats it as the public's without a closer look.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

READS = ("GET", "HEAD")


def bears_token(request: HttpRequest) -> bool:
    """An ``Authorization`` header of any kind."""
    return "HTTP_AUTHORIZATION" in request.META


def has_session_cookie(request: HttpRequest) -> bool:
    """A session cookie, signed in or not (finding out would take the session's lookup)."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def credential_free_read(request: HttpRequest) -> bool:
    """A GET or HEAD with neither a token nor a session cookie: the public's, whoever sends it."""
    return request.method in READS and not bears_token(request) and not has_session_cookie(request)
