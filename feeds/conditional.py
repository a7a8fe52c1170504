"""Validators and caching headers of the feeds, with the API's rules (``events/api/conditional.py``).

* A feed answered as one document (``timelinejs``, ``vis``, ``jsonld``) gets the API's strong ETag, a
  hash of the exact body, so it cannot miss a change the client would see.
* A streamed feed (``ics``, ``csv``, ``ndjson``) cannot hash a body it has not produced yet; its ETag is
  weak and hashes what determines the body instead: the newest change in the record that the reader may
  see (history tables, deletes included; for anonymous readers the public stamp that also keys the
  cache, see ``feeds/caching.py``), the address (scheme, host, format, query), the language and the
  user.
* ``Last-Modified`` is when anything in the record last changed (for readers of published events
  only, anything they may see: a draft edit moves nothing), left out while that second is not over;
  ``If-None-Match`` takes precedence over ``If-Modified-Since`` (decided by Django's
  ``get_conditional_response``, through ``events.http_validators.conditional_read``); a 304 repeats the
  validators.
* ``Vary: Accept-Language, Authorization, Cookie`` and ``Cache-Control: no-cache`` (``private`` as well
  for signed-in users, who may see drafts).
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers

from events.http_validators import body_etag, conditional_read, last_modified_header
from events.models import can_see_unpublished
from events.selectors.changes import latest_change_at, latest_public_change_at

__all__ = ["body_etag", "conditional", "stream_etag", "with_caching_headers"]

VARY_HEADERS = ("Accept-Language", "Authorization", "Cookie")


def stream_etag(request: HttpRequest, *, language: str) -> str | None:
    """The weak ETag of a streamed feed, or None before anything was ever recorded."""
    changed_at = latest_public_change_at() if reads_published_only(request) else latest_change_at()
    if changed_at is None:
        return None
    user = request.user.pk if request.user.is_authenticated else "anonymous"
    key = "\n".join([changed_at.isoformat(), request.build_absolute_uri(), language, str(user)])
    return 'W/"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def reads_published_only(request: HttpRequest) -> bool:
    """Readers who see only published events: no draft edit changes their feeds' validators."""
    return not can_see_unpublished(request.user)


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
    modified = last_modified_header(public=reads_published_only(request))
    if modified is not None:
        response["Last-Modified"] = modified[0]
    return conditional_read(request, response, etag=etag, last_modified=modified and modified[1])
