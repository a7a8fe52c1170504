"""HTTP validators: ETag and Last-Modified on reads, 304 Not Modified, and If-Match / 412 on writes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import caches
from django.utils import timezone
from django.utils.http import http_date
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.models import Event
from events.selectors.changes import HISTORY_TABLES
from tests import factories
from tests.api.conftest import error_of

EVENTS = "/api/v1/events/"
pytestmark = pytest.mark.django_db


def age_history(seconds: float = 10) -> None:
    """Date every change so far ``seconds`` earlier: Last-Modified is only sent for a finished second."""
    for table in HISTORY_TABLES:
        for history_id, when in table.model.objects.values_list("history_id", "history_date"):
            table.model.objects.filter(history_id=history_id).update(
                history_date=when - timedelta(seconds=seconds)
            )


@pytest.fixture
def event() -> Event:
    actor = factories.ActorFactory(slug="minister", name_en="The Minister")
    event = factories.EventFactory(slug="summit", title_en="Summit")
    factories.ParticipationFactory(event=event, actor=actor)
    factories.EventFactory(slug="talks")
    age_history()
    return event


def detail(event: Event) -> str:
    return f"{EVENTS}{event.id}/"


@pytest.mark.parametrize("url", [EVENTS, "/api/v1/events/summit/", "/api/v1/actors/", "/api/v1/changes/"])
def test_reads_carry_an_etag_and_last_modified_and_answer_304_to_a_matching_if_none_match(
    api_client: APIClient, event: Event, url: str
) -> None:
    first = api_client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    assert first["Last-Modified"]

    again = api_client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert api_client.get(url, HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304  # weak comparison
    assert api_client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_head_carries_the_same_etag_as_get(api_client: APIClient, event: Event) -> None:
    assert api_client.head(EVENTS)["ETag"] == api_client.get(EVENTS)["ETag"]


def test_the_list_etag_changes_when_a_row_is_deleted(api_client: APIClient, event: Event) -> None:
    before = api_client.get(EVENTS)["ETag"]
    Event.objects.get(slug="talks").delete()

    answer = api_client.get(EVENTS, HTTP_IF_NONE_MATCH=before)

    assert answer.status_code == 200
    assert answer["ETag"] != before


def test_the_list_etag_changes_when_something_an_event_shows_changes(
    api_client: APIClient, event: Event
) -> None:
    """The events' own rows are untouched (same updated_at, same count); the body changes all the same."""
    before = api_client.get(EVENTS)["ETag"]
    updated_at = Event.objects.get(pk=event.pk).updated_at
    actor = event.actors.get()
    actor.name_en = "The Foreign Minister"
    actor.save()

    answer = api_client.get(EVENTS, HTTP_IF_NONE_MATCH=before)

    assert Event.objects.get(pk=event.pk).updated_at == updated_at
    assert answer.status_code == 200
    assert answer["ETag"] != before


def test_the_etag_differs_by_language_and_by_user(
    api_client: APIClient, curator_client: APIClient, event: Event
) -> None:
    factories.EventFactory(status=Event.Status.DRAFT)
    english = api_client.get(EVENTS)["ETag"]
    chinese = api_client.get(EVENTS, {"lang": "zh-hans"})["ETag"]
    traditional = api_client.get(EVENTS, HTTP_ACCEPT_LANGUAGE="zh-TW")["ETag"]
    curator = curator_client.get(EVENTS)["ETag"]

    assert len({english, chinese, traditional, curator}) == 4
    assert api_client.get(EVENTS, {"lang": "zh-hans"}, HTTP_IF_NONE_MATCH=english).status_code == 200


def test_answers_vary_by_language_and_credentials(
    api_client: APIClient, curator_client: APIClient, event: Event
) -> None:
    anonymous = api_client.get(EVENTS)
    vary = {name.strip().lower() for name in anonymous["Vary"].split(",")}
    assert {"accept", "accept-language", "authorization", "cookie"} <= vary
    assert anonymous["Cache-Control"] == "no-cache"
    assert set(curator_client.get(EVENTS)["Cache-Control"].replace(" ", "").split(",")) == {
        "private",
        "no-cache",
    }


def test_if_modified_since_answers_304_until_anything_changes(api_client: APIClient, event: Event) -> None:
    last_modified = api_client.get(EVENTS)["Last-Modified"]
    assert api_client.get(EVENTS, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    Event.objects.get(slug="talks").delete()  # a delete, which no remaining row's updated_at shows
    age_history(5)

    answer = api_client.get(EVENTS, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert answer.status_code == 200
    assert answer["Last-Modified"] != last_modified


def test_if_none_match_wins_over_if_modified_since(api_client: APIClient, event: Event) -> None:
    last_modified = api_client.get(EVENTS)["Last-Modified"]
    answer = api_client.get(EVENTS, HTTP_IF_MODIFIED_SINCE=last_modified, HTTP_IF_NONE_MATCH='"stale"')
    assert answer.status_code == 200


def test_last_modified_is_withheld_while_the_newest_change_is_under_a_second_old(
    api_client: APIClient, event: Event
) -> None:
    """Two changes within one second would share an HTTP date; no date is better than a wrong 304."""
    factories.TagFactory()
    answer = api_client.get(EVENTS)
    assert "Last-Modified" not in answer
    assert (
        api_client.get(EVENTS, HTTP_IF_MODIFIED_SINCE=http_date(timezone.now().timestamp() + 60)).status_code
        == 200
    )


def test_last_modified_is_when_the_record_last_changed(api_client: APIClient, event: Event) -> None:
    newest = max(
        table.model.objects.order_by("-history_date").values_list("history_date", flat=True).first()
        for table in HISTORY_TABLES
        if table.model.objects.exists()
    )
    assert api_client.get(detail(event))["Last-Modified"] == http_date(int(newest.timestamp()))


# --- Writes ----------------------------------------------------------------------------------------


def test_a_write_with_the_current_etag_succeeds(curator_client: APIClient, event: Event) -> None:
    etag = curator_client.get(detail(event))["ETag"]

    answer = curator_client.patch(
        detail(event), {"title_en": "The summit"}, format="json", HTTP_IF_MATCH=etag
    )

    assert answer.status_code == 200, answer.content
    assert Event.objects.get(pk=event.pk).title_en == "The summit"
    assert curator_client.get(detail(event))["ETag"] != etag


def test_a_stale_if_match_is_a_412_and_nothing_is_written(curator_client: APIClient, event: Event) -> None:
    """The lost update: two curators read the same version; the second write must not erase the first."""
    other_curator = APIClient()
    other_curator.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=factories.curator('other-curator')).key}"
    )
    etag = curator_client.get(detail(event))["ETag"]
    assert other_curator.get(detail(event))["ETag"] == etag

    first = other_curator.patch(detail(event), {"title_en": "First"}, format="json", HTTP_IF_MATCH=etag)
    second = curator_client.patch(detail(event), {"summary_en": "Second"}, format="json", HTTP_IF_MATCH=etag)

    assert first.status_code == 200
    error = error_of(second, 412)
    assert error["code"] == "precondition_failed"
    assert "If-Match" in error["message"]
    stored = Event.objects.get(pk=event.pk)
    assert (stored.title_en, stored.summary_en) == ("First", "What happened.")


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_every_write_method_honours_if_match(curator_client: APIClient, event: Event, method: str) -> None:
    body = {"slug": "summit", "title_en": "Summit again", "date": "2025-07-26", "type": "meeting"}
    answer = getattr(curator_client, method)(detail(event), body, format="json", HTTP_IF_MATCH='"stale"')

    error_of(answer, 412)
    stored = Event.objects.get(pk=event.pk)
    assert (stored.title_en, stored.type) == ("Summit", Event.Type.ANNOUNCEMENT)


def test_a_delete_with_the_current_etag_deletes(curator_client: APIClient, event: Event) -> None:
    etag = curator_client.get(detail(event))["ETag"]
    assert curator_client.delete(detail(event), HTTP_IF_MATCH=etag).status_code == 204
    assert not Event.objects.filter(pk=event.pk).exists()


def test_if_match_star_and_a_missing_if_match_are_allowed(curator_client: APIClient, event: Event) -> None:
    star = curator_client.patch(detail(event), {"title_en": "Any"}, format="json", HTTP_IF_MATCH="*")
    bare = curator_client.patch(detail(event), {"title_en": "No header"}, format="json")

    assert (star.status_code, bare.status_code) == (200, 200)
    assert Event.objects.get(pk=event.pk).title_en == "No header"


def test_if_match_compares_with_a_weak_tag_strongly(curator_client: APIClient, event: Event) -> None:
    etag = curator_client.get(detail(event))["ETag"]
    answer = curator_client.patch(detail(event), {"title_en": "X"}, format="json", HTTP_IF_MATCH=f"W/{etag}")
    error_of(answer, 412)


def test_if_match_is_checked_against_the_representation_in_the_request_language(
    curator_client: APIClient, event: Event
) -> None:
    url = detail(event) + "?lang=zh-hant"
    etag = curator_client.get(url)["ETag"]
    answer = curator_client.patch(url, {"title_en": "Renamed"}, format="json", HTTP_IF_MATCH=etag)
    assert answer.status_code == 200, answer.content


def test_if_match_on_a_record_someone_else_changed_indirectly_is_stale(
    curator_client: APIClient, event: Event
) -> None:
    """The ETag is of the whole representation, so a renamed participant also makes it stale."""
    etag = curator_client.get(detail(event))["ETag"]
    actor = event.actors.get()
    actor.name_en = "Renamed"
    actor.save()

    error_of(curator_client.patch(detail(event), {"title_en": "X"}, format="json", HTTP_IF_MATCH=etag), 412)


def test_a_write_to_a_missing_record_is_still_a_404(curator_client: APIClient, event: Event) -> None:
    error_of(
        curator_client.patch(f"{EVENTS}99999/", {"title_en": "X"}, format="json", HTTP_IF_MATCH="*"), 404
    )


def test_errors_carry_no_etag(api_client: APIClient, event: Event) -> None:
    answer = api_client.get(f"{EVENTS}99999/")
    assert answer.status_code == 404
    assert "ETag" not in answer


def test_a_read_evaluates_only_the_read_conditions(api_client: APIClient, event: Event) -> None:
    # If-Match and If-Unmodified-Since guard writes; on a read they change nothing (Django would 412).
    answer = api_client.get(EVENTS, HTTP_IF_MATCH='"stale"', HTTP_IF_UNMODIFIED_SINCE=http_date(0))
    assert answer.status_code == 200


def test_a_304_from_the_anonymous_cache_is_the_same_as_one_computed_fresh(
    api_client: APIClient, event: Event, settings: Any
) -> None:
    caches["default"].clear()
    settings.API_CACHE_SECONDS = 600
    etag = api_client.get(EVENTS)["ETag"]  # fills the cache
    cached = api_client.get(EVENTS, HTTP_IF_NONE_MATCH=etag)
    settings.API_CACHE_SECONDS = 0
    fresh = api_client.get(EVENTS, HTTP_IF_NONE_MATCH=etag)
    caches["default"].clear()
    assert cached.status_code == fresh.status_code == 304
    assert {name: cached[name] for name in cached.headers if name != "Date"} == {
        name: fresh[name] for name in fresh.headers if name != "Date"
    }


def test_a_200_from_the_anonymous_cache_is_the_same_as_one_computed_fresh(
    api_client: APIClient, event: Event, settings: Any
) -> None:
    caches["default"].clear()
    settings.API_CACHE_SECONDS = 600
    api_client.get(EVENTS)  # fills the cache
    cached = api_client.get(EVENTS)
    settings.API_CACHE_SECONDS = 0
    fresh = api_client.get(EVENTS)
    caches["default"].clear()
    assert cached.status_code == fresh.status_code == 200
    assert cached.content == fresh.content
    assert {name: cached[name] for name in cached.headers if name != "Date"} == {
        name: fresh[name] for name in fresh.headers if name != "Date"
    }
