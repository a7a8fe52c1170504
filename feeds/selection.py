"""Which events a feed request asks for: the API's event filters, validated, over what the user may see.

A feed takes exactly the filters of ``/api/v1/events/`` (the same ``event_query`` the API applies,
events/read/query.py, so filters and "published" stay defined once), plus ``lang`` and the few parameters
of its own format (``group_by`` for ``vis``). A feed is not paged, so the list's paging parameters
(``limit``, ``offset``, ``cursor``, ``count``) are refused rather than ignored, and ``format`` may only
name the feed's own format. Bad input raises :class:`FeedRequestError` carrying the API's error shape;
the views turn it into a 400.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from events.models import Event
from events.read.query import LIST_PARAMS, PAGING_PARAMS, InvalidEventQuery, event_query


@dataclass
class FeedRequestError(Exception):
    """A feed request that cannot be answered; ``fields`` names the parameters at fault."""

    message: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    status: int = 400
    code: str = "invalid"

    def body(self) -> dict[str, Any]:
        """The API's one error shape (see ``events/api/exceptions.py``)."""
        return {
            "error": {
                "status": self.status,
                "code": self.code,
                "message": self.message,
                "fields": self.fields,
            }
        }


def invalid(fields: dict[str, list[str]]) -> FeedRequestError:
    parts = [f"{name}: {messages[0]}" for name, messages in fields.items() if messages]
    message = " ".join(part if part.endswith(".") else part + "." for part in parts)
    return FeedRequestError(message or "The request is invalid.", fields)


FORMATS = ("timelinejs", "vis", "ics", "csv", "ndjson", "jsonld")


def feed_events(request: HttpRequest, *, feed_format: str, own_params: Iterable[str] = ()) -> QuerySet[Event]:
    """The events matching the request's filters, in the API's order; :class:`FeedRequestError` if bad."""
    errors: dict[str, list[str]] = {}
    for name in sorted(PAGING_PARAMS & set(request.GET)):
        errors[name] = [
            f"A feed is not paged: it answers every matching event at once. Leave out {name} and narrow "
            "the feed with the filters (date_from, date_to, actor, type, tag, q ...) instead."
        ]
    requested_format = request.GET.get("format")
    if requested_format is not None and requested_format != feed_format:
        errors["format"] = [
            f"{requested_format!r} is not this feed's format. A feed's format is its address: "
            f"/api/v1/feeds/<format>/ with one of {', '.join(FORMATS)}."
        ]
    if errors:
        raise invalid(errors)
    # The list's parameters but paging, and the format's own.
    passthrough = (LIST_PARAMS - PAGING_PARAMS) | set(own_params)
    try:
        return event_query(request.GET, user=request.user, request=request, passthrough=passthrough)
    except InvalidEventQuery as error:
        raise invalid(error.messages()) from None


def capped(events: QuerySet[Event], *, cap: int) -> QuerySet[Event]:
    """``events``, or :class:`FeedRequestError` past ``cap`` events (a JSON feed is one document)."""
    count = events.count()
    if count > cap:
        raise FeedRequestError(
            f"This filter matches {count} events; this feed format answers at most {cap} in one document. "
            "Narrow the filter (date_from, date_to, actor, type, tag, q ...) or use the csv or ndjson feed, "
            "which stream any number of events.",
            code="too_many_events",
        )
    return events
