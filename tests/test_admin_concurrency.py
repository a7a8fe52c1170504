"""Two curators at once: a save over someone else's save is refused with what changed (and can be
reapplied), and two saves choosing one slug end in a form error, never a 500."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse

from events.models import Actor, Event, Location, Source, Tag
from tests import factories
from tests.admin_forms import form_errors, management_form, rendered_form_data

pytestmark = pytest.mark.django_db


def admin_url(model: type[models.Model], page: str, *args: Any) -> str:
    return reverse(f"admin:events_{model._meta.model_name}_{page}", args=args)


def signed_in(username: str) -> Client:
    """A browser session of its own: a curator signs in with a password, as at the login page."""
    factories.curator(username)
    client = Client()
    response = client.post(
        reverse("admin:login"),
        {"username": username, "password": "correct horse battery staple", "next": "/admin/"},
    )
    assert response.status_code == 302, "the curator could not sign in"
    return client


@pytest.fixture
def mei() -> Client:
    return signed_in("mei")


@pytest.fixture
def jun() -> Client:
    return signed_in("jun")


def open_form(client: Client, obj: models.Model) -> dict[str, Any]:
    """The change page's form as the browser would submit it unchanged."""
    return rendered_form_data(client.get(admin_url(type(obj), "change", obj.pk)))


def non_field_errors(response: Any) -> list[str]:
    return list(response.context["adminform"].form.non_field_errors())


def test_the_second_of_two_saves_from_forms_opened_together_is_refused_with_what_changed(
    mei: Client, jun: Client
) -> None:
    event = factories.EventFactory(title_en="As imported", summary_en="Original summary.")
    mei_form, jun_form = open_form(mei, event), open_form(jun, event)

    mei_form["title_en"] = "Mei's title"
    assert mei.post(admin_url(Event, "change", event.pk), mei_form).status_code == 302
    jun_form["summary_en"] = "Jun's summary."
    refused = jun.post(admin_url(Event, "change", event.pk), jun_form)

    assert refused.status_code == 200
    event.refresh_from_db()
    assert (event.title_en, event.summary_en) == ("Mei's title", "Original summary.")
    errors = non_field_errors(refused)
    assert "changed by mei after you opened this form" in errors[0]
    assert "Title (english): “As imported” → “Mei's title”." in errors
    # Jun's input is still in the form, which now carries the new version: saving again reapplies it.
    again = rendered_form_data(refused)
    assert again["summary_en"] == "Jun's summary."
    assert again["title_en"] == "As imported"  # what Jun's form held; Jun decides, having been told
    again["title_en"] = "Mei's title"
    assert jun.post(admin_url(Event, "change", event.pk), again).status_code == 302
    event.refresh_from_db()
    assert (event.title_en, event.summary_en) == ("Mei's title", "Jun's summary.")


def test_an_inline_change_by_one_curator_stops_the_others_stale_save(mei: Client, jun: Client) -> None:
    event = factories.EventFactory()
    actor = factories.ActorFactory(name_en="Wang Yi")
    mei_form, jun_form = open_form(mei, event), open_form(jun, event)
    mei_form.update(
        management_form("participations", total=1),
        **{"participations-0-actor": str(actor.pk), "participations-0-role": "speaker"},
    )
    assert mei.post(admin_url(Event, "change", event.pk), mei_form).status_code == 302
    jun_form["title_en"] = "Retitled"
    refused = jun.post(admin_url(Event, "change", event.pk), jun_form)
    assert refused.status_code == 200
    assert "Participations: 1 change." in non_field_errors(refused)
    assert Event.objects.get(pk=event.pk).title_en != "Retitled"


@pytest.mark.parametrize(
    ("build", "field", "value"),
    [
        (factories.TagFactory, "name_en", "renamed"),
        (factories.LocationFactory, "name_en", "Renamed"),
        (factories.ActorFactory, "name_en", "Renamed"),
        (factories.SourceFactory, "title", "Renamed"),
        (factories.ParticipationFactory, "note", "a note"),
        (factories.CitationFactory, "locator", "paragraph 2"),
    ],
    ids=lambda value: (
        getattr(getattr(value, "_meta", None), "model", value).__name__
        if hasattr(value, "_meta")
        else str(value)
    ),
)
def test_every_record_form_refuses_a_stale_save(
    mei: Client, jun: Client, build: Callable[[], models.Model], field: str, value: str
) -> None:
    obj = build()
    mei_form, jun_form = open_form(mei, obj), open_form(jun, obj)
    mei_form[field] = value
    assert mei.post(admin_url(type(obj), "change", obj.pk), mei_form).status_code == 302
    jun_form[field] = value + " (jun)"
    refused = jun.post(admin_url(type(obj), "change", obj.pk), jun_form)
    assert refused.status_code == 200
    assert "changed by mei" in non_field_errors(refused)[0]
    obj.refresh_from_db()
    assert getattr(obj, field) == value


def test_a_revert_from_a_stale_history_page_is_refused(mei: Client, jun: Client) -> None:
    event = factories.EventFactory(title_en="First")
    first = event.history.latest("history_date")
    page = reverse("admin:events_event_simple_history", args=[event.pk, first.history_id])
    jun_revert = rendered_form_data(jun.get(page))
    mei_form = open_form(mei, event)
    mei_form["title_en"] = "Second"
    assert mei.post(admin_url(Event, "change", event.pk), mei_form).status_code == 302
    refused = jun.post(page, jun_revert)
    assert refused.status_code == 200
    assert Event.objects.get(pk=event.pk).title_en == "Second"


@pytest.mark.parametrize(
    "build",
    [
        factories.EventFactory,
        factories.SourceFactory,
        factories.TagFactory,
        factories.LocationFactory,
        factories.ActorFactory,
        factories.ActorAliasFactory,
        factories.ParticipationFactory,
        factories.CitationFactory,
        factories.EventRelationFactory,
    ],
    ids=lambda build: build._meta.model.__name__,
)
def test_every_change_page_and_revert_page_sends_the_version_to_the_browser(
    mei: Client, build: Callable[[], models.Model]
) -> None:
    obj = build()
    version = type(obj)._default_manager.get(pk=obj.pk).updated_at.isoformat()  # type: ignore[attr-defined]
    hidden = f'<input type="hidden" name="record_version" value="{version}"'
    assert hidden in mei.get(admin_url(type(obj), "change", obj.pk)).text
    record = obj.history.latest("history_date")  # type: ignore[attr-defined]
    assert hidden in mei.get(admin_url(type(obj), "simple_history", obj.pk, record.history_id)).text


def test_a_save_without_the_version_is_refused_rather_than_trusted(mei: Client) -> None:
    tag = factories.TagFactory(name_en="before")
    data = open_form(mei, tag)
    del data["record_version"]
    data["name_en"] = "after"
    response = mei.post(admin_url(Tag, "change", tag.pk), data)
    assert response.status_code == 200
    assert Tag.objects.get(pk=tag.pk).name_en == "before"


# --- Two curators choosing one slug ----------------------------------------------------------------


@contextmanager
def uniqueness_unseen_at_first(model: type[models.Model], times: int) -> Iterator[None]:
    """The race: the first ``times`` uniqueness checks run before the other curator's row committed,
    so they find no clash; the write then meets the database's unique constraint."""
    original = model.validate_unique
    calls = {"count": 0}

    def validate_unique(self: models.Model, exclude: Any = None) -> None:
        calls["count"] += 1
        if calls["count"] > times:
            original(self, exclude=exclude)

    model.validate_unique = validate_unique  # type: ignore[method-assign]
    try:
        yield
    finally:
        model.validate_unique = original  # type: ignore[method-assign]


ADD_FORMS: dict[type[models.Model], dict[str, str]] = {
    Event: {
        "title_en": "Taken",
        "type": "announcement",
        "status": "draft",
        **management_form("participations", total=0),
        **management_form("citations", total=0),
        **management_form("relations_out", total=0),
        **management_form("relations_in", total=0),
    },
    Actor: {"kind": "person", "name_en": "Taken", **management_form("aliases", total=0)},
    Tag: {"name_en": "taken"},
    Location: {"name_en": "Taken"},
    Source: {"title": "Taken", "language": "en"},
}
OTHER_ROWS: dict[type[models.Model], Callable[..., models.Model]] = {
    Event: factories.EventFactory,
    Actor: factories.ActorFactory,
    Tag: factories.TagFactory,
    Location: factories.LocationFactory,
    Source: factories.SourceFactory,
}


# How many uniqueness checks run before the row is written: the form's, then the service's (events and
# sources are written through services, which validate again). Missing all of them leaves the clash to
# the database's unique constraint; missing only the form's leaves it to the service.
RACES = [
    (Event, 2),
    (Event, 1),
    (Source, 2),
    (Source, 1),
    (Actor, 1),
    (Tag, 1),
    (Location, 1),
]


@pytest.mark.parametrize(
    ("model", "checks_missed"), RACES, ids=[f"{model.__name__}-{missed}" for model, missed in RACES]
)
def test_two_curators_adding_one_slug_at_once_get_a_form_error_not_a_500(
    mei: Client, model: type[models.Model], checks_missed: int
) -> None:
    OTHER_ROWS[model](slug="taken")  # the other curator's save, committed while this one was checked
    data = {**ADD_FORMS[model], "slug": "taken", "_save": "Save"}
    with uniqueness_unseen_at_first(model, times=checks_missed):
        response = mei.post(admin_url(model, "add"), data)
    assert response.status_code == 200
    assert "already exists" in form_errors(response)["slug"][0]
    assert model._default_manager.filter(slug="taken").count() == 1
