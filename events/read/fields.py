"""The event representation's fields, declared once: what each shows, what it reads, what it embeds.

``EVENT_FIELDS`` is the one list of the fields an event has to a reader, in the API's order. From it:

* events.presentation reads only the columns of the fields asked for (``FIELD_COLUMNS``);
* the API's ``EventSerializer`` takes its field list and descriptions (the OpenAPI schema);
* each feed format names the fields it shows through :func:`event_fields`, which refuses a name that is
  not declared when the format is imported;
* the change feed (events.selectors.changes) learns from ``embeds`` which records an event's
  representation shows something of, so that a change to one of them names the events showing it.

``embeds`` are ORM paths from an event to each record whose own columns the field shows (a tag's name,
an actor's name, a cited source's title and its publisher's name, a related event's title). The link
rows on the way (participations, citations, relations) are the event's own: their history rows name
their event already.

Pure data (no Django import), like events.orderings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class EventField:
    """One field of the event representation."""

    name: str
    columns: tuple[str, ...]  # the event row's columns it is built from (``values()`` names)
    help_text: str  # its description in the API's schema
    embeds: tuple[str, ...] = ()  # ORM paths from the event to the other records it shows


EVENT_FIELDS: tuple[EventField, ...] = (
    EventField("id", ("id",), "The event's numeric id; the detail answers to it, or to the slug."),
    EventField("slug", ("slug",), "The event's slug: unique, readable, for links."),
    EventField("url", ("id",), "The event's address in this API."),
    EventField(
        "title",
        ("title_en", "title_zh", "title_zh_hant"),
        "The title in the requested language (another language's when the record has none).",
    ),
    EventField(
        "summary",
        ("summary_en", "summary_zh", "summary_zh_hant"),
        "The summary in the requested language (another language's when the record has none).",
    ),
    EventField("date", ("date",), "The date as EDTF: 2023, 2023-10, 2025-07-26/2025-07-28, 2023~ ..."),
    EventField(
        "date_start", ("date_start",), "The first day the event may fall on; null when undated or open."
    ),
    EventField("date_end", ("date_end",), "The last day the event may fall on; null when undated or open."),
    EventField("date_precision", ("date_precision",), "year, month or day; null when undated."),
    EventField("date_display", ("date",), "The date as a person writes it."),
    EventField("type", ("type",), "What kind of event this is."),
    EventField("status", ("status",), "The workflow status; the public sees published events only."),
    EventField(
        "location",
        ("location_id", "location__slug", "location__name_en", "location__name_zh"),
        "Where the event took place; null when unknown.",
        embeds=("location",),
    ),
    EventField("tags", ("id",), "The event's tags.", embeds=("tags",)),
    EventField(
        "actors",
        ("id",),
        "Who took part, each with their role, in the order they were recorded.",
        embeds=("participations__actor",),
    ),
    EventField(
        "citations",
        ("id",),
        "The sources backing the event, each with its supporting quote.",
        embeds=("citations__source", "citations__source__publisher"),
    ),
    EventField(
        "related",
        ("id",),
        "Related events the reader may see, by the other event's date.",
        embeds=("relations_out__to_event", "relations_in__from_event"),
    ),
    EventField("created_at", ("created_at",), "When the event was recorded (UTC)."),
    EventField("updated_at", ("updated_at",), "When the event's own row last changed (UTC)."),
)

EVENT_FIELDS_BY_NAME: dict[str, EventField] = {field.name: field for field in EVENT_FIELDS}
EVENT_FIELD_NAMES: tuple[str, ...] = tuple(EVENT_FIELDS_BY_NAME)


def event_fields(*names: str) -> frozenset[str]:
    """The fields ``names`` of the representation, for a caller that shows only some (a feed format).

    A name that is not declared fails here, when the caller's module is imported, not on a request.
    """
    unknown = sorted(set(names) - set(EVENT_FIELDS_BY_NAME))
    if unknown:
        raise LookupError(
            f"{unknown} are not fields of the event representation; the fields are declared in "
            f"events/read/fields.py: {', '.join(EVENT_FIELD_NAMES)}."
        )
    return frozenset(names)


def embedded_paths(fields: Iterable[EventField] = EVENT_FIELDS) -> tuple[str, ...]:
    """Every ORM path from an event to a record its representation shows something of."""
    return tuple(dict.fromkeys(path for field in fields for path in field.embeds))
