"""Writes keep the record whole: a slug taken meanwhile, odd slugs, repeated input, contradictory links,
and changes that only touch an event's links or tags still move its updated_at."""

import threading

import pytest
from django.db import IntegrityError, connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.models import Actor, Event, EventRelation, Location, Source, Tag
from tests.api.conftest import error_of
from tests.factories import (
    ActorFactory,
    CitationFactory,
    EventFactory,
    LocationFactory,
    SourceFactory,
    TagFactory,
    curator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def taken_during_validation(monkeypatch):
    """Another writer commits a record with the same slug after ours was validated, before it is saved:
    the race of two clients choosing the same new slug, made deterministic."""

    def arrange(model, competitor):
        original = model.full_clean
        state = {"raced": False}

        def full_clean(self, *args, **kwargs):
            original(self, *args, **kwargs)
            if not state["raced"]:
                state["raced"] = True
                competitor()

        monkeypatch.setattr(model, "full_clean", full_clean)
        return state

    return arrange


CREATES = [
    ("/api/v1/tags/", Tag, {"slug": "same", "name_en": "Same"}, lambda: TagFactory(slug="same")),
    (
        "/api/v1/locations/",
        Location,
        {"slug": "same", "name_en": "Same"},
        lambda: LocationFactory(slug="same"),
    ),
    (
        "/api/v1/actors/",
        Actor,
        {"slug": "same", "kind": "person", "name_en": "Same"},
        lambda: ActorFactory(slug="same"),
    ),
    (
        "/api/v1/sources/",
        Source,
        {"slug": "same", "title": "Same", "language": "en"},
        lambda: SourceFactory(slug="same"),
    ),
    ("/api/v1/events/", Event, {"slug": "same", "title_en": "Same"}, lambda: EventFactory(slug="same")),
]


@pytest.mark.parametrize(("path", "model", "body", "competitor"), CREATES)
def test_a_slug_taken_by_a_concurrent_writer_is_a_400_naming_it(
    curator_client, taken_during_validation, path, model, body, competitor
):
    state = taken_during_validation(model, competitor)
    error = error_of(curator_client.post(path, body, format="json"), 400)
    assert state["raced"]
    assert list(error["fields"]) == ["slug"]


def test_two_events_renamed_to_one_slug_at_once_is_a_400(curator_client, taken_during_validation):
    mine = EventFactory(slug="mine")
    taken_during_validation(Event, lambda: Event.objects.filter(slug="theirs-old").update(slug="new-name"))
    EventFactory(slug="theirs-old")
    response = curator_client.patch(f"/api/v1/events/{mine.pk}/", {"slug": "new-name"}, format="json")
    assert list(error_of(response, 400)["fields"]) == ["slug"]
    mine.refresh_from_db()
    assert mine.slug == "mine"


@pytest.mark.parametrize("slug", ["15", "0", "007"])
@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/tags/", {"name_en": "T"}),
        ("/api/v1/locations/", {"name_en": "L"}),
        ("/api/v1/actors/", {"kind": "person", "name_en": "A"}),
        ("/api/v1/sources/", {"title": "S", "language": "en"}),
        ("/api/v1/events/", {"title_en": "E"}),
    ],
)
def test_an_all_digit_slug_is_refused(curator_client, path, body, slug):
    error = error_of(curator_client.post(path, {**body, "slug": slug}, format="json"), 400)
    assert "only digits" in error["fields"]["slug"][0]


def test_an_all_digit_slug_cannot_be_given_in_an_update_either(curator_client):
    event = EventFactory()
    error = error_of(curator_client.patch(f"/api/v1/events/{event.pk}/", {"slug": "15"}, format="json"), 400)
    assert "slug" in error["fields"]


def test_slugs_are_lower_case_so_two_cannot_differ_only_in_case(curator_client):
    EventFactory(slug="waic-2025")
    error = error_of(curator_client.post("/api/v1/events/", {"slug": "WAIC-2025", "title_en": "W"}), 400)
    assert "'waic-2025'" in error["fields"]["slug"][0]
    assert Event.objects.count() == 1


def test_a_tag_only_write_moves_the_events_updated_at(curator_client):
    event = EventFactory(slug="tagged")
    TagFactory(slug="trade")
    before = Event.objects.get(pk=event.pk).updated_at
    response = curator_client.patch(f"/api/v1/events/{event.pk}/", {"tags": ["trade"]}, format="json")
    assert response.status_code == 200, response.content
    after = Event.objects.get(pk=event.pk).updated_at
    assert after > before
    newest = curator_client.get("/api/v1/events/", {"ordering": "-updated"}).json()["results"][0]
    assert newest["slug"] == "tagged"


def test_sending_the_same_tags_again_changes_nothing(curator_client):
    tag = TagFactory(slug="trade")
    event = EventFactory(tags=[tag])
    before = Event.objects.get(pk=event.pk).updated_at
    curator_client.patch(f"/api/v1/events/{event.pk}/", {"tags": ["trade"]}, format="json")
    assert Event.objects.get(pk=event.pk).updated_at == before


def test_a_repeated_citation_is_refused_naming_the_repeat(curator_client):
    cited = CitationFactory()
    event, source = cited.event, cited.source
    citation = {"source": source.slug, "quote": cited.quote}
    other = {"source": source.slug, "quote": "the source says"}
    response = curator_client.patch(
        f"/api/v1/events/{event.pk}/", {"citations": [citation, other, citation]}, format="json"
    )
    error = error_of(response, 400)
    assert list(error["fields"]) == ["citations[2].quote"]
    assert "citations[0]" in error["message"]
    assert event.citations.count() == 1


def test_an_event_cannot_be_both_part_of_and_has_part_of_one_event(curator_client):
    conference, speech = EventFactory(slug="conference"), EventFactory(slug="speech")
    response = curator_client.patch(
        f"/api/v1/events/{speech.pk}/",
        {
            "related": [
                {"relation": "part_of", "event": "conference"},
                {"relation": "has_part", "event": "conference"},
            ]
        },
        format="json",
    )
    error = error_of(response, 400)
    assert list(error["fields"]) == ["related[1].relation"]
    assert not EventRelation.objects.exists()
    assert conference.pk  # both events stay as they were


def test_a_related_to_link_both_ways_is_not_a_contradiction(curator_client):
    EventFactory(slug="other")
    event = EventFactory()
    response = curator_client.patch(
        f"/api/v1/events/{event.pk}/",
        {
            "related": [
                {"relation": "related_to", "event": "other"},
                {"relation": "follows", "event": "other"},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.content


@pytest.mark.django_db(transaction=True)
def test_two_real_writers_choosing_one_new_slug_at_once(monkeypatch):
    """Two requests on two database connections both validate the slug before either writes it."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers on separate connections: runs on PostgreSQL")
    token = Token.objects.create(user=curator())
    both_validated = threading.Barrier(2, timeout=60)
    original = Tag.full_clean

    def full_clean(self, *args, **kwargs):
        original(self, *args, **kwargs)
        both_validated.wait()

    monkeypatch.setattr(Tag, "full_clean", full_clean)
    answers = []

    def create_tag():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        try:
            answers.append(client.post("/api/v1/tags/", {"slug": "same", "name_en": "Same"}, format="json"))
        finally:
            connection.close()

    writers = [threading.Thread(target=create_tag) for _ in range(2)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert sorted(answer.status_code for answer in answers) == [201, 400]
    refused = next(answer for answer in answers if answer.status_code == 400)
    assert list(error_of(refused, 400)["fields"]) == ["slug"]
    assert Tag.objects.filter(slug="same").count() == 1


def test_any_other_clash_with_a_concurrent_write_is_a_409_not_a_500(curator_client, monkeypatch):
    def clash(**fields):
        raise IntegrityError("insert or update violates foreign key constraint")

    monkeypatch.setattr("events.api.views.vocabulary.tag_create", clash)
    response = curator_client.post("/api/v1/tags/", {"slug": "fine", "name_en": "Fine"}, format="json")
    error = error_of(response, 409)
    assert error["code"] == "conflict"
    assert "constraint" not in error["message"]  # the database's wording stays in the log
