"""Event filters other than dates: one test per filter, and the 400s for bad values and unknown names."""

import datetime as dt

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from events.filtersets import EventFilterSet
from events.models import Event, Participation
from tests.api.conftest import error_of, result_slugs
from tests.factories import (
    ActorFactory,
    CitationFactory,
    EventFactory,
    LocationFactory,
    ParticipationFactory,
    SourceFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"


def found(client, **params):
    return set(result_slugs(client.get(EVENTS, params)))


@pytest.fixture
def cast():
    """Li Qiang speaks at one event; Xi Jinping proposes another; a third has nobody."""
    li = ActorFactory(slug="li-qiang", name_en="Li Qiang")
    xi = ActorFactory(slug="xi-jinping", name_en="Xi Jinping")
    speech = EventFactory(slug="speech")
    proposal = EventFactory(slug="proposal")
    EventFactory(slug="nobody")
    ParticipationFactory(event=speech, actor=li, role=Participation.Role.SPEAKER)
    ParticipationFactory(event=proposal, actor=xi, role=Participation.Role.PROPOSER)
    ParticipationFactory(event=proposal, actor=li, role=Participation.Role.ATTENDEE)
    return li, xi


def test_actor_finds_the_events_of_that_actor(api_client, cast):
    assert found(api_client, actor="xi-jinping") == {"proposal"}
    assert found(api_client, actor="li-qiang") == {"speech", "proposal"}


def test_a_repeated_actor_means_any_of_them(api_client, cast):
    ActorFactory(slug="nobody-at-all")
    assert found(api_client, actor=["xi-jinping", "nobody-at-all"]) == {"proposal"}


def test_an_unknown_actor_slug_is_a_400_naming_it(api_client, cast):
    error = error_of(api_client.get(EVENTS, {"actor": ["li-qiang", "li-keqiang"]}), 400)
    assert list(error["fields"]) == ["actor"]
    assert "li-keqiang" in error["fields"]["actor"][0]


def test_the_first_unknown_actor_given_is_the_one_named(api_client, cast):
    error = error_of(api_client.get(EVENTS, {"actor": ["li-keqiang", "li-qiang", "wen-jiabao"]}), 400)
    assert error["fields"]["actor"] == ["There is no actor with the slug li-keqiang."]


def test_an_actor_slug_with_a_null_character_is_refused_before_any_query(cast):
    """The API's middleware refuses NUL characters first; the FilterSet, which feeds and pages use
    too, refuses them itself rather than handing them to the database (which cannot store them)."""
    filterset = EventFilterSet(QueryDict("actor=li-%00qiang"), Event.objects.all())
    assert not filterset.is_valid()
    assert filterset.errors["actor"] == ["Null characters are not allowed."]


def test_many_actors_at_once_find_the_events_of_any_of_them(api_client, cast):
    """Up to eight actors are looked up by a prepared statement; more take the plain query."""
    others = [ActorFactory(slug=f"someone-{index}").slug for index in range(10)]
    assert found(api_client, actor=[*others, "xi-jinping", "xi-jinping"]) == {"proposal"}
    assert found(api_client, actor=[*others[:7], "xi-jinping"]) == {"proposal"}
    error = error_of(api_client.get(EVENTS, {"actor": [*others, "li-keqiang"]}), 400)
    assert error["fields"]["actor"] == ["There is no actor with the slug li-keqiang."]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="server-side prepared statements are PostgreSQL's"
)
def test_the_actor_lookup_is_planned_once_per_database_session(api_client, cast):
    for slug in ("li-qiang", "xi-jinping"):
        api_client.get(EVENTS, {"actor": slug})
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = 'timeline_actor_ids_1'")
        assert cursor.fetchone() == (1,)


def test_role_finds_events_in_which_someone_has_that_role(api_client, cast):
    assert found(api_client, role="speaker") == {"speech"}
    assert found(api_client, role="attendee") == {"proposal"}


def test_actor_and_role_apply_to_the_same_participation(api_client, cast):
    assert found(api_client, actor="li-qiang", role="speaker") == {"speech"}
    # Xi proposes and Li attends the proposal, but Li proposes nothing:
    assert found(api_client, actor="li-qiang", role="proposer") == set()


def test_an_unknown_role_is_a_400(api_client):
    assert list(error_of(api_client.get(EVENTS, {"role": "singer"}), 400)["fields"]) == ["role"]


def test_source_takes_an_id_or_a_slug_and_lists_each_event_once(api_client):
    source = SourceFactory(slug="xinhua-dispatch", text="Quote one. Quote two.")
    cited = EventFactory(slug="cited")
    EventFactory(slug="uncited")
    CitationFactory(event=cited, source=source, quote="Quote one.")
    CitationFactory(event=cited, source=source, quote="Quote two.")
    assert result_slugs(api_client.get(EVENTS, {"source": "xinhua-dispatch"})) == ["cited"]
    assert result_slugs(api_client.get(EVENTS, {"source": source.id})) == ["cited"]
    error = error_of(api_client.get(EVENTS, {"source": "no-such-source"}), 400)
    assert "no-such-source" in error["fields"]["source"][0]


def test_publisher_finds_events_citing_that_publishers_sources(api_client):
    xinhua = ActorFactory(slug="xinhua", kind="media_outlet")
    CitationFactory(event=EventFactory(slug="reported"), source=SourceFactory(publisher=xinhua))
    CitationFactory(event=EventFactory(slug="elsewhere"), source=SourceFactory())
    assert found(api_client, publisher="xinhua") == {"reported"}
    assert found(api_client, publisher=xinhua.id) == {"reported"}


def test_type_finds_events_of_that_type(api_client):
    EventFactory(slug="a-speech", type=Event.Type.SPEECH)
    EventFactory(slug="a-proposal", type=Event.Type.PROPOSAL)
    assert found(api_client, type="speech") == {"a-speech"}
    assert list(error_of(api_client.get(EVENTS, {"type": "party"}), 400)["fields"]) == ["type"]


def test_tag_finds_events_with_that_tag(api_client):
    governance = TagFactory(slug="ai-governance")
    EventFactory(slug="tagged", tags=[governance, TagFactory(slug="other")])
    EventFactory(slug="untagged")
    assert result_slugs(api_client.get(EVENTS, {"tag": "ai-governance"})) == ["tagged"]
    assert found(api_client, tag=governance.id) == {"tagged"}
    assert "no-such-tag" in error_of(api_client.get(EVENTS, {"tag": "no-such-tag"}), 400)["message"]


def test_location_finds_events_at_that_location(api_client):
    shanghai = LocationFactory(slug="shanghai")
    EventFactory(slug="in-shanghai", location=shanghai)
    EventFactory(slug="nowhere")
    assert found(api_client, location="shanghai") == {"in-shanghai"}
    assert found(api_client, location=shanghai.id) == {"in-shanghai"}


def test_precision_finds_events_dated_to_that_precision(api_client):
    EventFactory(slug="a-month", date="2023-10")
    EventFactory(slug="a-day", date="2023-10-18")
    EventFactory(slug="a-year", date="2023")
    assert found(api_client, precision="month") == {"a-month"}
    assert found(api_client, precision="year") == {"a-year"}
    assert list(error_of(api_client.get(EVENTS, {"precision": "hour"}), 400)["fields"]) == ["precision"]


def test_status_filter_is_for_curators(curator_client):
    EventFactory(slug="a-draft", status=Event.Status.DRAFT)
    EventFactory(slug="in-review", status=Event.Status.REVIEW)
    EventFactory(slug="public")
    assert found(curator_client, status="draft") == {"a-draft"}
    assert found(curator_client, status="published") == {"public"}


@pytest.mark.parametrize("status", ["published", "draft"])
def test_status_filter_is_a_400_for_anyone_else(api_client, reader_client, status):
    for client in (api_client, reader_client):
        error = error_of(client.get(EVENTS, {"status": status}), 400)
        assert list(error["fields"]) == ["status"]
        assert "curators" in error["message"]


def test_updated_since_finds_events_changed_at_or_after_a_moment(api_client):
    old = EventFactory(slug="old")
    Event.objects.filter(pk=old.pk).update(updated_at=timezone.make_aware(dt.datetime(2024, 1, 1, 12, 0)))
    EventFactory(slug="recent")
    assert found(api_client, updated_since="2025-01-01T00:00:00Z") == {"recent"}
    assert found(api_client, updated_since="2024-01-01") == {"old", "recent"}
    assert found(api_client, updated_since="2024-01-01T12:00:01+00:00") == {"recent"}
    assert list(error_of(api_client.get(EVENTS, {"updated_since": "yesterday"}), 400)["fields"]) == [
        "updated_since"
    ]


@pytest.mark.parametrize("offset", ["+23:59", "-16:00", "+14:01"])
def test_updated_since_with_an_offset_no_place_has_is_a_400(api_client, offset):
    """PostgreSQL refuses offsets beyond ±15:59: they once reached it and answered 500."""
    error = error_of(api_client.get(EVENTS, {"updated_since": f"2026-01-01T00:00:00{offset}"}), 400)
    assert list(error["fields"]) == ["updated_since"]
    assert "-12:00 to +14:00" in error["fields"]["updated_since"][0]
    assert found(api_client, updated_since="2026-01-01T00:00:00+14:00") == set()


def test_ordering_by_date_is_the_default_start_then_end_then_id(api_client):
    EventFactory(slug="month", date="2023-10")
    EventFactory(slug="day", date="2023-10-01")
    EventFactory(slug="later", date="2024")
    EventFactory(slug="earlier", date="2022-05-05")
    expected = ["earlier", "day", "month", "later"]
    assert result_slugs(api_client.get(EVENTS)) == expected
    assert result_slugs(api_client.get(EVENTS, {"ordering": "date"})) == expected
    assert result_slugs(api_client.get(EVENTS, {"ordering": "-date"})) == list(reversed(expected))


def test_ordering_by_update_time(api_client):
    first, second = EventFactory(slug="first"), EventFactory(slug="second")
    Event.objects.filter(pk=second.pk).update(updated_at=first.updated_at - dt.timedelta(days=1))
    assert result_slugs(api_client.get(EVENTS, {"ordering": "updated"})) == ["second", "first"]
    assert result_slugs(api_client.get(EVENTS, {"ordering": "-updated"})) == ["first", "second"]


def test_an_unknown_ordering_is_a_400(api_client):
    assert list(error_of(api_client.get(EVENTS, {"ordering": "title"}), 400)["fields"]) == ["ordering"]


def test_unknown_parameters_are_a_400_naming_them(api_client):
    error = error_of(api_client.get(EVENTS, {"colour": "red", "actors": "li-qiang"}), 400)
    assert set(error["fields"]) == {"colour", "actors"}
    assert "colour" in error["message"]
    assert "actor" in error["fields"]["actors"][0]  # the message lists the parameters that exist


def test_several_bad_parameters_are_named_together(api_client):
    error = error_of(api_client.get(EVENTS, {"date_from": "nope", "type": "party", "limit": "10"}), 400)
    assert set(error["fields"]) == {"date_from", "type"}


def test_an_empty_status_parameter_is_ignored_like_other_empty_filters(api_client):
    EventFactory(slug="public")
    assert found(api_client, status="", type="") == {"public"}


@pytest.mark.parametrize(
    ("query", "parameter", "choices"),
    [
        ("ordering=foo", "ordering", "date, -date, updated, -updated"),
        ("date_match=bogus", "date_match", "overlap, within"),
        ("precision=week", "precision", "year, month, day"),
    ],
)
def test_an_unknown_choice_lists_the_valid_ones(api_client, query, parameter, choices):
    error = error_of(api_client.get(f"/api/v1/events/?{query}"), 400)
    assert choices in error["fields"][parameter][0]
