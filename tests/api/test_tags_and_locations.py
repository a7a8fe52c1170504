"""Tags and locations: public lists in the requested language, q in any script, curator writes."""

import pytest

from events.models import Location, Tag
from tests.api.conftest import error_of, result_slugs
from tests.factories import EventFactory, LocationFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_tags_are_named_in_the_requested_language(api_client):
    TagFactory(slug="ai-governance", name_en="AI governance", name_zh="人工智能治理")
    body = api_client.get("/api/v1/tags/", {"lang": "zh-hant"}).json()["results"][0]
    assert (body["slug"], body["name"], body["name_zh"]) == ("ai-governance", "人工智慧治理", "人工智能治理")


def test_q_finds_tags_and_locations_in_any_script(api_client):
    TagFactory(slug="ai-governance", name_en="AI governance", name_zh="人工智能治理")
    TagFactory(slug="trade", name_en="Trade", name_zh="贸易")
    LocationFactory(slug="shanghai", name_en="Shanghai", name_zh="上海")
    LocationFactory(slug="new-york", name_en="New York", name_zh="纽约")
    assert result_slugs(api_client.get("/api/v1/tags/", {"q": "人工智慧"})) == ["ai-governance"]
    assert result_slugs(api_client.get("/api/v1/locations/", {"q": "紐約"})) == ["new-york"]
    assert result_slugs(api_client.get("/api/v1/locations/", {"q": "shang"})) == ["shanghai"]


def test_location_detail_by_slug_has_coordinates(api_client):
    LocationFactory(slug="shanghai", latitude="31.230400", longitude="121.473700")
    body = api_client.get("/api/v1/locations/shanghai/").json()
    assert (body["latitude"], body["longitude"]) == ("31.230400", "121.473700")


def test_a_curator_creates_and_renames_a_tag(curator_client):
    response = curator_client.post("/api/v1/tags/", {"slug": "ai", "name_en": "AI"}, format="json")
    assert response.status_code == 201, response.content
    response = curator_client.patch("/api/v1/tags/ai/", {"name_zh": "人工智能"}, format="json")
    assert response.json()["name_zh"] == "人工智能"
    assert Tag.objects.get().name_zh == "人工智能"


def test_half_a_pair_of_coordinates_is_a_400(curator_client):
    response = curator_client.post(
        "/api/v1/locations/", {"slug": "x", "name_en": "X", "latitude": "31.2"}, format="json"
    )
    error_of(response, 400)
    assert not Location.objects.exists()


def test_a_location_with_events_cannot_be_deleted_but_a_tag_can(curator_client):
    shanghai = LocationFactory(slug="shanghai")
    tag = TagFactory(slug="ai")
    EventFactory(location=shanghai, tags=[tag])
    assert error_of(curator_client.delete("/api/v1/locations/shanghai/"), 409)["code"] == "conflict"
    assert curator_client.delete("/api/v1/tags/ai/").status_code == 204
