"""Nothing a curator saves is ever silently lost: every admin change is recorded with who and when,
and any version — of an event, of a row edited inline, of something deleted — can be restored."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from events.models import Event, Participation
from tests import factories
from tests.admin_forms import form_errors, rendered_form_data

pytestmark = pytest.mark.django_db


def url(name: str, *args: Any) -> str:
    return reverse(f"admin:events_{name}", args=args)


def edit_event(client: Client, event: Event, **changes: Any) -> None:
    """Open the event's change page and save it with ``changes``, as a curator would."""
    data = rendered_form_data(client.get(url("event_change", event.pk)))
    data.update(changes)
    response = client.post(url("event_change", event.pk), data)
    assert response.status_code == 302, form_errors(response)


def revert(client: Client, model_name: str, object_id: int, version: Any) -> None:
    """Open a version from the history page and press Revert."""
    page = url(f"{model_name}_simple_history", object_id, version.history_id)
    response = client.post(page, rendered_form_data(client.get(page)))
    assert response.status_code == 302, form_errors(response)


@pytest.fixture
def curator() -> Any:
    return factories.curator("mei")


@pytest.fixture
def curator_client(client: Client, curator: Any) -> Client:
    client.force_login(curator)
    return client


def test_two_edits_then_a_revert_to_the_first_restores_it_and_history_shows_who(
    curator_client: Client, curator: Any
) -> None:
    ai, trade = factories.TagFactory(slug="ai"), factories.TagFactory(slug="trade")
    event = factories.EventFactory(title_en="As imported", date="2023", status=Event.Status.DRAFT)

    edit_event(curator_client, event, title_en="First wording", date="October 2023", tags=[str(ai.pk)])
    first = event.history.filter(title_en="First wording").latest("history_date")
    edit_event(
        curator_client,
        event,
        title_en="Second wording",
        date="2024",
        summary_en="Rewritten.",
        tags=[str(trade.pk)],
    )
    event.refresh_from_db()
    assert (event.title_en, event.date, list(event.tags.all())) == ("Second wording", "2024", [trade])

    revert(curator_client, "event", event.pk, first)

    event.refresh_from_db()
    assert event.title_en == "First wording"
    assert (event.date, event.date_start.isoformat(), event.date_precision) == (
        "2023-10",
        "2023-10-01",
        "month",
    )
    assert event.summary_en == "What happened."
    assert list(event.tags.all()) == [ai]
    newest = event.history.latest("history_date")
    assert newest.history_user == curator
    assert newest.title_en == "First wording"

    history_page = curator_client.get(url("event_history", event.pk))
    assert history_page.status_code == 200
    text = history_page.text
    assert "mei" in text
    # The diff column shows what each version changed, old → new.
    assert "Second wording" in text and "First wording" in text
    records = list(event.history.all())
    assert all(record.history_user == curator for record in records[:-1])  # all but the import
    assert records[-1].history_user is None


def test_the_history_page_lists_inline_rows_and_a_removed_participant_can_be_restored(
    curator_client: Client, curator: Any
) -> None:
    event = factories.EventFactory(title_en="Summit")
    speaker = factories.ParticipationFactory(
        event=event, actor=factories.ActorFactory(name_en="Kept"), role="speaker"
    )
    host = factories.ParticipationFactory(
        event=event, actor=factories.ActorFactory(name_en="Dropped"), role="host"
    )

    data = rendered_form_data(curator_client.get(url("event_change", event.pk)))
    [host_prefix] = [
        name[: -len("-id")] for name, value in data.items() if name.endswith("-id") and value == str(host.pk)
    ]
    data[f"{host_prefix}-DELETE"] = "on"
    response = curator_client.post(url("event_change", event.pk), data)
    assert response.status_code == 302, form_errors(response)
    assert list(event.participations.all()) == [speaker]

    history_page = curator_client.get(url("event_history", event.pk)).text
    assert url("participation_history", speaker.pk) in history_page
    assert url("participation_history", host.pk) in history_page
    assert "Dropped – host</a> (removed" in history_page

    host_history = Participation.history.filter(id=host.pk)
    deletion = host_history.latest("history_date")
    assert (deletion.history_type, deletion.history_user) == ("-", curator)
    assert curator_client.get(url("participation_history", host.pk)).status_code == 200

    revert(curator_client, "participation", host.pk, host_history.earliest("history_date"))
    assert sorted(event.participations.values_list("pk", "role")) == [
        (speaker.pk, "speaker"),
        (host.pk, "host"),
    ]


def test_a_deleted_event_is_listed_and_restored_from_its_history_with_its_id(curator_client: Client) -> None:
    event = factories.EventFactory(title_en="Deleted by mistake", date="2023-10")
    event_id = event.pk
    response = curator_client.post(url("event_delete", event_id), {"post": "yes"})
    assert response.status_code == 302
    assert not Event.objects.filter(pk=event_id).exists()

    deleted_page = curator_client.get(url("event_deleted"))
    assert "Deleted by mistake" in deleted_page.text
    assert url("event_history", event_id) in deleted_page.text
    assert curator_client.get(url("event_history", event_id)).status_code == 200

    before_deletion = Event.history.filter(id=event_id, history_type="+").get()
    revert(curator_client, "event", event_id, before_deletion)

    restored = Event.objects.get(pk=event_id)
    assert (restored.title_en, restored.date, restored.status) == (
        "Deleted by mistake",
        "2023-10",
        "published",
    )
    assert curator_client.get(url("event_deleted")).context["rows"] == []


def test_bulk_actions_are_recorded_with_the_curator(curator_client: Client, curator: Any) -> None:
    event = factories.EventFactory(status=Event.Status.DRAFT)
    curator_client.post(url("event_changelist"), {"action": "publish_events", "_selected_action": [event.pk]})
    newest = event.history.latest("history_date")
    assert (newest.status, newest.history_user) == ("published", curator)


def test_a_revert_that_the_workflow_forbids_is_a_form_error(curator_client: Client) -> None:
    event = factories.EventFactory(status=Event.Status.DRAFT)
    draft_version = event.history.latest("history_date")
    edit_event(curator_client, event, status="published")
    page = url("event_simple_history", event.pk, draft_version.history_id)
    response = curator_client.post(page, rendered_form_data(curator_client.get(page)))
    assert response.status_code == 200
    assert "A published event cannot become draft" in form_errors(response)["status"][0]
