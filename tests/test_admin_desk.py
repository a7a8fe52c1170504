"""The curation desk's rough edges, filed down: a small event list at any number of actors, incoming
relations on the form and in the history, clear bulk messages, headings and history rows, records that
move when their inline rows do, and no duplicate or impossible citations and statuses."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from events.models import Event, EventRelation
from events.scripts import script_variants, to_traditional, to_traditional_characters
from tests import factories
from tests.admin_forms import form_errors, management_form, rendered_form_data

pytestmark = pytest.mark.django_db


def url(name: str, *args: Any) -> str:
    return reverse(f"admin:events_{name}", args=args)


def save(client: Client, event: Event, **changes: Any) -> Any:
    data = rendered_form_data(client.get(url("event_change", event.pk)))
    data.update(changes)
    return client.post(url("event_change", event.pk), data)


# --- The event list ------------------------------------------------------------------------------


def test_the_actor_filter_stays_one_box_however_many_actors_take_part(admin_client: Client) -> None:
    for n in range(120):
        factories.ParticipationFactory(actor=factories.ActorFactory(name_en=f"Participant {n}"))
    response = admin_client.get(url("event_changelist"))
    sidebar = response.text.split('id="changelist-filter"', 1)[1]
    assert sidebar.count("participations__actor") <= 3  # the box, not a link per actor
    assert "Participant 7" not in sidebar
    chosen = factories.ActorFactory(name_en="Chosen One")
    event = factories.EventFactory(title_en="With the chosen one")
    factories.ParticipationFactory(event=event, actor=chosen)
    filtered = admin_client.get(url("event_changelist"), {"participations__actor": chosen.pk})
    assert [row.title_en for row in filtered.context["cl"].result_list] == ["With the chosen one"]


def test_the_event_list_names_each_events_actors(admin_client: Client) -> None:
    event = factories.EventFactory()
    for name in ("Li Qiang", "Xinhua"):
        factories.ParticipationFactory(event=event, actor=factories.ActorFactory(name_en=name))
    response = admin_client.get(url("event_changelist"))
    assert re.search(r'<td class="field-actors_shown">Li Qiang, Xinhua</td>', response.text)


# --- The event form and its history ---------------------------------------------------------------


def test_incoming_relations_show_on_the_event_form_and_in_its_history(admin_client: Client) -> None:
    conference = factories.EventFactory(title_en="The conference")
    speech = factories.EventFactory(title_en="The opening speech")
    EventRelation.objects.create(from_event=speech, relation="part_of", to_event=conference)

    form = admin_client.get(url("event_change", conference.pk))
    incoming = [
        inline for inline in form.context["inline_admin_formsets"] if inline.formset.fk.name == "to_event"
    ]
    assert [f.instance.from_event for f in incoming[0].formset.forms if f.instance.pk] == [speech]
    history = admin_client.get(url("event_history", conference.pk)).text
    assert "Relations from other events: their own histories" in history
    assert "The opening speech is part of The conference" in history


def test_after_a_refused_save_the_heading_keeps_the_stored_date(admin_client: Client) -> None:
    event = factories.EventFactory(title_en="Dated", date="2023-10", status=Event.Status.PUBLISHED)
    response = save(admin_client, event, date="")  # a published event cannot lose its date
    assert response.status_code == 200
    assert "<h2>Dated (2023-10)</h2>" in response.text


def test_history_shows_no_none_for_seeded_rows_and_a_revert_as_a_revert(admin_client: Client) -> None:
    call_command("load_seed", stdout=StringIO())
    event = Event.objects.first()
    assert event is not None
    page = admin_client.get(url("event_history", event.pk)).text
    table = page.split('id="change-history"', 1)[1].split("</table>", 1)[0]
    assert "None" not in table
    assert "seed data loaded" in table

    first = event.history.earliest("history_date")
    assert save(admin_client, event, title_en="Changed title").status_code == 302
    version = url("event_simple_history", event.pk, first.history_id)
    assert admin_client.post(version, rendered_form_data(admin_client.get(version))).status_code == 302
    newest = event.history.latest("history_date")
    assert newest.history_change_reason.startswith("Reverted to the version of ")
    page = admin_client.get(url("event_history", event.pk)).text
    assert "<td>Reverted</td>" in page


# --- Bulk actions --------------------------------------------------------------------------------


def test_a_bulk_publish_refusal_says_its_reason_once_and_looks_like_a_warning(admin_client: Client) -> None:
    undated = factories.EventFactory(title_en="No date yet", status=Event.Status.DRAFT, date="")
    response = admin_client.post(
        url("event_changelist"),
        {"action": "publish_events", "_selected_action": [str(undated.pk)]},
        follow=True,
    )
    [message] = list(response.context["messages"])
    assert message.level_tag == "warning"
    assert str(message).count("needs a date") == 1
    # No list inside the message: the admin styles every <li> in its message list as a message.
    messages = response.text.split('class="messagelist"', 1)[1].split("</ul>", 1)[0]
    assert messages.count("<li") == 1


# --- Sources -------------------------------------------------------------------------------------


def test_the_source_autocomplete_finds_sources_by_publisher(admin_client: Client) -> None:
    xinhua = factories.ActorFactory(name_en="Xinhua News Agency", name_zh="新华社", kind="media_outlet")
    dispatch = factories.SourceFactory(title="Dispatch on the plan", publisher=xinhua)
    factories.SourceFactory(title="Something else")
    for term in ("Xinhua", "新华社", "新華社"):
        query = {"app_label": "events", "model_name": "citation", "field_name": "source", "term": term}
        results = admin_client.get(reverse("admin:autocomplete"), query).json()["results"]
        assert [result["id"] for result in results] == [str(dispatch.pk)], term


# --- Records drift no more -----------------------------------------------------------------------


def test_an_inline_only_edit_moves_the_events_updated_at(admin_client: Client) -> None:
    event = factories.EventFactory()
    before = event.updated_at
    actor = factories.ActorFactory()
    response = save(
        admin_client,
        event,
        **management_form("participations", total=1),
        **{"participations-0-actor": str(actor.pk), "participations-0-role": "speaker"},
    )
    assert response.status_code == 302, form_errors(response)
    event.refresh_from_db()
    assert event.updated_at > before
    assert event.history.latest("history_date").history_change_reason == "Changed its participations"


def test_the_same_source_and_quote_twice_is_refused(admin_client: Client) -> None:
    event = factories.EventFactory()
    source = factories.SourceFactory(text="The plan was announced today.")
    response = save(
        admin_client,
        event,
        **management_form("citations", total=2),
        **{
            "citations-0-source": str(source.pk),
            "citations-0-quote": "The plan was announced",
            "citations-1-source": str(source.pk),
            "citations-1-quote": "The plan was announced",
        },
    )
    assert response.status_code == 200
    assert "This source already backs the event with the same quote." in response.text
    assert not event.citations.exists()


def test_the_add_form_cannot_create_an_event_as_retracted(admin_client: Client) -> None:
    data = {
        "slug": "born-retracted",
        "title_en": "Never published",
        "type": "announcement",
        "status": "retracted",
        "date": "2024",
        **management_form("participations", total=0),
        **management_form("citations", total=0),
        **management_form("relations_out", total=0),
        **management_form("relations_in", total=0),
        "_save": "Save",
    }
    response = admin_client.post(url("event_add"), data)
    assert response.status_code == 200
    assert "A new event cannot be retracted" in form_errors(response)["status"][0]
    assert not Event.objects.exists()


# --- Scripts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        ("会议通过并发布了行动计划", "並發布"),  # 并 "and" + 发布 "publish"
        ("中方并发表声明", "並發表"),
        ("合并发布", "合併"),  # 合并 "merge" keeps 併
        ("出现并发症", "併發症"),  # a complication
    ],
)
def test_traditional_output_reads_bing_as_the_phrase_means(simplified: str, traditional: str) -> None:
    assert traditional in to_traditional(simplified)
    assert traditional in to_traditional_characters(simplified)


def test_search_variants_of_a_phrase_with_bing_include_the_right_traditional_form() -> None:
    assert "並發布" in "".join(script_variants("并发布"))
    assert "併發布" not in "".join(script_variants("并发布"))
