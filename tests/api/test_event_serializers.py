"""The event serializers agree with the representation: drafts stay hidden from the public in related
events, and a PATCH that replaces a list checks each item in full before anything is written."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from events.api.serializers import EventSerializer
from events.models import Event, EventRelation
from tests.api.conftest import error_of
from tests.factories import ActorFactory, EventFactory, EventRelationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_related_events_rendered_through_the_serializer_hide_drafts_from_the_public(curator_client):
    public = EventFactory(slug="public")
    shown = EventFactory(slug="shown", title_en="Shown")
    draft = EventFactory(slug="draft", status=Event.Status.DRAFT)
    EventRelationFactory(from_event=public, to_event=shown)
    EventRelationFactory(from_event=draft, to_event=public)
    request = Request(APIRequestFactory().get("/api/v1/events/public/"))
    request.user = AnonymousUser()

    related = EventSerializer(public, context={"request": request, "language": "en"}).data["related"]

    assert related == [{"relation": "follows", "id": shown.id, "title": "Shown"}]
    served = curator_client.get("/api/v1/events/public/").json()["related"]
    assert {entry["id"] for entry in served} == {shown.id, draft.id}  # curators see drafts' links


@pytest.mark.parametrize(
    ("field", "item", "missing"),
    [
        ("related", {"relation": "part_of"}, "event"),
        ("related", {"event": "other"}, "relation"),
        ("actors", {"role": "speaker"}, "actor"),
        ("citations", {"quote": "A quote."}, "source"),
    ],
)
def test_a_patch_with_an_incomplete_list_item_is_a_400_naming_it(curator_client, field, item, missing):
    event = EventFactory(slug="mine")
    EventFactory(slug="other")
    ActorFactory(slug="someone")
    SourceFactory(slug="paper")
    before = EventRelation.objects.count()

    response = curator_client.patch("/api/v1/events/mine/", {field: [item]}, format="json")

    error = error_of(response, 400)
    assert list(error["fields"]) == [f"{field}[0].{missing}"]
    assert EventRelation.objects.count() == before
    event.refresh_from_db()
    assert event.slug == "mine"
