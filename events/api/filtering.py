"""The API's event filters: the one event query (events.read.query), its errors as the API's 400."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django_filters.utils import translate_validation
from rest_framework.request import Request

from events.models import Event
from events.read.query import LIST_PARAMS, InvalidEventQuery, filtered_events
from events.selectors.events import event_list


def api_event_query(
    request: Request, *, events: QuerySet[Event] | None = None, passthrough: Iterable[str] = LIST_PARAMS
) -> QuerySet[Event]:
    """``events`` (by default, those the request's user may see) narrowed and ordered by the request's
    filters; a 400 naming each bad parameter, as django-filter's DRF backend answers (same messages and
    codes)."""
    if events is None:
        events = event_list(user=request.user)
    try:
        return filtered_events(events, request.query_params, request=request, passthrough=passthrough)
    except InvalidEventQuery as error:
        raise translate_validation(error.errors) from None
