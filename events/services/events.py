"""Event services: create, update and move events through the draft → review → published workflow."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from events.models import Event
from events.services.common import model_update, save_validated

Status = Event.Status

# Which status an event may move to from each status. A draft is never "retracted": it was never public.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.REVIEW, Status.PUBLISHED},
    Status.REVIEW: {Status.DRAFT, Status.PUBLISHED},
    Status.PUBLISHED: {Status.REVIEW, Status.RETRACTED},
    Status.RETRACTED: {Status.DRAFT, Status.REVIEW, Status.PUBLISHED},
}

EVENT_EDITABLE_FIELDS = [
    "slug",
    "title_en",
    "title_zh",
    "title_zh_hant",
    "summary_en",
    "summary_zh",
    "summary_zh_hant",
    "type",
    "date",
    "location",
    "tags",
]


@transaction.atomic
def event_create(*, tags: Iterable[Any] = (), **fields: Any) -> Event:
    """Create an event (a draft unless ``status`` says otherwise) after full validation."""
    event = Event(**fields)
    event.full_clean()
    save_validated(event)
    if tags:
        event.tags.set(tags)
    return event


@transaction.atomic
def event_update(*, event: Event, data: Mapping[str, Any]) -> Event:
    """Update the editable fields of an event present in ``data``; status changes use event_set_status."""
    event, _ = model_update(instance=event, fields=EVENT_EDITABLE_FIELDS, data=data)
    return event


def event_set_status(*, event: Event, status: str) -> Event:
    """Move an event to ``status`` if the workflow allows it; a published event must have a date."""
    if status not in Status.values:
        raise ValidationError(
            {"status": f"{status!r} is not a status: use one of {', '.join(Status.values)}."}
        )
    if status == event.status:
        return event
    if status not in ALLOWED_TRANSITIONS[event.status]:
        raise ValidationError(
            {"status": f"A {event.get_status_display()} event cannot become {Status(status).label}."}
        )
    event.status = status
    event.full_clean()
    event.save(update_fields=["status", "updated_at"])
    return event


def event_publish(*, event: Event) -> Event:
    return event_set_status(event=event, status=Status.PUBLISHED)


def event_retract(*, event: Event) -> Event:
    return event_set_status(event=event, status=Status.RETRACTED)


@transaction.atomic
def events_set_status(*, events: Iterable[Event], status: str) -> tuple[list[Event], dict[Event, str]]:
    """Move many events at once; return those moved and, for the others, why not. Nothing half-done:
    each event is validated on its own, and one refusal does not undo the others."""
    moved: list[Event] = []
    refused: dict[Event, str] = {}
    for event in events:
        try:
            with transaction.atomic():
                moved.append(event_set_status(event=event, status=status))
        except ValidationError as error:
            refused[event] = "; ".join(error.messages)
    return moved, refused


def event_delete(*, event: Event) -> None:
    """Delete an event with its participations, citations and relations; its history rows remain."""
    event.delete()
