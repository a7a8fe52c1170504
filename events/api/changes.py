"""GET /api/v1/changes/: the change feed for incremental sync; what it lists is decided in
:mod:`events.selectors.changes`, which this view only parses for and renders."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from events.api.conditional import ConditionalGetMixin, last_modified_header
from events.selectors.changes import (
    CREATED,
    DEFAULT_LIMIT,
    DELETED,
    MAX_LIMIT,
    RESOURCE_TYPES,
    UPDATED,
    ChangeCursor,
    ChangeEntry,
    InvalidCursor,
    change_feed_current_cursor,
    change_feed_page,
)

SINCE = "since"
LIMIT = "limit"
SINCE_NOW = "now"


class ChangeEntrySerializer(serializers.Serializer):
    """One record to fetch again or to drop."""

    type = serializers.ChoiceField(choices=RESOURCE_TYPES, help_text="Which resource: event, actor, ...")
    id = serializers.IntegerField(help_text="The record's id.")
    action = serializers.ChoiceField(
        choices=[CREATED, UPDATED, DELETED],
        help_text="created or updated: fetch `url` and store what it answers. deleted: drop the record "
        "(it was deleted, or, for those who may not see drafts, unpublished or retracted).",
    )
    changed_at = serializers.DateTimeField(help_text="When the change happened.")
    url = serializers.SerializerMethodField(
        help_text="The record's current representation; null when deleted."
    )

    def get_url(self, entry: ChangeEntry) -> str | None:
        if entry.action == DELETED:
            return None
        return reverse(
            f"api:{entry.type}-detail", kwargs={"id_or_slug": entry.id}, request=self.context.get("request")
        )


class ChangePageSerializer(serializers.Serializer):
    results = ChangeEntrySerializer(many=True, source="entries")
    next = serializers.SerializerMethodField(
        help_text="The cursor to pass as `since` next time (an opaque string); keep it even when "
        "`results` is empty."
    )
    has_more = serializers.BooleanField(help_text="Whether more changes are waiting: read on at once.")

    def get_next(self, page: Any) -> str:
        return page.next_cursor.encode()


def parse_since(request: Request) -> ChangeCursor | None:
    text = request.query_params.get(SINCE)
    if text is None or text == "":
        return None
    if text == SINCE_NOW:
        return change_feed_current_cursor()
    try:
        return ChangeCursor.decode(text)
    except InvalidCursor as error:
        raise ValidationError({SINCE: [str(error)]}) from None


def parse_limit(request: Request) -> int:
    text = request.query_params.get(LIMIT)
    if text is None:
        return DEFAULT_LIMIT
    try:
        limit = int(text.strip())
    except ValueError:
        raise ValidationError({LIMIT: [f"{text!r} is not a whole number."]}) from None
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError({LIMIT: [f"{text!r} is out of range: give a number from 1 to {MAX_LIMIT}."]})
    return limit


class ChangeFeedView(ConditionalGetMixin, APIView):
    """Created, updated and deleted records of every type since a cursor, oldest first."""

    permission_classes = [permissions.AllowAny]  # it shows each user only what that user may see
    http_method_names = ["get", "head", "options"]
    # The settle window reasons about the primary's commits: on a lagging replica a cursor could pass
    # a change not yet replayed there (timeline/db_routers.py).
    reads_from_primary = True

    @extend_schema(
        operation_id="changes_list",
        parameters=[
            OpenApiParameter(
                SINCE,
                str,
                OpenApiParameter.QUERY,
                description="Where to read on from: the `next` of a previous answer. Omit it to read from "
                "the beginning; `now` answers no changes and the cursor of this moment (read the lists "
                "in full, then follow the feed from there). Anything else is a 400.",
            ),
            OpenApiParameter(
                LIMIT,
                int,
                OpenApiParameter.QUERY,
                description=f"At most this many changes, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}). "
                "A record changed several times within one answer is listed once, so an answer may hold "
                "fewer and still have `has_more`.",
            ),
        ],
        responses=ChangePageSerializer,
        description="Incremental sync. Apply each result in order: fetch `url` and store the answer "
        "(created, updated) or drop the record (deleted); read on while `has_more`; keep `next` and "
        "pass it as `since` next time. A change to a part of a record (an actor's alias, an event's "
        "actors, citations or relations) is listed as a change of the record, and so is a change to "
        "something a record shows (an actor's name in the events it takes part in). Changes appear a "
        "few seconds late, once no earlier-dated change can still commit (later while a long write, such "
        "as an ingestion, is still running). An event that is unpublished, "
        "retracted or deleted is `deleted` for those who may not see drafts; drafts never appear to them.",
    )
    def get(self, request: Request) -> Response:
        page = change_feed_page(user=request.user, since=parse_since(request), limit=parse_limit(request))
        self.horizon = page.horizon
        return Response(ChangePageSerializer(page, context={"request": request}).data)

    def last_modified(self) -> tuple[str, int] | None:
        # The page shows changes up to its horizon only: one held back must not date it (a later
        # If-Modified-Since would get a 304 although the page would now show that change).
        horizon = getattr(self, "horizon", None)
        return last_modified_header(until=horizon) if horizon is not None else None
