"""A thin path for anonymous reads of events (list and detail) that the cache did not answer.

The same query and representation as ``EventViewSet`` (the event FilterSet over ``event_list``, the
keyset pagination, ``represent_event_rows``, rendered by the same orjson renderer, with the same
validators and headers), without DRF's per-request machinery: no Request wrapper, authentication
classes, permission checks, content negotiation or view instance. ``tests/api/test_fast_reads.py``
checks that both paths answer byte for byte the same over many requests.

It runs as ``process_view`` of the last middleware, so routing, replica choice, sessions and the
cache's fill all happen as for any view. It hands the request back to the DRF view (returns None) for
anything it does not handle itself: credentials of any kind, another method, ``format`` or an ``Accept``
other than JSON (the browsable API, the schema's negotiation), ``count``, conditional headers, a
throttled client (DRF answers the 429), and every invalid request (DRF answers the same 400 it always
did). ``API_FAST_READS=0`` turns it off.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import orjson
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError, router
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_cache_control
from drf_orjson_renderer.renderers import ORJSONRenderer
from rest_framework.exceptions import ValidationError

from events.api.caching import latest_public_change_at, may_keep
from events.api.conditional import VARY_HEADERS
from events.api.pagination import EventCursorPagination
from events.api.views import DETAIL_PARAMS, EventViewSet
from events.filtersets import EventFilterSet
from events.http_validators import body_etag, last_modified_header
from events.languages import CONTENT_LANGUAGE, LANGUAGE_PARAM, InvalidLanguage, language_from_request
from events.models import Event
from events.presentation import event_rows, events_address, represent_event_rows
from events.read import json_sql
from events.selectors.events import event_list
from events.selectors.lookups import id_or_slug_lookup
from events.throttling import AnonymousReadThrottle
from timeline.credentials import credential_free_read
from timeline.db_routers import primary_after_replica_failure

JSON_ACCEPTS = {"", "*/*", "application/json", "application/*"}
# Left to DRF: they change the answer's shape or need its negotiation or conditional logic.
HANDED_BACK_PARAMS = {"format", "count"}
_RENDERER = ORJSONRenderer()
ANONYMOUS = AnonymousUser()
VARY = ", ".join(dict.fromkeys(["Accept-Language", *VARY_HEADERS]))


def fast_reads_on() -> bool:
    return bool(getattr(settings, "API_FAST_READS", True))


def handles(request: HttpRequest) -> bool:
    """Whether this request is one the thin path answers (before looking at its parameters' values)."""
    meta = request.META
    return (
        request.method == "GET"
        and credential_free_read(request)
        and "HTTP_IF_NONE_MATCH" not in meta
        and "HTTP_IF_MODIFIED_SINCE" not in meta
        and "HTTP_IF_MATCH" not in meta
        and meta.get("HTTP_ACCEPT", "").strip() in JSON_ACCEPTS
        and not HANDED_BACK_PARAMS & request.GET.keys()
    )


def allowed_methods(view_func: Any) -> str:
    """The Allow header DRF's view would send (its handlers, in ``http_method_names`` order)."""
    actions = view_func.actions
    names = [name for name in EventViewSet.http_method_names if name in actions or name == "options"]
    if "get" in actions and "head" not in names:
        names.append("head")
    order = EventViewSet.http_method_names
    return ", ".join(name.upper() for name in sorted(names, key=order.index))


class FastEventReads:
    """Answers what it can of the event list and detail for anonymous readers (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: dict[str, Any]
    ) -> HttpResponseBase | None:
        if getattr(view_func, "cls", None) is not EventViewSet or not fast_reads_on() or not handles(request):
            return None
        detail = bool(view_func.initkwargs.get("detail"))
        try:
            language = language_from_request(request)
        except InvalidLanguage:
            return None
        try:
            body, stamp, keepable = self.answer(request, view_kwargs, detail, language)
        except (OperationalError, InterfaceError) as error:
            # A failed replica is left out and the DRF view reads the primary; a failed primary is
            # the DRF view's to report (a 503).
            primary_after_replica_failure(error)
            return None
        if body is None:
            return None
        fill = getattr(request, "anonymous_fill", None)
        response = HttpResponse(body, content_type="application/json")
        response["Allow"] = allowed_methods(view_func)
        response["Vary"] = VARY  # in the order DRF's path adds them
        response["Content-Language"] = CONTENT_LANGUAGE[language]
        patch_cache_control(response, no_cache=True)
        response["ETag"] = body_etag(body)
        modified = last_modified_header(public=True, changed_at=stamp)
        if modified is not None:
            response["Last-Modified"] = modified[0]
        if fill is not None:
            fill.keep = bool(keepable)
        return response

    def answer(
        self, request: HttpRequest, view_kwargs: dict[str, Any], detail: bool, language: str
    ) -> tuple[bytes | None, datetime | None, bool]:
        """The body (None: DRF answers), the newest public change, whether the cache may keep it."""
        filterset = None
        if detail:
            if set(request.GET) - DETAIL_PARAMS - {LANGUAGE_PARAM}:
                return None, None, False  # other parameters are checked (and refused) by DRF
        else:
            filterset = EventFilterSet(request.GET, event_list(user=ANONYMOUS), request=request)
            if not filterset.is_valid():
                return None, None, False  # DRF answers the 400, in the API's error shape
        if not AnonymousReadThrottle().allow_request(request, None):  # type: ignore[arg-type]
            return None, None, False  # DRF answers the 429
        fill = getattr(request, "anonymous_fill", None)
        stamp, keepable = None, False
        if fill is not None:
            stamp = latest_public_change_at()  # after the generation, before the data (see caching)
            keepable = may_keep(fill.generation, stamp)
        if filterset is None:
            body = self.detail(request, view_kwargs["id_or_slug"], language)
        else:
            body = self.list(request, filterset, language)
        return body, stamp, keepable

    def list(self, request: HttpRequest, filterset: EventFilterSet, language: str) -> bytes | None:
        drf_like = SimpleNamespace(
            query_params=request.GET, build_absolute_uri=request.build_absolute_uri, path=request.path
        )
        paginator = EventCursorPagination()
        events = filterset.qs
        in_database = json_sql.supports(language, events.db)
        read = json_sql.event_keys if in_database else None
        try:
            rows = paginator.paginate_rows(events, drf_like, visible_nulls=False, read=read)  # type: ignore[arg-type]
        except ValidationError:  # a bad cursor, limit or offset: DRF answers the 400
            return None
        links = {"next": paginator.get_next_link(), "previous": paginator.get_previous_link()}
        if in_database:
            ids = [row["id"] for row in rows]
            texts = json_sql.event_json_texts(
                ids, language=language, link=events_address(request), using=events.db
            )
            # The page's members as the renderer writes them, the events' texts as the database wrote them.
            return orjson.dumps(links)[:-1] + b',"results":[' + ",".join(texts).encode() + b"]}"
        data = represent_event_rows(rows, language=language, user=ANONYMOUS, request=request)
        return _RENDERER.render({**links, "results": data}, "application/json")

    def detail(self, request: HttpRequest, key: str, language: str) -> bytes | None:
        lookup = id_or_slug_lookup(key)
        if json_sql.supports(language, router.db_for_read(Event)):
            # None: DRF answers the 404
            return json_sql.event_json_detail(lookup, language=language, link=events_address(request))
        rows = event_rows(event_list(user=ANONYMOUS).filter(**lookup)[:1])
        if not rows:
            return None  # DRF answers the 404
        data = represent_event_rows(rows, language=language, user=ANONYMOUS, request=request)
        return _RENDERER.render(data[0], "application/json")
