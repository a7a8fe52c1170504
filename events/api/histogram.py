"""GET /api/v1/events/histogram/: event counts per year, month or day, with the event filters."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from events.api.conditional import ConditionalGetMixin
from events.api.filtering import api_event_query
from events.filtersets import EventFilterSet
from events.models import Event
from events.read.query import LIST_PARAMS
from events.selectors.histogram import GROUP_BY, INTERVALS, event_histogram

# The histogram's own parameters, read besides the event filters.
OWN_PARAMS = frozenset({"interval", "group_by"})


def choice(request: Request, name: str, choices: tuple[str, ...], default: str | None) -> str | None:
    value = request.query_params.get(name, default)
    if value is not None and value not in choices:
        raise ValidationError({name: [f"{value!r} is not a valid {name}: use {', '.join(choices)}."]})
    return value


BUCKET = inline_serializer(
    "HistogramBucket",
    {
        "period": serializers.CharField(help_text="2023, 2023-10 or 2023-10-18"),
        "precision": serializers.ChoiceField(choices=INTERVALS),
        "start": serializers.DateField(),
        "count": serializers.IntegerField(),
        "groups": serializers.ListField(child=serializers.DictField(), required=False),
    },
)


@extend_schema(
    summary="Event counts per period",
    description="Counts of the events matching the event filters (every parameter of /api/v1/events/), "
    "per year, month or day. Each event is counted exactly once, in the bucket of its start; an event "
    "known less precisely than the interval gets a bucket of its own precision (with interval=month, an "
    "event dated 2023 is in the bucket '2023', precision 'year'), never a fake day. With group_by, each "
    "bucket is split by type, actor or tag (an event with two actors counts in both actors' groups).",
    parameters=[
        OpenApiParameter("interval", OpenApiTypes.STR, enum=list(INTERVALS), description="Default: month."),
        OpenApiParameter(
            "group_by", OpenApiTypes.STR, enum=sorted(GROUP_BY), description="Split by this key."
        ),
    ],
    responses=inline_serializer(
        "Histogram",
        {
            "interval": serializers.CharField(),
            "group_by": serializers.CharField(allow_null=True),
            "total": serializers.IntegerField(),
            "undated": serializers.IntegerField(),
            "buckets": BUCKET.__class__(many=True),
        },
    ),
)
class EventHistogramView(ConditionalGetMixin, generics.GenericAPIView):
    """Counts per period of the events the reader may see, with the event filters."""

    queryset = Event.objects.none()
    filterset_class = EventFilterSet  # documents the filters in the schema; event_query applies them
    permission_classes = [permissions.AllowAny]  # a read of what Event.objects.visible_to allows
    pagination_class = None

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        interval = choice(request, "interval", INTERVALS, "month")
        group_by = choice(request, "group_by", tuple(sorted(GROUP_BY)), None)
        events = api_event_query(request, passthrough=LIST_PARAMS | OWN_PARAMS)
        assert interval is not None
        return Response(event_histogram(events, interval=interval, group_by=group_by))
