"""Actors: aliases in every script, kind, the count of visible events, slugs in URLs, curator writes."""

import pytest

from events.models import Actor, ActorAlias, Event
from tests.api.conftest import error_of, result_slugs
from tests.factories import ActorAliasFactory, ActorFactory, EventFactory, ParticipationFactory

pytestmark = pytest.mark.django_db

ACTORS = "/api/v1/actors/"


@pytest.fixture
def li_qiang():
    li = ActorFactory(slug="li-qiang", name_en="Li Qiang", name_zh="李强", kind="person")
    ActorAliasFactory(actor=li, name="李強", language="zh", script="Hant")
    ActorAliasFactory(actor=li, name="Premier Li Qiang", language="en", script="Latn")
    return li


def test_actor_detail_has_aliases_and_the_number_of_events(api_client, li_qiang):
    ParticipationFactory(actor=li_qiang, event=EventFactory(), role="speaker")
    ParticipationFactory(actor=li_qiang, event=EventFactory(), role="attendee")
    body = api_client.get(f"{ACTORS}li-qiang/").json()
    assert body["slug"] == "li-qiang"
    assert body["name"] == "Li Qiang"
    assert body["kind"] == "person"
    assert {(alias["name"], alias["script"]) for alias in body["aliases"]} == {
        ("李強", "Hant"),
        ("Premier Li Qiang", "Latn"),
    }
    assert body["event_count"] == 2
    assert api_client.get(f"{ACTORS}{li_qiang.pk}/").json() == body


def test_the_event_count_counts_each_event_once_and_only_what_the_reader_may_see(
    api_client, curator_client, li_qiang
):
    event = EventFactory()
    ParticipationFactory(actor=li_qiang, event=event, role="speaker")
    ParticipationFactory(actor=li_qiang, event=event, role="host")
    ParticipationFactory(actor=li_qiang, event=EventFactory(status=Event.Status.DRAFT))
    assert api_client.get(f"{ACTORS}li-qiang/").json()["event_count"] == 1
    assert api_client.get(ACTORS).json()["results"][0]["event_count"] == 1
    assert curator_client.get(f"{ACTORS}li-qiang/").json()["event_count"] == 2


@pytest.mark.parametrize("query", ["李強", "李强", "li qiang", "PREMIER"])
def test_q_matches_names_and_any_alias_in_any_script(api_client, li_qiang, query):
    ActorFactory(slug="xi-jinping", name_en="Xi Jinping", name_zh="习近平")
    assert result_slugs(api_client.get(ACTORS, {"q": query})) == ["li-qiang"]


def test_q_lists_an_actor_once_when_several_aliases_match(api_client, li_qiang):
    ActorAliasFactory(actor=li_qiang, name="李强总理", language="zh", script="Hans")
    response = api_client.get(ACTORS, {"q": "李"})
    assert result_slugs(response) == ["li-qiang"]


def test_kind_filters_actors(api_client, li_qiang):
    ActorFactory(slug="xinhua", kind="media_outlet")
    assert result_slugs(api_client.get(ACTORS, {"kind": "media_outlet"})) == ["xinhua"]
    assert list(error_of(api_client.get(ACTORS, {"kind": "alien"}), 400)["fields"]) == ["kind"]


def test_unknown_parameters_are_refused_on_actors_too(api_client):
    assert list(error_of(api_client.get(ACTORS, {"name": "Li"}), 400)["fields"]) == ["name"]


def test_an_unknown_actor_is_a_json_404(api_client):
    assert error_of(api_client.get(f"{ACTORS}nobody/"), 404)["code"] == "not_found"


def test_a_curator_creates_an_actor_with_aliases(curator_client):
    response = curator_client.post(
        ACTORS,
        {
            "slug": "xi-jinping",
            "kind": "person",
            "name_en": "Xi Jinping",
            "name_zh": "习近平",
            "aliases": [{"name": "習近平", "language": "zh", "script": "Hant"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["aliases"] == [{"name": "習近平", "language": "zh", "script": "Hant"}]
    assert response.json()["event_count"] == 0


def test_updating_aliases_replaces_them(curator_client, li_qiang):
    response = curator_client.patch(
        f"{ACTORS}li-qiang/",
        {"aliases": [{"name": "李強", "language": "zh", "script": "Hant"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert list(ActorAlias.objects.values_list("name", flat=True)) == ["李強"]


def test_a_bad_alias_is_named_by_position(curator_client, li_qiang):
    error = error_of(
        curator_client.patch(
            f"{ACTORS}li-qiang/",
            {"aliases": [{"name": "x", "language": "klingon", "script": "Latn"}]},
            format="json",
        ),
        400,
    )
    assert list(error["fields"]) == ["aliases[0].language"]


def test_an_invalid_wikidata_id_is_a_400_from_validation(curator_client, li_qiang):
    error = error_of(curator_client.patch(f"{ACTORS}li-qiang/", {"wikidata_id": "42"}, format="json"), 400)
    assert list(error["fields"]) == ["wikidata_id"]


def test_an_actor_in_events_cannot_be_deleted(curator_client, li_qiang):
    ParticipationFactory(actor=li_qiang)
    error = error_of(curator_client.delete(f"{ACTORS}li-qiang/"), 409)
    assert error["code"] == "conflict"
    assert Actor.objects.filter(slug="li-qiang").exists()


def test_an_actor_in_no_event_can_be_deleted(curator_client, li_qiang):
    assert curator_client.delete(f"{ACTORS}li-qiang/").status_code == 204
    assert not Actor.objects.exists()
