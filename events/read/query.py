"""Which events a read asks for: the request's filters, validated, over what the user may see, in order.

The one place the event filters are applied: the API's list and detail, the histogram and the feeds
all call :func:`event_query` (or :func:`filtered_events`, over visible events they already hold), so a
filter behaves, validates and fails alike everywhere. The filters themselves are ``EventFilterSet``
(events/filtersets.py); visibility is ``event_list`` (Event.objects.visible_to); the order is the
``ordering`` parameter's (events/orderings.py), by date when none is given.

Each reader names the parameters it reads itself (``passthrough``: the list's paging and language, a
feed's own options); any other unknown parameter is an error naming it. Bad input raises
:class:`InvalidEventQuery`, carrying the FilterSet's errors for the caller to answer in its own shape
(the API's ValidationError, a feed's FeedRequestError): the messages are the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import QuerySet
from django.forms.utils import ErrorDict

from events.filtersets import EventFilterSet
from events.models import Event
from events.selectors.events import event_list

# The parameters of the API's event list that the filters do not read: paging, language, format.
LIST_PARAMS: frozenset[str] = EventFilterSet.passthrough_params
PAGING_PARAMS: frozenset[str] = frozenset({"limit", "offset", "cursor", "count"})


class InvalidEventQuery(Exception):
    """Query parameters that do not make a valid event query; ``errors`` name each one at fault."""

    def __init__(self, errors: ErrorDict) -> None:
        super().__init__(errors)
        self.errors = errors

    def messages(self) -> dict[str, list[str]]:
        """Each parameter's messages as text."""
        return {name: [str(message) for message in messages] for name, messages in self.errors.items()}


def filtered_events(
    events: QuerySet[Event],
    params: Mapping[str, Any],
    *,
    request: Any = None,
    passthrough: Iterable[str] = LIST_PARAMS,
) -> QuerySet[Event]:
    """``events`` narrowed and ordered by the filters in ``params``; :class:`InvalidEventQuery` if bad."""
    filterset = EventFilterSet(params, events, request=request, passthrough=passthrough)
    if not filterset.is_valid():
        raise InvalidEventQuery(filterset.errors)
    return filterset.qs


def event_query(
    params: Mapping[str, Any],
    *,
    user: Any,
    request: Any = None,
    passthrough: Iterable[str] = LIST_PARAMS,
) -> QuerySet[Event]:
    """The events ``user`` may see that match the filters in ``params``, in the requested order."""
    return filtered_events(event_list(user=user), params, request=request, passthrough=passthrough)
