"""Curators write events through the API: human dates, the workflow, links, and 400s naming the field."""

import pytest

from events.models import Citation, Event, EventRelation, Participation
from tests.api.conftest import error_of
from tests.factories import ActorFactory, EventFactory, LocationFactory, SourceFactory, TagFactory

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"


def test_creating_an_event_reads_a_human_date_and_answers_with_the_representation(curator_client):
    LocationFactory(slug="shanghai")
    TagFactory(slug="ai-governance")
    response = curator_client.post(
        EVENTS,
        {
            "slug": "waic-2025",
            "title_en": "World AI Conference 2025",
            "title_zh": "2025世界人工智能大会",
            "date": "26–28 July 2025",
            "type": "conference",
            "location": "shanghai",
            "tags": ["ai-governance"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    event = Event.objects.get(slug="waic-2025")
    assert event.date == "2025-07-26/2025-07-28"
    assert (body["date"], body["date_start"], body["date_end"]) == (
        "2025-07-26/2025-07-28",
        "2025-07-26",
        "2025-07-28",
    )
    assert body["status"] == "draft"
    assert body["location"]["slug"] == "shanghai"
    assert [tag["slug"] for tag in body["tags"]] == ["ai-governance"]
    assert response["Location"] == body["url"]


def test_a_chinese_date_is_stored_as_edtf(curator_client):
    response = curator_client.post(
        EVENTS, {"slug": "gaigi", "title_en": "GAIGI", "date": "2023年10月"}, format="json"
    )
    assert response.json()["date"] == "2023-10"


def test_a_bad_date_is_a_400_naming_the_field(curator_client):
    error = error_of(
        curator_client.post(EVENTS, {"slug": "x", "title_en": "X", "date": "Octember"}, format="json"), 400
    )
    assert list(error["fields"]) == ["date"]
    assert "date:" in error["message"]
    assert not Event.objects.exists()


def test_missing_and_duplicate_fields_are_400s(curator_client):
    EventFactory(slug="taken")
    error = error_of(curator_client.post(EVENTS, {"slug": "taken"}, format="json"), 400)
    assert set(error["fields"]) == {"slug"}
    # A title is needed in one language at least (a draft from a Chinese article has no English one).
    error = error_of(curator_client.post(EVENTS, {"slug": "fresh"}, format="json"), 400)
    assert set(error["fields"]) == {"title_en"}
    chinese_only = curator_client.post(EVENTS, {"slug": "zh-only", "title_zh": "标题"}, format="json")
    assert chinese_only.status_code == 201


def test_publishing_an_undated_event_is_a_400_from_the_service(curator_client):
    error = error_of(
        curator_client.post(EVENTS, {"slug": "x", "title_en": "X", "status": "published"}, format="json"), 400
    )
    assert list(error["fields"]) == ["date"]
    assert not Event.objects.exists()  # nothing half-done


def test_one_request_can_date_and_publish_an_event(curator_client, api_client):
    event = EventFactory(slug="draft", date="", status=Event.Status.DRAFT)
    response = curator_client.patch(
        f"{EVENTS}{event.pk}/", {"date": "2023-10", "status": "published"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert api_client.get(f"{EVENTS}draft/").json()["date"] == "2023-10"


def test_a_transition_the_workflow_forbids_is_a_400(curator_client):
    event = EventFactory(status=Event.Status.DRAFT)
    error = error_of(
        curator_client.patch(f"{EVENTS}{event.pk}/", {"status": "retracted"}, format="json"), 400
    )
    assert list(error["fields"]) == ["status"]
    assert Event.objects.get().status == "draft"


def test_patch_changes_only_what_is_given(curator_client):
    event = EventFactory(title_en="Old", title_zh="旧", date="2023-10")
    response = curator_client.patch(f"{EVENTS}{event.pk}/", {"title_en": "New"}, format="json")
    assert response.status_code == 200
    event.refresh_from_db()
    assert (event.title_en, event.title_zh, event.date) == ("New", "旧", "2023-10")


def test_actors_citations_and_relations_are_replaced_by_what_is_sent(curator_client):
    li = ActorFactory(slug="li-qiang")
    xi = ActorFactory(slug="xi-jinping")
    source = SourceFactory(slug="xinhua", text="李强出席开幕式并致辞。")
    conference = EventFactory(slug="waic-2025")
    event = EventFactory(slug="speech")
    Participation.objects.create(event=event, actor=xi, role="proposer")
    response = curator_client.patch(
        f"{EVENTS}speech/",
        {
            "actors": [{"actor": "li-qiang", "role": "speaker"}],
            "citations": [{"source": "xinhua", "quote": "李强出席开幕式"}],
            "related": [{"relation": "part_of", "event": "waic-2025"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [(actor["slug"], actor["role"]) for actor in body["actors"]] == [("li-qiang", "speaker")]
    assert [citation["source"]["id"] for citation in body["citations"]] == [source.pk]
    assert body["related"] == [{"relation": "part_of", "id": conference.pk, "title": conference.title_en}]
    assert list(Participation.objects.values_list("actor", "role")) == [(li.pk, "speaker")]


def test_an_inverse_relation_name_links_the_other_event_to_this_one(curator_client):
    conference = EventFactory(slug="waic-2025")
    speech = EventFactory(slug="speech")
    response = curator_client.patch(
        f"{EVENTS}waic-2025/", {"related": [{"relation": "has_part", "event": "speech"}]}, format="json"
    )
    assert response.status_code == 200, response.content
    link = EventRelation.objects.get()
    assert (link.from_event, link.relation, link.to_event) == (speech, "part_of", conference)


def test_a_representation_can_be_sent_back(curator_client):
    ActorFactory(slug="li-qiang")
    event = EventFactory(slug="speech")
    EventFactory(slug="waic-2025")
    curator_client.patch(
        f"{EVENTS}speech/",
        {
            "actors": [{"actor": "li-qiang", "role": "speaker"}],
            "related": [{"relation": "part_of", "event": "waic-2025"}],
        },
        format="json",
    )
    body = curator_client.get(f"{EVENTS}speech/").json()
    response = curator_client.put(
        f"{EVENTS}speech/", {**body, "title_en": "Speech", "location": None}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["actors"] == body["actors"]
    assert response.json()["related"] == body["related"]
    assert Event.objects.get(pk=event.pk).title_en == "Speech"


def test_a_quote_missing_from_its_source_is_a_400_naming_the_citation(curator_client):
    SourceFactory(slug="xinhua", text="李强出席开幕式并致辞。")
    EventFactory(slug="speech")
    error = error_of(
        curator_client.patch(
            f"{EVENTS}speech/",
            {
                "citations": [
                    {"source": "xinhua", "quote": "李强出席开幕式"},
                    {"source": "xinhua", "quote": "不存在"},
                ]
            },
            format="json",
        ),
        400,
    )
    assert list(error["fields"]) == ["citations[1].quote"]
    assert not Citation.objects.exists()  # all or nothing


def test_unknown_actors_and_bad_roles_are_named_by_position(curator_client):
    EventFactory(slug="speech")
    error = error_of(
        curator_client.patch(
            f"{EVENTS}speech/",
            {"actors": [{"actor": "nobody", "role": "speaker"}, {"actor": "nobody", "role": "singer"}]},
            format="json",
        ),
        400,
    )
    assert set(error["fields"]) == {"actors[0].actor", "actors[1].actor", "actors[1].role"}
    assert "nobody" in error["fields"]["actors[0].actor"][0]


def test_an_event_cannot_be_related_to_itself(curator_client):
    EventFactory(slug="speech")
    error = error_of(
        curator_client.patch(
            f"{EVENTS}speech/", {"related": [{"relation": "follows", "event": "speech"}]}, format="json"
        ),
        400,
    )
    assert list(error["fields"]) == ["related[0].event"]


def test_changing_links_moves_updated_at(curator_client):
    ActorFactory(slug="li-qiang")
    event = EventFactory(slug="speech")
    before = event.updated_at
    curator_client.patch(
        f"{EVENTS}speech/", {"actors": [{"actor": "li-qiang", "role": "speaker"}]}, format="json"
    )
    event.refresh_from_db()
    assert event.updated_at > before


def test_deleting_an_event(curator_client):
    event = EventFactory()
    assert curator_client.delete(f"{EVENTS}{event.pk}/").status_code == 204
    assert not Event.objects.exists()
    assert error_of(curator_client.get(f"{EVENTS}{event.pk}/"), 404)


def test_options_describes_what_a_write_accepts(curator_client):
    post = curator_client.options(EVENTS).json()["actions"]["POST"]
    assert {"title_en", "date", "actors", "citations", "related", "status"} <= set(post)
    assert "date_display" not in post
