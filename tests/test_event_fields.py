"""The event's fields are declared once (events/read/fields.py): the representation, the schema, the
feeds and the change feed all follow the declaration."""

from __future__ import annotations

import pytest
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator

from events.models import Event
from events.read.fields import EVENT_FIELD_NAMES, EVENT_FIELDS, event_fields
from events.selectors.changes import EVENT_EMBEDDINGS, MAX_LIMIT, RESOURCE_MODELS, change_feed_page
from tests.factories import (
    CitationFactory,
    EventFactory,
    EventRelationFactory,
    LocationFactory,
    ParticipationFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked_event() -> Event:
    """An event embedding one record along every relation the representation shows."""
    event = EventFactory(date="2023-10", location=LocationFactory(), tags=[TagFactory()])
    ParticipationFactory(event=event)
    CitationFactory(event=event)
    EventRelationFactory(from_event=event, to_event=EventFactory())
    EventRelationFactory(from_event=EventFactory(), to_event=event)
    return event


def test_the_schema_documents_exactly_the_served_fields_with_the_declared_descriptions(
    api_client, linked_event
):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    documented = schema["components"]["schemas"]["Event"]["properties"]
    served = api_client.get(f"/api/v1/events/{linked_event.id}/").json()
    assert list(served) == list(documented) == list(EVENT_FIELD_NAMES)
    for field in EVENT_FIELDS:
        assert documented[field.name]["description"].startswith(field.help_text), field.name


def test_every_embedded_field_of_a_real_event_is_filled(api_client, linked_event):
    served = api_client.get(f"/api/v1/events/{linked_event.id}/").json()
    for field in EVENT_FIELDS:
        if field.embeds:
            assert served[field.name], f"{field.name} embeds {field.embeds} but shows nothing"


def test_a_feed_naming_a_field_that_is_not_declared_fails_when_it_is_declared():
    assert event_fields("title", "date") == {"title", "date"}
    with pytest.raises(LookupError, match="'titel'"):
        event_fields("title", "titel")


@override_settings(CHANGE_FEED_SETTLE_SECONDS=0)
@pytest.mark.parametrize(("path", "resource"), EVENT_EMBEDDINGS, ids=[path for path, _ in EVENT_EMBEDDINGS])
def test_a_change_to_any_embedded_record_lists_the_event_in_the_change_feed(linked_event, path, resource):
    [embedded_id] = Event.objects.filter(pk=linked_event.pk).values_list(path, flat=True)
    start = change_feed_page(user=None, limit=MAX_LIMIT).next_cursor
    RESOURCE_MODELS[resource].objects.get(pk=embedded_id).save()  # a history row, as any edit writes
    entries = change_feed_page(user=None, since=start).entries
    assert (resource, embedded_id) in {(entry.type, entry.id) for entry in entries}
    assert ("event", linked_event.id) in {(entry.type, entry.id) for entry in entries}
