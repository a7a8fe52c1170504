"""Thin feed views: parse the request, select the events, hand their representations to a renderer.

``/api/v1/feeds/<format>/`` takes the event filters of ``/api/v1/events/`` and ``lang``. The JSON
formats are one document of at most ``FEEDS_MAX_EVENTS`` events (default 10,000; past it a 400 asks to
narrow the filter); ``ics``, ``csv`` and ``ndjson`` stream any number of events in constant memory.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any, ClassVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse, StreamingHttpResponse
from django.views import View

from events.languages import CONTENT_LANGUAGE, InvalidLanguage, language_from_request
from events.presentation import iter_event_representations
from events.read.fields import event_fields
from feeds import caching, conditional
from feeds.formats import csv_table, ics, jsonld, ndjson, timelinejs, vis
from feeds.selection import FeedRequestError, capped, feed_events

DEFAULT_MAX_EVENTS = 10_000
TITLE = {"en": "Timeline", "zh-hans": "时间线", "zh-hant": "時間線"}
NOT_FILTERS = {"lang", "group_by", "format"}


def max_events() -> int:
    return int(getattr(settings, "FEEDS_MAX_EVENTS", DEFAULT_MAX_EVENTS))


def filter_description(request: HttpRequest) -> str:
    """The filters of the request as a person reads them: ``actor: xi-jinping · type: conference``."""
    return " · ".join(
        f"{name}: {', '.join(request.GET.getlist(name))}"
        for name in sorted(request.GET)
        if name not in NOT_FILTERS
    )


class FeedView(View):
    """One feed format: its media type, file name, own parameters, and how it is rendered."""

    name: ClassVar[str]
    content_type: ClassVar[str]
    filename: ClassVar[str]
    fields: ClassVar[frozenset[str]]  # what the format shows of an event: all that is read and built
    disposition: ClassVar[str] = "inline"
    own_params: ClassVar[frozenset[str]] = frozenset()
    streamed: ClassVar[bool] = False

    def get(self, request: HttpRequest) -> HttpResponseBase:
        cached = caching.cached_feed(request)
        # A feed built afresh costs the address several requests of its budget; one from the cache, one.
        throttle = caching.FeedThrottle(cost=1 if cached.response is not None else caching.throttle_cost())
        if not throttle.allow_request(request, self):
            return self.throttled(request, throttle.wait())
        if cached.response is not None:
            return cached.response
        response = self.answer(request)
        return response if cached.key is None else caching.keep(cached.key, response)

    def answer(self, request: HttpRequest) -> HttpResponseBase:
        try:
            language = language_from_request(request)
            self.validate_own_params(request)
            events = feed_events(request, feed_format=self.name, own_params=self.own_params)
            if not self.streamed:
                capped(events, cap=max_events())
            # Built chunk by chunk: a renderer consumes them once, so no list of every event is kept.
            items = iter_event_representations(
                events,
                language=language,
                user=request.user,
                request=request,
                fields=self.shown_fields(request),
            )
            response: HttpResponseBase
            if self.streamed:
                chunks = (
                    chunk.encode() if isinstance(chunk, str) else chunk
                    for chunk in self.render_stream(request, items, language=language)
                )
                response = StreamingHttpResponse(chunks, content_type=self.content_type)
                etag = conditional.stream_etag(request, language=language)
            else:
                body = self.render_document(request, items, language=language)
                response = HttpResponse(body, content_type=self.content_type)
                etag = conditional.body_etag(body)
        except InvalidLanguage as error:
            return self.error(request, FeedRequestError(str(error), {"lang": [str(error)]}))
        except FeedRequestError as error:
            return self.error(request, error)
        response["Content-Disposition"] = f'{self.disposition}; filename="{self.filename}"'
        response["Content-Language"] = CONTENT_LANGUAGE[language]
        return conditional.conditional(request, response, etag)

    def throttled(self, request: HttpRequest, wait: float | None) -> HttpResponseBase:
        seconds = math.ceil(wait) if wait is not None else None
        message = "Request was throttled." + (f" Expected available in {seconds} seconds." if seconds else "")
        response = self.error(request, FeedRequestError(message, status=429, code="throttled"))
        if seconds:
            response["Retry-After"] = str(seconds)
        return response

    def error(self, request: HttpRequest, error: FeedRequestError) -> HttpResponseBase:
        response = JsonResponse(error.body(), status=error.status, json_dumps_params={"ensure_ascii": False})
        return conditional.with_caching_headers(request, response)

    def validate_own_params(self, request: HttpRequest) -> None:
        """Subclasses check their own parameters here and raise FeedRequestError."""

    def shown_fields(self, request: HttpRequest) -> frozenset[str]:
        return self.fields

    def render_document(
        self, request: HttpRequest, items: Iterator[dict[str, Any]], *, language: str
    ) -> bytes:
        raise NotImplementedError

    def render_stream(
        self, request: HttpRequest, items: Iterator[dict[str, Any]], *, language: str
    ) -> Iterator[str | bytes]:
        raise NotImplementedError


def json_bytes(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


class GroupedFeedView(FeedView):
    """A timeline feed whose lanes are event types (``group_by=type``, the default) or actors."""

    own_params = frozenset({"group_by"})

    def validate_own_params(self, request: HttpRequest) -> None:
        value = request.GET.get("group_by", "type")
        if value not in vis.GROUP_BY:
            message = f"{value!r} is not a grouping of this feed: use type or actor."
            raise FeedRequestError(f"group_by: {message}", {"group_by": [message]})

    def group_by(self, request: HttpRequest) -> str:
        return request.GET.get("group_by", "type")

    def shown_fields(self, request: HttpRequest) -> frozenset[str]:
        return self.fields | event_fields("actors") if self.group_by(request) == "actor" else self.fields


class TimelineJSFeed(GroupedFeedView):
    name = "timelinejs"
    fields = timelinejs.FIELDS
    content_type = "application/json"
    filename = "timeline.timelinejs.json"

    def render_document(
        self, request: HttpRequest, items: Iterator[dict[str, Any]], *, language: str
    ) -> bytes:
        document = timelinejs.render(
            items,
            title=TITLE[language],
            filter_description=filter_description(request),
            group_by=self.group_by(request),
        )
        return json_bytes(document)


class VisFeed(GroupedFeedView):
    name = "vis"
    fields = vis.FIELDS
    content_type = "application/json"
    filename = "timeline.vis.json"

    def render_document(
        self, request: HttpRequest, items: Iterator[dict[str, Any]], *, language: str
    ) -> bytes:
        return json_bytes(vis.render(items, group_by=self.group_by(request)))


class JsonLdFeed(FeedView):
    name = "jsonld"
    fields = jsonld.FIELDS
    content_type = "application/ld+json"
    filename = "timeline.jsonld"

    def render_document(
        self, request: HttpRequest, items: Iterator[dict[str, Any]], *, language: str
    ) -> bytes:
        return json_bytes(jsonld.render(items))


class ICalendarFeed(FeedView):
    name = "ics"
    fields = ics.FIELDS
    content_type = "text/calendar; charset=utf-8"
    filename = "timeline.ics"
    disposition = "attachment"
    streamed = True

    def render_stream(
        self, request: HttpRequest, items: Iterator[dict[str, Any]], *, language: str
    ) -> Iterator[str | bytes]:
        name = " · ".join(part for part in (TITLE[language], filter_description(request)) if part)
        return ics.render(
            items,
            calendar_name=name,
            uid_domain=request.get_host().split(":")[0] or "timeline",
            language=language,
        )


class CsvFeed(FeedView):
    name = "csv"
    fields = csv_table.FIELDS
    content_type = "text/csv; charset=utf-8; header=present"
    filename = "timeline.csv"
    disposition = "attachment"
    streamed = True

    def render_stream(
        self, request: HttpRequest, items: Iterator[dict[str, Any]], *, language: str
    ) -> Iterator[str | bytes]:
        return csv_table.render(items)


class NdjsonFeed(FeedView):
    name = "ndjson"
    fields = ndjson.FIELDS
    content_type = "application/x-ndjson; charset=utf-8"
    filename = "timeline.ndjson"
    disposition = "attachment"
    streamed = True

    def render_stream(
        self, request: HttpRequest, items: Iterator[dict[str, Any]], *, language: str
    ) -> Iterator[str | bytes]:
        return ndjson.render(items)
