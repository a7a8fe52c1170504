"""Tag and location services: the vocabulary events are filed under."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from events.models import Location, Tag
from events.services.common import model_update, save_validated

TAG_EDITABLE_FIELDS = ["slug", "name_en", "name_zh"]
LOCATION_EDITABLE_FIELDS = ["slug", "name_en", "name_zh", "latitude", "longitude"]


def tag_create(**fields: Any) -> Tag:
    tag = Tag(**fields)
    tag.full_clean()
    return save_validated(tag)


def tag_update(*, tag: Tag, data: Mapping[str, Any]) -> Tag:
    tag, _ = model_update(instance=tag, fields=TAG_EDITABLE_FIELDS, data=data)
    return tag


def tag_delete(*, tag: Tag) -> None:
    """Delete a tag; the events filed under it simply lose it."""
    tag.delete()


def location_create(**fields: Any) -> Location:
    location = Location(**fields)
    location.full_clean()
    return save_validated(location)


def location_update(*, location: Location, data: Mapping[str, Any]) -> Location:
    location, _ = model_update(instance=location, fields=LOCATION_EDITABLE_FIELDS, data=data)
    return location


def location_delete(*, location: Location) -> None:
    """Delete a location no event happens at (else ProtectedError)."""
    location.delete()
