"""Pagination that never counts the world: keyset cursors for events, limit/offset for reference data.

Every list answers ``{"next", "previous", "results"}``; ``"count"`` (the number of matching records)
is added only when the client asks with ``count=true``, because counting every matching row costs more
than the page itself on a large record (a busy actor's 20,000 events). A page is read with one row
more than ``limit`` to know whether there is a next one.

**Events** are paged by a keyset cursor: ``next`` carries the position of the page's last event in
the list's order (date, then end, then id; or updated time, then id) and the next page is "the
``limit`` events after that position", read by an index range scan however deep the page. Pages stay
stable while events are added or removed (no event is skipped or repeated because another was
inserted earlier in the list, as offsets do). ``offset`` is still accepted on a first page; its
``next`` link continues with a cursor. The cursor is opaque to clients (base64 of JSON); a malformed
or foreign one is a 400.

**Actors, sources, tags and locations** are small tables, paged by ``limit``/``offset``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response

from events import partial_dates
from events.orderings import DEFAULT_ORDERING, EVENT_ORDERINGS, EventOrdering

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 10**9  # far past any record; beyond what a database's integers can hold, it would be an error
COUNT_PARAM = "count"
CURSOR_PARAM = "cursor"
TRUE_WORDS = {"true", "1", "yes"}
FALSE_WORDS = {"false", "0", "no"}


class CountOnRequestPagination(LimitOffsetPagination):
    """``limit`` (default 50, at most 500) and ``offset``; ``count=true`` adds the total.

    Anything else is a 400 naming the parameter.
    """

    default_limit = DEFAULT_LIMIT
    max_limit = MAX_LIMIT
    limit_query_description = (
        f"How many results to return: 1 to {MAX_LIMIT} (the documented maximum; more is a 400). "
        f"Default {DEFAULT_LIMIT}."
    )
    offset_query_description = "How many results to skip before the first one returned. Default 0."
    template = None  # no browsable-API page controls: the API speaks JSON only

    request: Request  # type: ignore[assignment]
    limit: int  # type: ignore[assignment]
    offset: int  # type: ignore[assignment]
    count: int | None
    has_next: bool

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        self.count = queryset.count() if wants_count(request) else None
        rows = list(queryset[self.offset : self.offset + self.limit + 1])
        self.has_next = len(rows) > self.limit
        return rows[: self.limit]

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        return page_link(
            self.request,
            **{self.limit_query_param: self.limit, self.offset_query_param: self.offset + self.limit},
        )

    def get_previous_link(self) -> str | None:
        if self.offset <= 0:
            return None
        previous = self.offset - self.limit
        return page_link(self.request, **{self.offset_query_param: previous if previous > 0 else None})

    def get_paginated_response(self, data: Any) -> Response:
        body: dict[str, Any] = {}
        if self.count is not None:
            body["count"] = self.count
        body.update({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})
        return Response(body)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": "How many records match: only when the request says count=true.",
                },
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_limit(self, request: Request) -> int:
        text = request.query_params.get(self.limit_query_param)
        if text is None:
            return self.default_limit
        limit = parse_count(self.limit_query_param, text)
        if limit < 1 or limit > self.max_limit:
            raise ValidationError(
                {
                    self.limit_query_param: [
                        f"{text!r} is out of range: give a number from 1 to {self.max_limit}."
                    ]
                }
            )
        return limit

    def get_offset(self, request: Request) -> int:
        text = request.query_params.get(self.offset_query_param)
        if text is None:
            return 0
        offset = parse_count(self.offset_query_param, text)
        if offset < 0:
            raise ValidationError({self.offset_query_param: [f"{text!r} is negative: give 0 or more."]})
        if offset > MAX_OFFSET:
            raise ValidationError(
                {self.offset_query_param: [f"{text!r} is too large: give at most {MAX_OFFSET}."]}
            )
        return offset

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update(
                    {"minimum": 1, "maximum": self.max_limit, "default": self.default_limit}
                )
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"].update({"minimum": 0, "maximum": MAX_OFFSET, "default": 0})
        parameters.append(
            {
                "name": COUNT_PARAM,
                "required": False,
                "in": "query",
                "description": "true: also answer how many records match (counting costs time on "
                "large lists, so it is left out unless asked).",
                "schema": {"type": "boolean", "default": False},
            }
        )
        return parameters


def page_link(request: Request, **changes: Any) -> str:
    """This list's URL with some parameters set (or removed, given None), the others as they came.

    Built from the decoded parameters rather than the raw query string: a client may send UTF-8 unescaped
    (``?q=峰会`` from curl), which Django would escape a second time into mojibake.
    """
    params = request.query_params.copy()
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = str(value)
    url = request.build_absolute_uri(request.path)
    return f"{url}?{params.urlencode()}" if params else url


def parse_count(name: str, text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ValidationError({name: [f"{text!r} is not a whole number."]}) from None


def wants_count(request: Request) -> bool:
    text = request.query_params.get(COUNT_PARAM)
    if text is None or text.strip().lower() in FALSE_WORDS:
        return False
    if text.strip().lower() in TRUE_WORDS:
        return True
    raise ValidationError({COUNT_PARAM: [f"{text!r} is not a yes or no: give true or false."]})


# --- Keyset pagination of events -----------------------------------------------------------------


@dataclass(frozen=True)
class Keyset:
    """An ordering of events (events.orderings) as a keyset: its columns, the last being the unique id."""

    ordering: EventOrdering

    @property
    def fields(self) -> tuple[str, ...]:
        return self.ordering.columns

    @property
    def descending(self) -> bool:
        return self.ordering.descending

    @property
    def nullable(self) -> bool:
        return self.ordering.nullable

    @property
    def kinds(self) -> tuple[str, ...]:
        return self.ordering.cursor_kinds

    def order_by(self, *, reverse: bool = False, visible_nulls: bool = True) -> list[Any]:
        return self.ordering.order_by(reverse=reverse, visible_nulls=visible_nulls)

    def after(self, values: Sequence[Any], *, visible_nulls: bool) -> Q:
        """The rows strictly after ``values`` in this order."""
        return self._beyond(values, forward=True, visible_nulls=visible_nulls)

    def before(self, values: Sequence[Any], *, visible_nulls: bool) -> Q:
        """The rows strictly before ``values`` in this order."""
        return self._beyond(values, forward=False, visible_nulls=visible_nulls)

    def _beyond(self, values: Sequence[Any], *, forward: bool, visible_nulls: bool) -> Q:
        first, last = self.fields[0], self.fields[-1]
        op = "gt" if forward != self.descending else "lt"
        if self.nullable and values[0] is None:
            # In the tail of undated rows: only the id orders them; every dated row comes before.
            beyond_nulls = Q(**{f"{first}__isnull": True, f"{last}__{op}": values[-1]})
            return beyond_nulls if forward else beyond_nulls | Q(**{f"{first}__isnull": False})
        lexicographic = reduce(
            or_,
            (
                Q(**{name: value for name, value in zip(self.fields[:i], values[:i], strict=True)})
                & Q(**{f"{self.fields[i]}__{op}": values[i]})
                for i in range(len(self.fields))
            ),
        )
        # The redundant bound on the first column lets the database start an index scan at the cursor.
        condition = Q(**{f"{first}__{op}e": values[0]}) & lexicographic
        if self.nullable and forward and visible_nulls:
            condition |= Q(**{f"{first}__isnull": True})
        return condition

    def key_of(self, row: Mapping[str, Any]) -> list[Any]:
        return [row[name] for name in self.fields]

    def encode(self, values: Sequence[Any]) -> list[Any]:
        return [
            None if value is None else _ENCODE[kind](value)
            for value, kind in zip(values, self.kinds, strict=True)
        ]

    def decode(self, values: Sequence[Any]) -> list[Any]:
        if not isinstance(values, list) or len(values) != len(self.fields):
            raise ValueError("wrong number of values")
        decoded = [
            None if value is None and self.nullable and i < len(self.fields) - 1 else _DECODE[kind](value)
            for i, (value, kind) in enumerate(zip(values, self.kinds, strict=True))
        ]
        if len({value is None for value in decoded[:-1]}) > 1:
            raise ValueError("the date bounds are null together or not at all")
        return decoded


def _decode_moment(value: Any) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    if moment.utcoffset() is None or partial_dates.utc_offset_problem(moment):
        raise ValueError("not a moment this API writes")
    return moment


def _decode_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("not an id")
    return value


_ENCODE: dict[str, Callable[[Any], Any]] = {
    "date": dt.date.isoformat,
    "datetime": dt.datetime.isoformat,
    "int": int,
}
_DECODE: dict[str, Callable[[Any], Any]] = {
    "date": dt.date.fromisoformat,
    "datetime": _decode_moment,
    "int": _decode_int,
}

EVENT_KEYSETS = {name: Keyset(ordering) for name, ordering in EVENT_ORDERINGS.items()}
ORDERING_PARAM = "ordering"


@dataclass(frozen=True)
class Cursor:
    """A position in an ordering: the key of a row, and which way the page reads from it."""

    ordering: str
    forward: bool
    key: list[Any]

    def token(self) -> str:
        keyset = EVENT_KEYSETS[self.ordering]
        payload = {"o": self.ordering, "d": "n" if self.forward else "p", "k": keyset.encode(self.key)}
        raw = json.dumps(payload, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def parse(cls, token: str, ordering: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(token.strip() + "=" * (-len(token.strip()) % 4))
            payload = json.loads(raw)
            direction = payload["d"]
            if direction not in ("n", "p") or payload["o"] not in EVENT_KEYSETS:
                raise ValueError("unknown direction or ordering")
            key = EVENT_KEYSETS[payload["o"]].decode(payload["k"])
        except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
            raise ValidationError(
                {CURSOR_PARAM: ["This cursor is not one this API gave: follow the next and previous links."]}
            ) from None
        if payload["o"] != ordering:
            raise ValidationError(
                {
                    CURSOR_PARAM: [
                        f"This cursor belongs to ordering={payload['o']}, not ordering={ordering}: "
                        "follow the links of the list you are reading."
                    ]
                }
            )
        return cls(ordering, direction == "n", key)


class EventCursorPagination(CountOnRequestPagination):
    """Events: ``limit``, ``cursor`` (from ``next``/``previous`` links), ``offset`` on a first page only,
    ``count=true`` for the total. Pages hold the events' rows (see events.presentation)."""

    cursor: Cursor | None
    first_key: list[Any] | None
    last_key: list[Any] | None
    has_previous: bool

    def paginate_rows(
        self,
        queryset: QuerySet,
        request: Request,
        *,
        visible_nulls: bool,
        read: Callable[[QuerySet, tuple[str, ...]], list[Any]] | None = None,
    ) -> list[Any]:
        """One page of ``queryset`` (filtered and ordered by the event FilterSet) as presentation rows,
        or as the rows ``read`` makes of the page's queryset and the ordering's columns (each row has
        at least those)."""
        from events.presentation import event_rows

        read_page = read or (lambda page, columns: event_rows(page))

        self.request = request
        self.limit = self.get_limit(request)
        self.ordering = request.query_params.get(ORDERING_PARAM) or DEFAULT_ORDERING
        self.keyset = EVENT_KEYSETS[self.ordering]
        token = request.query_params.get(CURSOR_PARAM)
        self.cursor = Cursor.parse(token, self.ordering) if token else None
        if self.cursor is not None and request.query_params.get(self.offset_query_param) is not None:
            raise ValidationError(
                {self.offset_query_param: ["Give offset or cursor, not both: a cursor says where to go on."]}
            )
        self.offset = 0 if self.cursor else self.get_offset(request)
        self.count = queryset.count() if wants_count(request) else None

        if self.cursor is None:
            page = queryset.order_by(*self.keyset.order_by(visible_nulls=visible_nulls))[
                self.offset : self.offset + self.limit + 1
            ]
            rows = read_page(page, self.keyset.fields)
            self.has_next = len(rows) > self.limit
            self.has_previous = self.offset > 0
            rows = rows[: self.limit]
        elif self.cursor.forward:
            after = self.keyset.after(self.cursor.key, visible_nulls=visible_nulls)
            rows = read_page(
                queryset.filter(after).order_by(*self.keyset.order_by(visible_nulls=visible_nulls))[
                    : self.limit + 1
                ],
                self.keyset.fields,
            )
            self.has_next = len(rows) > self.limit
            self.has_previous = True
            rows = rows[: self.limit]
        else:
            before = self.keyset.before(self.cursor.key, visible_nulls=visible_nulls)
            reverse_page = queryset.filter(before).order_by(
                *self.keyset.order_by(reverse=True, visible_nulls=visible_nulls)
            )
            rows = read_page(reverse_page[: self.limit + 1], self.keyset.fields)
            self.has_previous = len(rows) > self.limit
            self.has_next = True
            rows = rows[: self.limit][::-1]
        self.first_key = self.keyset.key_of(rows[0]) if rows else None
        self.last_key = self.keyset.key_of(rows[-1]) if rows else None
        return rows

    def _link(self, cursor: Cursor) -> str:
        return page_link(self.request, **{self.offset_query_param: None, CURSOR_PARAM: cursor.token()})

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        if self.last_key is None:  # an empty page read backwards: go on from where it was asked
            assert self.cursor is not None, "an empty first page has no next page"
            return self._link(Cursor(self.ordering, True, self.cursor.key))
        return self._link(Cursor(self.ordering, True, self.last_key))

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        if self.cursor is None:  # a first page read by offset: its previous page is an offset too
            previous = self.offset - self.limit
            return page_link(self.request, **{self.offset_query_param: previous if previous > 0 else None})
        key = self.first_key if self.first_key is not None else self.cursor.key
        return self._link(Cursor(self.ordering, False, key))

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.offset_query_param:
                parameter["description"] = (
                    "How many events to skip on a first page (later pages follow the next link's cursor). "
                    "Default 0."
                )
        parameters.append(
            {
                "name": CURSOR_PARAM,
                "required": False,
                "in": "query",
                "description": "Where a page starts: the opaque value of a next or previous link.",
                "schema": {"type": "string"},
            }
        )
        return parameters
