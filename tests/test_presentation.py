"""The shared event representation: the API's documented shape, the same streamed or not, any language."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from events.api.serializers import EventSerializer
from events.languages import ZH_HANT, date_display
from events.models import Event
from events.presentation import event_representations, iter_event_representations
from tests.factories import CitationFactory, EventFactory, EventRelationFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


def test_the_representation_has_exactly_the_documented_fields(api_client):
    event = EventFactory(date="2023-10")
    ParticipationFactory(event=event)
    CitationFactory(event=event)
    documented = list(EventSerializer.Meta.fields)
    served = api_client.get(f"/api/v1/events/{event.id}/").json()
    assert list(served) == documented
    without_request = event_representations(Event.objects.all(), language="en", user=AnonymousUser())
    assert list(without_request[0]) == [name for name in documented if name != "url"]


def test_streaming_gives_the_same_representations_in_the_same_order():
    events = [EventFactory(date=f"20{year:02d}") for year in range(10, 17)]
    EventRelationFactory(from_event=events[0], to_event=events[3])
    queryset = Event.objects.in_date_order()
    whole = event_representations(queryset, language="zh-hans", user=AnonymousUser())
    streamed = list(
        iter_event_representations(queryset, language="zh-hans", user=AnonymousUser(), chunk_size=3)
    )
    assert streamed == whole
    assert [item["id"] for item in whole] == [event.id for event in events]
    assert [(link["relation"], link["id"]) for link in whole[0]["related"]] == [("follows", events[3].id)]
    assert [(link["relation"], link["id"]) for link in whole[3]["related"]] == [("followed_by", events[0].id)]


def test_a_draft_never_shows_through_a_published_events_related_list():
    published = EventFactory(status="published", date="2024")
    draft = EventFactory(status="draft", date="2024")
    EventRelationFactory(from_event=published, to_event=draft)
    [representation] = event_representations(
        Event.objects.filter(pk=published.pk), language="en", user=AnonymousUser()
    )
    assert representation["related"] == []


def test_date_display_is_read_from_the_time_module_in_each_script():
    assert date_display("2023-10", "en") == "October 2023"
    assert date_display("2023-10", "zh-hans") == "2023年10月"
    assert date_display("2023~", "en") == "c. 2023"
    assert date_display("2023~", ZH_HANT) == "約2023年"
    assert date_display("2025-07-26/2025-07-28", ZH_HANT) == "2025年7月26日至28日"
    assert date_display("", "en") == ""


def test_the_public_reads_quotes_without_inline_pinyin_and_curators_read_them_as_stored(api_client):
    from tests.factories import SourceFactory, curator

    source = SourceFactory(text="國務(wù)院發布《行動計劃》。", language="zh")
    citation = CitationFactory(
        event=EventFactory(date="2025-07-26"), source=source, quote="國務(wù)院發布《行動計劃》"
    )
    public = api_client.get(f"/api/v1/events/{citation.event_id}/").json()
    assert public["citations"][0]["quote"] == "國務院發布《行動計劃》"
    stored = event_representations(Event.objects.all(), language="en", user=curator())
    assert stored[0]["citations"][0]["quote"] == "國務(wù)院發布《行動計劃》"
    citation.refresh_from_db()
    assert citation.quote == "國務(wù)院發布《行動計劃》"  # the record keeps the source's text


@pytest.mark.parametrize(
    "fields",
    [
        frozenset({"id", "title", "date", "date_start", "date_end", "date_display"}),
        frozenset({"slug", "actors", "citations", "location", "updated_at"}),
        frozenset({"related", "tags", "summary", "url"}),
    ],
)
def test_declared_fields_are_the_whole_representations_fields(rf, fields):
    from events.presentation import iter_event_representations as represent

    events = [EventFactory(date=date) for date in ("2023-10", "2024~/..", "../2025-07-26")]
    ParticipationFactory(event=events[0])
    CitationFactory(event=events[1])
    EventRelationFactory(from_event=events[0], to_event=events[2])
    queryset = Event.objects.in_date_order()
    request = rf.get("/")
    whole = list(represent(queryset, language="zh-hant", user=AnonymousUser(), request=request))
    declared = list(
        represent(queryset, language="zh-hant", user=AnonymousUser(), request=request, fields=fields)
    )
    assert declared == [{key: item[key] for key in item if key in fields | {"id"}} for item in whole]
