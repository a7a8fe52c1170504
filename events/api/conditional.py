"""HTTP validators for the API: ETag and Last-Modified on reads, 304 Not Modified, If-Match on writes.

Decisions, and why:

* **ETag = a hash of the exact body** (SHA-256 of the rendered bytes, first 32 hex digits, strong).
  A validator derived from ``max(updated_at)`` and ``count`` would miss changes that do not touch the
  listed rows themselves: an actor renamed inside every event it takes part in, a citation's source
  retitled, a row deleted and another added. Hashing the body cannot miss anything the client would see,
  and it differs by language, user (drafts) and query because the body does. For curators a 304 saves
  the transfer, not the server's work; anonymous answers come from a cache that keeps their ETag
  (events/api/caching.py), so their 304s cost no query for the data and no serialization.
* **Last-Modified = when anything in the record last changed** (the newest row of any history table,
  deletes included; for readers who see only published events, the newest change they may know of, so a
  draft edit does not move it): one indexed query, correct for lists and details alike, and conservative
  (a change anywhere makes every If-Modified-Since fail, which costs a refetch, never a stale answer). The
  header is
  left out while the newest change is less than a second old, because HTTP dates have whole seconds: a
  second change in that same second would carry the same date and a client holding the first answer
  would wrongly get a 304. ``If-None-Match`` takes precedence over ``If-Modified-Since`` (RFC 9110 13.2.2),
  as Django's ``get_conditional_response`` decides for every reader-facing answer
  (``events.http_validators.conditional_read``).
* **Writes** (PUT, PATCH, DELETE) with ``If-Match`` proceed only if the tag is ``*`` or the strong ETag of
  the record's current representation, the one a GET with the same headers (language, user) would
  answer; otherwise 412 in the API's error shape, and nothing is written. The row is locked between the
  check and the write, so two clients holding the same ETag cannot both win. A write **without**
  ``If-Match`` is still allowed (not 428): curators' scripts and ``curl`` keep working, and a client that
  wants protection from lost updates sends the header. ``If-Unmodified-Since`` is not evaluated (our
  Last-Modified is record-wide, it would refuse almost every write): use ``If-Match``.
* **Vary**: ``Accept``, ``Accept-Language`` (the body's language), ``Authorization`` and ``Cookie``
  (curators see drafts), so no cache hands one user's or language's answer to another.
  ``Cache-Control: no-cache`` asks caches to revalidate each time (cheap, with the ETag); answers to
  authenticated requests are also ``private``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.http import HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from events.api.caching import AnonymousReadCacheMixin
from events.http_validators import (  # re-exported: the API's views and tests name them from here
    body_etag,
    conditional_read,
    etag_matches,
    last_modified_header,
)
from events.models import can_see_unpublished

if TYPE_CHECKING:
    from rest_framework.generics import GenericAPIView

    _GenericBase = GenericAPIView
    from rest_framework.views import APIView

    _ViewBase = APIView
else:
    _GenericBase = object
    _ViewBase = object

SAFE_METHODS = {"GET", "HEAD"}
WRITE_METHODS = {"PUT", "PATCH", "DELETE"}
VARY_HEADERS = ("Accept", "Accept-Language", "Authorization", "Cookie")


class PreconditionFailed(APIException):
    """412: the client's ``If-Match`` names a representation that is no longer current."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "The record has changed since you read it (If-Match does not match its current ETag): "
        "fetch it again, reapply your change, and send the new ETag."
    )
    default_code = "precondition_failed"


class ConditionalGetMixin(_ViewBase):
    """ETag, Last-Modified and Vary on successful reads; 304 when the client's copy is current."""

    def last_modified(self) -> tuple[str, int] | None:
        """The Last-Modified of this answer (see :func:`last_modified_header`); views may narrow it."""
        if can_see_unpublished(self.request.user):
            return last_modified_header()
        # Read once already when the request was looked up in the cache of anonymous answers.
        return last_modified_header(public=True, changed_at=getattr(self, "public_stamp", None))

    def finalize_response(  # type: ignore[override]  # a 304 is a plain Django response
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, VARY_HEADERS)
        if request.user is not None and request.user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, no_cache=True)
        if request.method not in SAFE_METHODS or response.status_code != status.HTTP_200_OK:
            return response
        if isinstance(response, Response):
            response.render()  # now rather than later: the ETag is the hash of these bytes
        etag = body_etag(response.content)
        response["ETag"] = etag
        modified = self.last_modified()
        if modified is not None:
            response["Last-Modified"] = modified[0]
        return conditional_read(request, response, etag=etag, last_modified=modified and modified[1])


class IfMatchMixin(_GenericBase):
    """Writes to one record honour ``If-Match``: a stale ETag is a 412 and nothing is written.

    The check compares against :meth:`current_representation_etag`, the body a GET of the record would
    answer now; a viewset whose writes use another serializer than its reads overrides
    :meth:`current_representation` to return the read serializer's data.
    """

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method in WRITE_METHODS and "If-Match" in request.headers:
            # One transaction from the check to the write, with the row locked (get_object below).
            with transaction.atomic():
                return super().dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_object(self) -> Any:
        if_match = self.request.headers.get("If-Match")
        if self.request.method not in WRITE_METHODS or if_match is None:
            return super().get_object()
        record = super().get_object()
        # Lock the row, then read it again: a write that committed while we waited is now visible.
        list(type(record)._default_manager.select_for_update().filter(pk=record.pk).values_list("pk"))
        record = super().get_object()
        if not etag_matches(if_match, self.current_representation_etag(record), weak=False):
            raise PreconditionFailed()
        return record

    def current_representation(self, record: Any) -> Any:
        """The data a GET of ``record`` would answer with: the detail (``retrieve``) serializer's."""
        action = getattr(self, "action", None)
        self.action = "retrieve"  # viewsets pick their read serializer by action
        try:
            return self.get_serializer(record).data
        finally:
            self.action = action  # type: ignore[assignment]

    def current_representation_etag(self, record: Any) -> str:
        request = self.request
        assert request.accepted_renderer is not None, "content negotiation runs before get_object()"
        content = request.accepted_renderer.render(
            self.current_representation(record),
            request.accepted_media_type,
            self.get_renderer_context(),
        )
        return body_etag(content)


class ConditionalRequestsMixin(IfMatchMixin, AnonymousReadCacheMixin, ConditionalGetMixin):
    """For the API's model viewsets: anonymous reads cached, validators and 304s on reads, If-Match on
    writes."""
