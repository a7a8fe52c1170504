"""The admin and the API refuse the same things with the same words, because both go through the model's
rules and the link services: a relation both ways between two events, a second citation of one quote
(however it is typed), and dates as people write them, read back while typing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from events.models import Event, EventRelation
from events.services.event_links import event_set_citations
from tests import factories
from tests.admin_forms import form_errors, management_form, rendered_form_data

pytestmark = pytest.mark.django_db

TWO_WAY = "An event cannot be both part_of and has_part of the same event."


def url(name: str, *args: Any) -> str:
    return reverse(f"admin:events_{name}", args=args)


def save(client: Client, event: Event, **changes: Any) -> Any:
    data = rendered_form_data(client.get(url("event_change", event.pk)))
    data.update(changes)
    return client.post(url("event_change", event.pk), data)


def inline_errors(response: Any) -> list[str]:
    return [
        message
        for inline in response.context["inline_admin_formsets"]
        for errors in inline.formset.errors
        for messages in errors.values()
        for message in messages
    ]


# --- Relations ----------------------------------------------------------------------------------


def test_the_event_form_refuses_part_of_both_ways_in_one_save(admin_client: Client) -> None:
    speech, conference = factories.EventFactory(), factories.EventFactory()
    response = save(
        admin_client,
        speech,
        **management_form("relations_out", total=1),
        **management_form("relations_in", total=1),
        **{"relations_out-0-relation": "part_of", "relations_out-0-to_event": str(conference.pk)},
        **{"relations_in-0-relation": "part_of", "relations_in-0-from_event": str(conference.pk)},
    )
    assert response.status_code == 200
    assert TWO_WAY in inline_errors(response)
    assert not EventRelation.objects.exists()


def test_the_relation_admin_and_the_api_refuse_the_reverse_of_a_link_in_the_same_words(
    admin_client: Client, admin_user: Any
) -> None:
    speech, conference = factories.EventFactory(), factories.EventFactory()
    EventRelation.objects.create(from_event=speech, relation="part_of", to_event=conference)
    data = {"from_event": conference.pk, "relation": "part_of", "to_event": speech.pk}
    response = admin_client.post(url("eventrelation_add"), data)
    assert response.status_code == 200
    assert form_errors(response)["relation"] == [TWO_WAY]

    api = APIClient()
    api.force_authenticate(admin_user)
    both_ways = [
        {"relation": "part_of", "event": speech.slug},
        {"relation": "has_part", "event": speech.slug},
    ]
    answer = api.patch(f"/api/v1/events/{conference.pk}/", {"related": both_ways}, format="json")
    assert answer.status_code == 400 and TWO_WAY in answer.content.decode()
    assert EventRelation.objects.count() == 1


# --- Citations ----------------------------------------------------------------------------------


def test_two_spellings_of_one_quote_are_one_citation(admin_client: Client) -> None:
    event = factories.EventFactory()
    source = factories.SourceFactory(text="国务院总理李强出席会议，发表讲话。")
    event_set_citations(event=event, citations=[{"source": source, "quote": "李强出席会议，发表讲话"}])

    # Typed with a half-width comma: the same quote as stored, refused on the form...
    response = save(
        admin_client,
        event,
        **management_form("citations", total=2, initial=1),
        **{"citations-1-source": str(source.pk), "citations-1-quote": "李强出席会议,发表讲话"},
    )
    assert response.status_code == 200
    assert "This source already backs the event with the same quote." in inline_errors(response)
    # ...and by the service, which keeps the one citation.
    event_set_citations(event=event, citations=[{"source": source, "quote": "李强出席会议,发表讲话"}])
    assert list(event.citations.values_list("quote", flat=True)) == ["李强出席会议，发表讲话"]


def test_inline_rows_are_written_through_the_services_and_recorded(admin_client: Client) -> None:
    event = factories.EventFactory()
    actor = factories.ActorFactory()
    response = save(
        admin_client,
        event,
        **management_form("participations", total=1),
        **{"participations-0-actor": str(actor.pk), "participations-0-role": "speaker"},
    )
    assert response.status_code == 302
    assert [(part.actor, part.role) for part in event.participations.all()] == [(actor, "speaker")]
    event.refresh_from_db()
    latest = event.history.latest("history_date")
    assert latest.history_change_reason == "Changed its participations"


# --- Dates ----------------------------------------------------------------------------------------


def add_event(client: Client, date: str, status: str = "published") -> Any:
    data = {
        "slug": "typed",
        "title_en": "Typed by a person",
        "type": "other",
        "status": status,
        "date": date,
        **management_form("participations", total=0),
        **management_form("citations", total=0),
        **management_form("relations_out", total=0),
        **management_form("relations_in", total=0),
    }
    return client.post(url("event_add"), data)


@pytest.mark.parametrize(
    "typed,stored",
    [
        ("~2024-05", "2024-05~"),
        ("c. May 2024", "2024-05~"),
        ("2024年5月前后", "2024-05~"),
        ("circa 2024", "2024~"),
        ("2024年上半年", "2024-01/2024-06"),
        ("2024年2月下旬", "2024-02-21/2024-02-29"),
    ],
)
def test_the_event_form_takes_dates_as_people_write_them(
    admin_client: Client, typed: str, stored: str
) -> None:
    response = add_event(admin_client, typed)
    assert response.status_code == 302, form_errors(response)
    assert Event.objects.get(slug="typed").date == stored


@pytest.mark.parametrize("typed,word", [("mid-2023", "mid"), ("late 2023", "late"), ("2023年底", "底")])
def test_a_vague_date_is_refused_once_naming_the_word(admin_client: Client, typed: str, word: str) -> None:
    response = add_event(admin_client, typed)
    assert response.status_code == 200
    errors = form_errors(response)
    # One message, about the date as typed; not a second one saying published events need a date.
    assert len(errors["date"]) == 1 and f"“{word}” names no exact months or days" in errors["date"][0]
    assert not Event.objects.exists()


def test_the_date_preview_reads_a_date_as_the_form_will(admin_client: Client) -> None:
    preview = url("date_preview")
    answer = admin_client.get(preview, {"text": "~2024-05"}).json()
    assert answer == {
        "edtf": "2024-05~",
        "reads_as": "c. May 2024 / 约2024年5月",
        "bounds": "2024-05-01 … 2024-05-31 (month precision)",
    }
    refused = admin_client.get(preview, {"text": "late 2023"}).json()
    assert refused["error"].startswith("Not a date: 'late 2023': “late” names no exact months")
    assert admin_client.get(preview, {"text": ""}).json()["reads_as"] == "undated"


@pytest.mark.parametrize(
    "hostile", ["2024\x00-05", "2" * 1_000_000, "2024-02-30", "2024-13", "../..", "年月日"]
)
def test_the_date_preview_answers_hostile_text_without_a_server_error(
    admin_client: Client, hostile: str
) -> None:
    response = admin_client.get(url("date_preview"), {"text": hostile})
    assert response.status_code in {200, 400} and "error" in response.json()


def test_the_date_preview_is_for_staff_only(client: Client) -> None:
    response = client.get(url("date_preview"), {"text": "2024"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_link_edited_on_its_own_page_moves_its_events(admin_client: Client) -> None:
    speech, conference = factories.EventFactory(), factories.EventFactory()
    before = {event.pk: event.updated_at for event in (speech, conference)}
    data = {"from_event": speech.pk, "relation": "part_of", "to_event": conference.pk}
    assert admin_client.post(url("eventrelation_add"), data).status_code == 302
    for event in (speech, conference):
        event.refresh_from_db()
        assert event.updated_at > before[event.pk]
    moved = {event.pk: event.updated_at for event in (speech, conference)}
    link = EventRelation.objects.get()
    assert admin_client.post(url("eventrelation_delete", link.pk), {"post": "yes"}).status_code == 302
    speech.refresh_from_db()
    assert not EventRelation.objects.exists() and speech.updated_at > moved[speech.pk]
