"""The curation desk: every admin page renders, filters and script-aware search work, the event form
reads human dates, saves inlines and refuses bad input as form errors, bulk actions follow the workflow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token, TokenProxy

from events.models import (
    Actor,
    ActorAlias,
    Citation,
    Event,
    EventRelation,
    Location,
    Participation,
    Source,
    Tag,
)
from events.search import EVENT_SEARCHED_TEXTS
from ingestion.models import Feed, Finding, IngestRun
from tests import factories
from tests.admin_forms import form_errors, management_form, rendered_form_data

pytestmark = pytest.mark.django_db


def token_proxy() -> TokenProxy:
    token = Token.objects.create(user=factories.UserFactory(username="api-user"))
    return TokenProxy.objects.get(key=token.key)


# One way to build an object of every model the admin registers.
OBJECT_FACTORIES: dict[type[models.Model], Callable[[], Any]] = {
    Tag: factories.TagFactory,
    Location: factories.LocationFactory,
    Actor: factories.ActorFactory,
    ActorAlias: factories.ActorAliasFactory,
    Source: factories.SourceFactory,
    Event: factories.EventFactory,
    Participation: factories.ParticipationFactory,
    Citation: factories.CitationFactory,
    EventRelation: factories.EventRelationFactory,
    User: lambda: factories.UserFactory(username="someone"),
    Group: lambda: factories.group("editors"),
    TokenProxy: token_proxy,
    IngestRun: factories.IngestRunFactory,
    Finding: factories.FindingFactory,
    Feed: factories.FeedFactory,
}
EVENTS_MODELS = [model for model in OBJECT_FACTORIES if model._meta.app_label == "events"]


def admin_url(model: type[models.Model], page: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


@pytest.fixture
def curator_client(client: Client) -> Client:
    client.force_login(factories.curator())
    return client


def test_every_registered_model_has_a_factory_here() -> None:
    missing = set(admin.site._registry) - set(OBJECT_FACTORIES)
    assert not missing, f"Add a factory to OBJECT_FACTORIES for {missing} so its pages are tested."


def test_site_is_the_curation_desk(admin_client: Client) -> None:
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Timeline curation" in response.text


@pytest.mark.parametrize("model", list(OBJECT_FACTORIES), ids=lambda model: model._meta.label)
def test_every_admin_page_renders_for_a_superuser(admin_client: Client, model: type[models.Model]) -> None:
    obj = OBJECT_FACTORIES[model]()
    pages = {
        "changelist": admin_url(model, "changelist"),
        "add": admin_url(model, "add"),
        "change": admin_url(model, "change", obj.pk),
        "history": admin_url(model, "history", obj.pk),
        "delete": admin_url(model, "delete", obj.pk),
    }
    model_admin = admin.site._registry[model]
    if hasattr(model_admin, "history_form_view"):  # every record model: a version can be opened to revert
        version = model.history.filter(**{model._meta.pk.attname: obj.pk}).latest("history_date")  # type: ignore[attr-defined]
        pages["version"] = admin_url(model, "simple_history", obj.pk, version.history_id)
        pages["deleted"] = admin_url(model, "deleted")
    for page, url in pages.items():
        response = admin_client.get(url)
        assert response.status_code == 200, f"{model._meta.label} {page} page: {response.status_code}"


@pytest.mark.parametrize("model", EVENTS_MODELS, ids=lambda model: model._meta.label)
def test_a_curator_works_every_record_changelist(curator_client: Client, model: type[models.Model]) -> None:
    obj = OBJECT_FACTORIES[model]()
    assert curator_client.get(admin_url(model, "changelist")).status_code == 200
    assert curator_client.get(admin_url(model, "change", obj.pk)).status_code == 200
    assert curator_client.get(admin_url(model, "history", obj.pk)).status_code == 200


def test_staff_outside_the_curators_group_cannot_edit_events(client: Client) -> None:
    client.force_login(factories.UserFactory(username="visitor", is_staff=True))
    assert client.get(admin_url(Event, "changelist")).status_code == 403


# --- The event list ------------------------------------------------------------------------------


def listed_titles(response: Any) -> list[str]:
    return [event.title_en for event in response.context["cl"].result_list]


@pytest.fixture
def desk() -> dict[str, Any]:
    """A small record: events at different precisions, statuses, places, tags and actors."""
    premier = factories.ActorFactory(slug="li-qiang", name_en="Li Qiang", name_zh="李强")
    factories.ActorAliasFactory(actor=premier, name="李强", language="zh", script="Hans")
    ministry = factories.ActorFactory(slug="miit", name_en="Ministry of Industry", kind="government_body")
    ai = factories.TagFactory(slug="ai", name_en="artificial intelligence")
    beijing = factories.LocationFactory(slug="beijing", name_en="Beijing")
    speech = factories.EventFactory(
        title_en="Opening speech", date="2023-10", type=Event.Type.SPEECH, location=beijing, tags=[ai]
    )
    factories.ParticipationFactory(event=speech, actor=premier, role="speaker")
    plan = factories.EventFactory(
        title_en="Action plan", date="2025-07-26/2025-07-28", type=Event.Type.POLICY
    )
    factories.ParticipationFactory(event=plan, actor=ministry, role="publisher")
    old = factories.EventFactory(title_en="Old statement", date="2009", type=Event.Type.STATEMENT)
    draft = factories.EventFactory(title_en="Undated draft", date="", status=Event.Status.DRAFT)
    return {
        "premier": premier,
        "ministry": ministry,
        "ai": ai,
        "speech": speech,
        "plan": plan,
        "old": old,
        "draft": draft,
    }


def test_event_list_shows_dates_as_people_read_them_in_date_order(admin_client: Client, desk: dict) -> None:
    response = admin_client.get(admin_url(Event, "changelist"))
    assert listed_titles(response) == ["Old statement", "Opening speech", "Action plan", "Undated draft"]
    assert "October 2023" in response.text
    assert "26–28 July 2025" in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status__exact": "draft"}, ["Undated draft"]),
        ({"date_precision__exact": "month"}, ["Opening speech"]),
        ({"type__exact": "policy"}, ["Action plan"]),
        ({"period": "2020s"}, ["Opening speech", "Action plan"]),
        ({"period": "2023"}, ["Opening speech"]),
        ({"period": "2000s"}, ["Old statement"]),
    ],
)
def test_event_list_filters(admin_client: Client, desk: dict, query: dict, expected: list[str]) -> None:
    response = admin_client.get(admin_url(Event, "changelist") + "?" + urlencode(query))
    assert listed_titles(response) == expected


def event_with_text(path: str, text: str) -> Event:
    """An event holding ``text`` at ``path`` (one of the texts ``q`` searches, events.search)."""
    event = factories.EventFactory(title_en="Target")
    field = path.rsplit("__", 1)[-1]
    if "__" not in path:
        setattr(event, path, text)
        event.save()
    elif path.startswith("citations__"):
        factories.CitationFactory(event=event, **{field: text})
    elif path == "participations__actor__aliases__name":
        factories.ActorAliasFactory(actor=factories.ParticipationFactory(event=event).actor, name=text)
    elif path.startswith("participations__actor__"):
        factories.ParticipationFactory(event=event, actor=factories.ActorFactory(**{field: text}))
    else:
        raise AssertionError(f"no way to write {path!r} here yet: add one")
    return event


@pytest.mark.parametrize("path", EVENT_SEARCHED_TEXTS)
def test_the_event_search_box_finds_every_searched_text(admin_client: Client, path: str) -> None:
    factories.EventFactory(title_en="Other")
    event = event_with_text(path, "Zyxwvut")
    response = admin_client.get(admin_url(Event, "changelist"), {"q": "zyxwvut"})
    assert [found.pk for found in response.context["cl"].result_list] == [event.pk]


def test_event_list_filters_by_tag_and_by_actor(admin_client: Client, desk: dict) -> None:
    url = admin_url(Event, "changelist")
    by_tag = admin_client.get(url, {"tags__id__exact": desk["ai"].pk})
    assert listed_titles(by_tag) == ["Opening speech"]
    by_actor = admin_client.get(url, {"participations__actor": desk["ministry"].pk})
    assert listed_titles(by_actor) == ["Action plan"]


def test_every_offered_filter_choice_renders(admin_client: Client, desk: dict) -> None:
    url = admin_url(Event, "changelist")
    changelist = admin_client.get(url).context["cl"]
    applied = 0
    for spec in changelist.filter_specs:
        for choice in spec.choices(changelist):
            response = admin_client.get(url + choice["query_string"])
            assert response.status_code == 200, (spec.title, choice)
            applied += 1
    titles = {str(spec.title) for spec in changelist.filter_specs}
    assert titles == {"status", "date precision", "type", "tags", "actor", "date"}
    assert applied > 20


def test_period_filter_drills_down_from_decade_to_years(admin_client: Client, desk: dict) -> None:
    response = admin_client.get(admin_url(Event, "changelist"), {"period": "2020s"})
    period = next(spec for spec in response.context["cl"].filter_specs if spec.title == "date")
    values = [value for value, _ in period.lookup_choices]
    assert values[:3] == ["2020s", "2029", "2028"]
    assert "2000s" in values


def test_a_period_that_is_not_a_year_is_refused_without_a_500(admin_client: Client, desk: dict) -> None:
    response = admin_client.get(admin_url(Event, "changelist"), {"period": "last week"})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize("query", ["李強", "李强", "li qiang", "Opening"])
def test_search_finds_events_by_actor_alias_in_any_script(
    admin_client: Client, desk: dict, query: str
) -> None:
    response = admin_client.get(admin_url(Event, "changelist"), {"q": query})
    assert listed_titles(response) == ["Opening speech"]


def test_search_finds_a_traditional_alias_from_simplified_input(admin_client: Client) -> None:
    actor = factories.ActorFactory(name_en="Taipei City Government")
    factories.ActorAliasFactory(actor=actor, name="臺北市政府", language="zh", script="Hant")
    factories.ParticipationFactory(event=factories.EventFactory(title_en="Budget"), actor=actor)
    factories.EventFactory(title_en="Unrelated")
    response = admin_client.get(admin_url(Event, "changelist"), {"q": "台北市政府"})
    assert listed_titles(response) == ["Budget"]


def test_search_finds_an_event_by_its_quote_as_the_api_does(admin_client: Client) -> None:
    """The desk and the API share one definition of search: a quote's words find its event."""
    source = factories.SourceFactory(text="中國政府倡議成立世界人工智慧合作組織。")
    cited = factories.EventFactory(title_en="Proposal")
    factories.CitationFactory(event=cited, source=source, quote="倡議成立世界人工智慧合作組織")
    factories.EventFactory(title_en="Unrelated")
    response = admin_client.get(admin_url(Event, "changelist"), {"q": "人工智能合作组织"})
    assert listed_titles(response) == ["Proposal"]


def test_actor_search_matches_aliases_in_any_script(admin_client: Client, desk: dict) -> None:
    response = admin_client.get(admin_url(Actor, "changelist"), {"q": "李強"})
    assert [actor.slug for actor in response.context["cl"].result_list] == ["li-qiang"]


def test_actor_form_saves_aliases_inline(admin_client: Client) -> None:
    data = {
        "slug": "wang-yi",
        "kind": "person",
        "name_en": "Wang Yi",
        "name_zh": "王毅",
        **management_form("aliases", total=2),
        "aliases-0-name": "王毅",
        "aliases-0-language": "zh",
        "aliases-0-script": "Hans",
        "aliases-1-name": "Foreign Minister Wang Yi",
        "aliases-1-language": "en",
        "aliases-1-script": "Latn",
        "_save": "Save",
    }
    response = admin_client.post(admin_url(Actor, "add"), data)
    assert response.status_code == 302, form_errors(response)
    actor = Actor.objects.get(slug="wang-yi")
    assert sorted(actor.aliases.values_list("name", flat=True)) == ["Foreign Minister Wang Yi", "王毅"]


# --- The event form ------------------------------------------------------------------------------


def event_form_data(**overrides: Any) -> dict[str, Any]:
    """An event add form with empty inlines; callers fill what they test."""
    data = {
        "slug": "new-event",
        "title_en": "New event",
        "type": "announcement",
        "status": "draft",
        "date": "",
        **management_form("participations", total=0),
        **management_form("citations", total=0),
        **management_form("relations_out", total=0),
        **management_form("relations_in", total=0),
        "_save": "Save",
    }
    data.update(overrides)
    return data


def test_an_event_with_participants_and_citations_saves_through_the_add_form(admin_client: Client) -> None:
    premier = factories.ActorFactory(slug="li-qiang", name_en="Li Qiang")
    outlet = factories.ActorFactory(slug="xinhua", name_en="Xinhua", kind="media_outlet")
    source = factories.SourceFactory(text="Premier Li Qiang announced the plan on 26 July 2025 in Shanghai.")
    earlier = factories.EventFactory(title_en="Earlier meeting")
    tag = factories.TagFactory(slug="ai")
    data = event_form_data(
        date="26 July 2025",
        status="published",
        tags=[str(tag.pk)],
        **management_form("participations", total=2),
        **{
            "participations-0-actor": str(premier.pk),
            "participations-0-role": "announcer",
            "participations-1-actor": str(outlet.pk),
            "participations-1-role": "reporter",
            "participations-1-note": "first report",
        },
        **management_form("citations", total=1),
        **{
            "citations-0-source": str(source.pk),
            "citations-0-quote": "announced the plan on 26 July 2025",
            "citations-0-locator": "paragraph 1",
        },
        **management_form("relations_out", total=1),
        **{"relations_out-0-relation": "follows", "relations_out-0-to_event": str(earlier.pk)},
    )
    response = admin_client.post(admin_url(Event, "add"), data)
    assert response.status_code == 302, form_errors(response)

    event = Event.objects.get(slug="new-event")
    assert (event.date, event.status) == ("2025-07-26", "published")
    assert sorted(event.participations.values_list("actor__slug", "role")) == [
        ("li-qiang", "announcer"),
        ("xinhua", "reporter"),
    ]
    assert list(event.citations.values_list("source", "locator")) == [(source.pk, "paragraph 1")]
    assert list(event.relations_out.values_list("relation", "to_event")) == [("follows", earlier.pk)]
    assert list(event.tags.all()) == [tag]


def test_a_citation_whose_quote_is_not_in_the_source_is_an_inline_error(admin_client: Client) -> None:
    source = factories.SourceFactory(text="The text says one thing.")
    data = event_form_data(
        **management_form("citations", total=1),
        **{"citations-0-source": str(source.pk), "citations-0-quote": "something it never says"},
    )
    response = admin_client.post(admin_url(Event, "add"), data)
    assert response.status_code == 200
    assert "does not occur in the source" in response.text
    assert not Event.objects.filter(slug="new-event").exists()


@pytest.mark.parametrize(
    ("typed", "stored", "reads_as", "bounds"),
    [
        ("October 2023", "2023-10", "October 2023 / 2023年10月", "2023-10-01 … 2023-10-31 (month precision)"),
        ("2023年10月", "2023-10", "October 2023 / 2023年10月", "2023-10-01 … 2023-10-31 (month precision)"),
        (
            "26–28 July 2025",
            "2025-07-26/2025-07-28",
            "26–28 July 2025 / 2025年7月26日至28日",
            "2025-07-26 … 2025-07-28",
        ),
        ("c. 2024", "2024~", "c. 2024 / 约2024年", "2024-01-01 … 2024-12-31 (year precision)"),
        ("2024-08-01/..", "2024-08-01/..", "from 1 August 2024", "2024-08-01 … open"),
    ],
)
def test_the_date_field_reads_human_input_and_shows_display_and_bounds(
    admin_client: Client, typed: str, stored: str, reads_as: str, bounds: str
) -> None:
    response = admin_client.post(admin_url(Event, "add"), event_form_data(date=typed))
    assert response.status_code == 302, form_errors(response)
    event = Event.objects.get(slug="new-event")
    assert event.date == stored
    change_page = admin_client.get(admin_url(Event, "change", event.pk))
    assert reads_as in change_page.text
    assert bounds in change_page.text


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("2025-7", "the month must have two digits (write 2025-07, not 2025-7)"),
        ("2023-13", "month 13 does not exist"),
        ("2025-07-28/2025-07-26", "ends (2025-07-26) before it starts"),
        ("next Tuesday", "has no year"),
        ("whenever", "is not a date this service can read"),
    ],
)
def test_an_invalid_date_is_a_form_error_naming_the_problem(
    admin_client: Client, typed: str, problem: str
) -> None:
    response = admin_client.post(admin_url(Event, "add"), event_form_data(date=typed))
    assert response.status_code == 200
    [message] = form_errors(response)["date"]
    assert problem in message
    assert not Event.objects.filter(slug="new-event").exists()


def test_an_invalid_date_on_a_source_is_a_form_error(admin_client: Client) -> None:
    source = factories.SourceFactory()
    data = rendered_form_data(admin_client.get(admin_url(Source, "change", source.pk)))
    data["published"] = "2023-13"
    response = admin_client.post(admin_url(Source, "change", source.pk), data)
    assert response.status_code == 200
    assert "month 13 does not exist" in form_errors(response)["published"][0]


def test_publishing_an_undated_event_is_a_form_error(admin_client: Client) -> None:
    response = admin_client.post(admin_url(Event, "add"), event_form_data(status="published"))
    assert response.status_code == 200
    assert "A published event needs a date" in form_errors(response)["date"][0]
    assert not Event.objects.exists()


def test_a_status_move_the_workflow_forbids_is_a_form_error(admin_client: Client) -> None:
    event = factories.EventFactory(status=Event.Status.DRAFT)
    data = rendered_form_data(admin_client.get(admin_url(Event, "change", event.pk)))
    data["status"] = "retracted"
    response = admin_client.post(admin_url(Event, "change", event.pk), data)
    assert response.status_code == 200
    assert "A draft event cannot become retracted" in form_errors(response)["status"][0]
    event.refresh_from_db()
    assert event.status == "draft"


def test_editing_an_event_keeps_its_inlines_and_updates_fields(admin_client: Client) -> None:
    event = factories.EventFactory(title_en="Before", status=Event.Status.DRAFT)
    factories.ParticipationFactory(event=event)
    factories.CitationFactory(event=event)
    data = rendered_form_data(admin_client.get(admin_url(Event, "change", event.pk)))
    data.update(title_en="After", date="2023年10月", status="review")
    response = admin_client.post(admin_url(Event, "change", event.pk), data)
    assert response.status_code == 302, form_errors(response)
    event.refresh_from_db()
    assert (event.title_en, event.date, event.status) == ("After", "2023-10", "review")
    assert (event.participations.count(), event.citations.count()) == (1, 1)


# --- Bulk workflow actions -----------------------------------------------------------------------


def run_action(client: Client, action: str, events: list[Event]) -> Any:
    data = {"action": action, "_selected_action": [str(event.pk) for event in events]}
    return client.post(admin_url(Event, "changelist"), data, follow=True)


def test_bulk_publish_publishes_dated_events_and_reports_the_undated_one(admin_client: Client) -> None:
    dated = [factories.EventFactory(status=Event.Status.DRAFT, date=date) for date in ("2023-10", "2024")]
    undated = factories.EventFactory(title_en="No date yet", status=Event.Status.DRAFT, date="")
    response = run_action(admin_client, "publish_events", [*dated, undated])

    assert sorted(Event.objects.published().values_list("pk", flat=True)) == sorted(e.pk for e in dated)
    undated.refresh_from_db()
    assert undated.status == "draft"
    shown = [str(message) for message in response.context["messages"]]
    assert "2 events now published." in shown
    [refusal] = [message for message in shown if "refused" in message]
    assert "1 event refused" in refusal
    assert "No date yet" in refusal
    assert "A published event needs a date" in refusal


def test_bulk_retract_and_review_follow_the_workflow(admin_client: Client) -> None:
    published = factories.EventFactory(status=Event.Status.PUBLISHED)
    draft = factories.EventFactory(title_en="Never public", status=Event.Status.DRAFT)
    response = run_action(admin_client, "retract_events", [published, draft])
    published.refresh_from_db()
    draft.refresh_from_db()
    assert (published.status, draft.status) == ("retracted", "draft")
    shown = " ".join(str(message) for message in response.context["messages"])
    assert "1 event now retracted." in shown
    assert "Never public: A draft event cannot become retracted." in shown

    response = run_action(admin_client, "send_events_to_review", [published, draft])
    assert set(Event.objects.values_list("status", flat=True)) == {"review"}


def test_bulk_publish_says_which_were_already_published(admin_client: Client) -> None:
    event = factories.EventFactory(status=Event.Status.PUBLISHED)
    response = run_action(admin_client, "publish_events", [event])
    assert [str(message) for message in response.context["messages"]] == [
        "1 event already published, left as it was."
    ]


# --- Sources -------------------------------------------------------------------------------------


def test_a_source_added_in_the_admin_goes_through_the_source_service(admin_client: Client) -> None:
    data = {
        "slug": "xinhua-dispatch",
        "title": "A dispatch",
        "url": "https://news.example.org/dispatch",
        "published": "2025年7月26日",
        "language": "zh-Hant",
        "text": "國(guó)際合作",
        "_save": "Save",
    }
    response = admin_client.post(admin_url(Source, "add"), data)
    assert response.status_code == 302, form_errors(response)
    source = Source.objects.get(slug="xinhua-dispatch")
    assert (source.published, source.published_precision) == ("2025-07-26", "day")
    assert source.text == "國(guó)際合作"
    assert source.text_clean == "國際合作"  # derived by the service, shown read-only
    assert len(source.checksum) == 64


def test_editing_a_sources_text_renews_its_cleaned_text_and_checksum(admin_client: Client) -> None:
    source = factories.SourceFactory(text="Old capture.")
    old_checksum = source.checksum
    data = rendered_form_data(admin_client.get(admin_url(Source, "change", source.pk)))
    data["text"] = "國(guó)際合作"
    response = admin_client.post(admin_url(Source, "change", source.pk), data)
    assert response.status_code == 302, form_errors(response)
    source.refresh_from_db()
    assert (source.text_clean, source.checksum != old_checksum) == ("國際合作", True)
    assert "國際合作" in admin_client.get(admin_url(Source, "change", source.pk)).text


def test_saving_a_source_unchanged_keeps_its_captured_text_byte_for_byte(admin_client: Client) -> None:
    captured = "  Indented first line\nsecond line\n\n"
    source = factories.SourceFactory(text=captured)
    data = rendered_form_data(admin_client.get(admin_url(Source, "change", source.pk)))
    data["text"] = captured.replace("\n", "\r\n")  # what a browser submits from a textarea
    data["title"] = "Retitled"
    response = admin_client.post(admin_url(Source, "change", source.pk), data)
    assert response.status_code == 302, form_errors(response)
    source.refresh_from_db()
    assert (source.title, source.text) == ("Retitled", captured)


# --- Never a 500 ---------------------------------------------------------------------------------


def test_the_actor_autocomplete_finds_actors_by_alias_in_any_script(admin_client: Client, desk: dict) -> None:
    query = {"app_label": "events", "model_name": "participation", "field_name": "actor", "term": "李強"}
    response = admin_client.get(reverse("admin:autocomplete"), query)
    assert [result["id"] for result in response.json()["results"]] == [str(desk["premier"].pk)]


def test_the_same_participant_twice_in_one_form_is_an_inline_error(admin_client: Client) -> None:
    actor = factories.ActorFactory()
    data = event_form_data(
        **management_form("participations", total=2),
        **{
            "participations-0-actor": str(actor.pk),
            "participations-0-role": "speaker",
            "participations-1-actor": str(actor.pk),
            "participations-1-role": "speaker",
        },
    )
    response = admin_client.post(admin_url(Event, "add"), data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for actor and role" in response.text
    assert not Event.objects.exists()


def test_an_event_related_to_itself_is_an_inline_error(admin_client: Client) -> None:
    event = factories.EventFactory()
    data = rendered_form_data(admin_client.get(admin_url(Event, "change", event.pk)))
    data.update(
        management_form("relations_out", total=1),
        **{"relations_out-0-relation": "follows", "relations_out-0-to_event": str(event.pk)},
    )
    response = admin_client.post(admin_url(Event, "change", event.pk), data)
    assert response.status_code == 200
    assert "An event cannot be related to itself." in response.text
    assert not EventRelation.objects.exists()


def test_a_location_with_half_its_coordinates_is_a_form_error(admin_client: Client) -> None:
    data = {"slug": "somewhere", "name_en": "Somewhere", "latitude": "39.9", "_save": "Save"}
    response = admin_client.post(admin_url(Location, "add"), data)
    assert response.status_code == 200
    assert form_errors(response)
    assert not Location.objects.exists()


# --- Cost ----------------------------------------------------------------------------------------


def changelist_queries(client: Client, model: type[models.Model]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(admin_url(model, "changelist"), {"all": ""})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) > 0
    return len(captured.captured_queries)


@pytest.mark.parametrize("model", EVENTS_MODELS, ids=lambda model: model._meta.label)
def test_changelist_queries_do_not_grow_with_the_rows(
    admin_client: Client, model: type[models.Model]
) -> None:
    # A list that ran one query per row (an unselected foreign key in list_display, say) would be slow
    # on the real record; if this fails, add the relation to list_select_related.
    build = OBJECT_FACTORIES[model]
    for _ in range(3):
        build()
    few = changelist_queries(admin_client, model)
    for _ in range(20):
        build()
    many = changelist_queries(admin_client, model)
    assert many == few, f"{model._meta.label} changelist: {few} queries for 3 rows, {many} for 23"
