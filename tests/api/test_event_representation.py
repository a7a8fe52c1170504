"""What an event looks like in the API: the fields of issue 5, dates, actors, citations and relations."""

import json

import pytest
from django.core.handlers.wsgi import WSGIHandler

from events.models import Event, EventRelation
from tests.api.test_cache_front import call, environ_of
from tests.factories import (
    ActorFactory,
    CitationFactory,
    EventFactory,
    EventRelationFactory,
    LocationFactory,
    ParticipationFactory,
    SourceFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"

FIELDS = [
    "id",
    "slug",
    "url",
    "title",
    "summary",
    "date",
    "date_start",
    "date_end",
    "date_precision",
    "date_display",
    "type",
    "status",
    "location",
    "tags",
    "actors",
    "citations",
    "related",
    "created_at",
    "updated_at",
]


def detail(client, event, **params):
    response = client.get(f"{EVENTS}{event.pk}/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_an_event_has_the_fields_of_the_representation_in_list_and_detail(api_client):
    event = EventFactory(slug="wcaio", date="2025-07-26", title_en="WAICO proposed", summary_en="Proposed.")
    body = detail(api_client, event)
    assert list(body) == FIELDS
    assert body["id"] == event.pk
    assert body["url"] == f"http://testserver/api/v1/events/{event.pk}/"
    assert (body["title"], body["summary"]) == ("WAICO proposed", "Proposed.")
    assert (body["date"], body["date_start"], body["date_end"]) == ("2025-07-26", "2025-07-26", "2025-07-26")
    assert (body["date_precision"], body["date_display"]) == ("day", "26 July 2025")
    assert (body["type"], body["status"]) == ("announcement", "published")
    assert api_client.get(EVENTS).json()["results"] == [body]


@pytest.mark.usefixtures("connection_kept_open")
def test_links_follow_the_script_prefix_the_service_is_mounted_under(db):
    # One process serves it under /timeline (SCRIPT_NAME, as a proxy mounting it sets) and at the root.
    # Django's WSGI handler, not the test client, which never sets the script prefix.
    event = EventFactory(slug="waic-2025")
    mounted = {"SCRIPT_NAME": "/timeline"}
    _status, _headers, body = call(WSGIHandler(), {**environ_of(f"{EVENTS}{event.pk}/"), **mounted})
    assert json.loads(body)["url"] == f"http://testserver/timeline/api/v1/events/{event.pk}/"
    _status, _headers, body = call(WSGIHandler(), {**environ_of(EVENTS), **mounted})
    assert [item["url"] for item in json.loads(body)["results"]] == [
        f"http://testserver/timeline/api/v1/events/{event.pk}/"
    ]
    _status, _headers, body = call(WSGIHandler(), environ_of(f"{EVENTS}{event.pk}/"))
    assert json.loads(body)["url"] == f"http://testserver/api/v1/events/{event.pk}/"


def test_a_detail_url_also_takes_the_slug(api_client):
    event = EventFactory(slug="waic-2025")
    response = api_client.get(f"{EVENTS}waic-2025/")
    assert response.status_code == 200
    assert response.json()["id"] == event.pk


def test_month_and_interval_dates_have_day_bounds(api_client):
    month = detail(api_client, EventFactory(date="2023-10"))
    assert (month["date_start"], month["date_end"], month["date_precision"]) == (
        "2023-10-01",
        "2023-10-31",
        "month",
    )
    assert month["date_display"] == "October 2023"
    interval = detail(api_client, EventFactory(date="2025-07-26/2025-07-28"))
    assert (interval["date_start"], interval["date_end"]) == ("2025-07-26", "2025-07-28")
    assert interval["date_display"] == "26–28 July 2025"


def test_an_open_or_unknown_interval_end_is_null(api_client):
    open_end = detail(api_client, EventFactory(date="2024-08-01/.."))
    assert (open_end["date"], open_end["date_start"], open_end["date_end"]) == (
        "2024-08-01/..",
        "2024-08-01",
        None,
    )
    open_start = detail(api_client, EventFactory(date="../2024"))
    assert (open_start["date_start"], open_start["date_end"]) == (None, "2024-12-31")


def test_an_undated_event_has_null_dates(curator_client):
    body = detail(curator_client, EventFactory(date="", status=Event.Status.DRAFT))
    assert [body[name] for name in ("date", "date_start", "date_end", "date_precision")] == [None] * 4
    assert body["date_display"] == ""


def test_location_tags_actors_and_citations(api_client):
    event = EventFactory(
        location=LocationFactory(slug="shanghai", name_en="Shanghai"),
        tags=[TagFactory(slug="ai-governance", name_en="AI governance")],
    )
    li = ActorFactory(slug="li-qiang", name_en="Li Qiang", kind="person")
    ParticipationFactory(event=event, actor=li, role="speaker")
    xinhua = ActorFactory(slug="xinhua", name_en="Xinhua", kind="media_outlet")
    source = SourceFactory(
        title="Li Qiang opens WAIC",
        publisher=xinhua,
        url="https://news.example.org/waic",
        published="2025-07-26",
        text="Li Qiang spoke at the opening.",
    )
    CitationFactory(event=event, source=source, quote="Li Qiang spoke")
    body = detail(api_client, event)
    assert body["location"] == {"id": event.location.pk, "slug": "shanghai", "name": "Shanghai"}
    assert body["tags"] == [{"id": event.tags.get().pk, "slug": "ai-governance", "name": "AI governance"}]
    assert body["actors"] == [{"slug": "li-qiang", "name": "Li Qiang", "kind": "person", "role": "speaker"}]
    assert body["citations"] == [
        {
            "source": {
                "id": source.pk,
                "title": "Li Qiang opens WAIC",
                "publisher": {"id": xinhua.pk, "slug": "xinhua", "name": "Xinhua"},
                "url": "https://news.example.org/waic",
                "published": "2025-07-26",
            },
            "quote": "Li Qiang spoke",
        }
    ]


def test_related_events_are_listed_from_both_sides_with_inverse_names(api_client):
    conference = EventFactory(title_en="WAIC 2025", date="2025-07-26/2025-07-28")
    speech = EventFactory(title_en="Opening speech", date="2025-07-26")
    commentary = EventFactory(title_en="Commentary", date="2025-07-30")
    EventRelationFactory(from_event=speech, relation=EventRelation.Relation.PART_OF, to_event=conference)
    EventRelationFactory(
        from_event=commentary, relation=EventRelation.Relation.COMMENTARY_ON, to_event=speech
    )
    assert detail(api_client, speech)["related"] == [
        {"relation": "part_of", "id": conference.pk, "title": "WAIC 2025"},
        {"relation": "has_commentary", "id": commentary.pk, "title": "Commentary"},
    ]
    assert detail(api_client, conference)["related"] == [
        {"relation": "has_part", "id": speech.pk, "title": "Opening speech"}
    ]


def test_every_relation_has_an_inverse_name():
    assert set(EventRelation.INVERSE) == set(EventRelation.Relation.values)
    assert len(set(EventRelation.INVERSE.values())) == len(EventRelation.INVERSE)


def test_related_drafts_are_hidden_from_the_public_but_shown_to_curators(api_client, curator_client):
    public = EventFactory()
    draft = EventFactory(status=Event.Status.DRAFT)
    EventRelationFactory(from_event=public, to_event=draft)
    EventRelationFactory(from_event=EventFactory(status=Event.Status.REVIEW), to_event=public)
    assert detail(api_client, public)["related"] == []
    assert len(detail(curator_client, public)["related"]) == 2
