"""Who may see and do what: the public reads published events only; curators read all and write."""

import pytest
from django.contrib.auth import get_user_model
from django.utils.crypto import get_random_string

from events.models import Event
from tests.api.conftest import error_of, result_slugs
from tests.factories import EventFactory, TagFactory

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"
NEW_EVENT = {"slug": "new", "title_en": "New event"}


@pytest.fixture
def events_in_every_status():
    return {
        status: EventFactory(slug=status, status=status, date="2025-07-26") for status in Event.Status.values
    }


def test_the_public_lists_published_events_only(api_client, reader_client, events_in_every_status):
    assert result_slugs(api_client.get(EVENTS)) == ["published"]
    assert result_slugs(reader_client.get(EVENTS)) == ["published"]


@pytest.mark.parametrize("status", ["draft", "review", "retracted"])
def test_the_public_never_sees_an_unpublished_event_even_by_id(api_client, events_in_every_status, status):
    event = events_in_every_status[status]
    assert error_of(api_client.get(f"{EVENTS}{event.pk}/"), 404)["code"] == "not_found"
    assert error_of(api_client.get(f"{EVENTS}{event.slug}/"), 404)["code"] == "not_found"


def test_curators_see_every_event(curator_client, events_in_every_status):
    assert set(result_slugs(curator_client.get(EVENTS))) == set(Event.Status.values)
    draft = events_in_every_status["draft"]
    assert curator_client.get(f"{EVENTS}{draft.pk}/").json()["status"] == "draft"


def test_an_anonymous_write_is_a_401_saying_how_to_authenticate(api_client):
    response = api_client.post(EVENTS, NEW_EVENT, format="json")
    assert error_of(response, 401)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"
    assert not Event.objects.exists()


def test_anonymous_updates_and_deletes_are_refused(api_client):
    event = EventFactory()
    assert api_client.patch(f"{EVENTS}{event.pk}/", {"title_en": "x"}, format="json").status_code == 401
    assert api_client.delete(f"{EVENTS}{event.pk}/").status_code == 401
    assert Event.objects.get().title_en == event.title_en


def test_a_signed_in_user_who_is_not_a_curator_may_not_write(reader_client):
    error = error_of(reader_client.post(EVENTS, NEW_EVENT, format="json"), 403)
    assert error["code"] == "permission_denied"
    assert error_of(reader_client.post("/api/v1/tags/", {"slug": "t", "name_en": "T"}, format="json"), 403)


def test_a_curator_writes_by_token(curator_client):
    response = curator_client.post(EVENTS, NEW_EVENT, format="json")
    assert response.status_code == 201, response.content
    assert Event.objects.get().slug == "new"


def test_a_curator_writes_by_session_with_the_csrf_token(curator_user):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(curator_user)
    assert client.post(EVENTS, NEW_EVENT, format="json").status_code == 403  # no CSRF token: refused
    token = get_random_string(32)  # what a browser holds in its CSRF cookie and echoes in the header
    client.cookies["csrftoken"] = token
    response = client.post(EVENTS, NEW_EVENT, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content


def test_a_superuser_writes_too(api_client):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.org", "correct horse battery")
    api_client.force_authenticate(admin)
    assert api_client.post("/api/v1/tags/", {"slug": "t", "name_en": "T"}, format="json").status_code == 201


def test_reference_data_is_public(api_client):
    TagFactory(slug="governance")
    assert result_slugs(api_client.get("/api/v1/tags/")) == ["governance"]
