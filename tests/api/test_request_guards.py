"""Requests no view can answer: NUL characters, deep or huge bodies, other formats and media types."""

import json

import pytest
from django.test import override_settings

from events.models import Tag
from tests.api.conftest import error_of
from tests.factories import EventFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/events/?source=a%00b", "source"),
        ("/api/v1/events/?tag=a%00b", "tag"),
        ("/api/v1/events/?publisher=a%00b", "publisher"),
        ("/api/v1/events/?location=a%00b", "location"),
        ("/api/v1/events/?q=li%00", "q"),
        ("/api/v1/sources/?publisher=a%00b", "publisher"),
        ("/api/v1/changes/?since=%00", "since"),
    ],
)
def test_a_nul_in_a_parameter_is_a_400_naming_it(api_client, path, parameter):
    error = error_of(api_client.get(path), 400)
    assert parameter in error["fields"]
    assert "NUL" in error["message"]


@pytest.mark.parametrize("path", ["/api/v1/tags/x%00/", "/api/v1/events/%00/", "/api/v1/actors/a%00b/"])
def test_a_nul_in_a_detail_url_is_a_400(api_client, path):
    assert "NUL" in error_of(api_client.get(path), 400)["message"]


def test_a_nul_in_a_header_is_a_400(api_client):
    error = error_of(api_client.get("/api/v1/events/", HTTP_AUTHORIZATION="Token a\x00b"), 400)
    assert "Authorization" in error["message"]


def test_a_nul_in_a_json_body_is_a_400_naming_where(curator_client):
    event = EventFactory()
    response = curator_client.patch(f"/api/v1/events/{event.pk}/", {"tags": ["a\u0000b"]}, format="json")
    assert "tags[0]" in error_of(response, 400)["message"]
    response = curator_client.post("/api/v1/tags/", {"slug": "x", "name_en": "a\u0000"}, format="json")
    assert "name_en" in error_of(response, 400)["message"]


@pytest.mark.parametrize("depth", [33, 10_000, 100_000])
def test_deeply_nested_json_is_a_400(curator_client, depth):
    body = "[" * depth + "]" * depth
    response = curator_client.post("/api/v1/tags/", body, content_type="application/json")
    assert "nested" in error_of(response, 400)["message"]


def test_ordinary_nesting_is_still_read(curator_client):
    body = {"slug": "fine", "name_en": "Fine", "extra": [[[["deep but not too deep"]]]]}
    assert curator_client.post("/api/v1/tags/", body, format="json").status_code == 201


@pytest.mark.parametrize("megabytes", [3, 5])
def test_a_body_over_the_limit_is_a_413_in_the_error_shape(curator_client, megabytes):
    body = json.dumps({"slug": "big", "name_en": "x" * (megabytes * 1024 * 1024)})
    response = curator_client.post("/api/v1/tags/", body, content_type="application/json")
    assert "bytes at most" in error_of(response, 413)["message"]


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10)
def test_too_many_parameters_is_a_json_400(api_client):
    query = "&".join(f"p{number}=1" for number in range(20))
    assert error_of(api_client.get(f"/api/v1/events/?{query}"), 400)["code"] == "invalid"


@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "text/plain",
        "application/xml",
    ],
)
def test_bodies_other_than_json_are_a_415(curator_client, content_type):
    response = curator_client.generic("POST", "/api/v1/tags/", "slug=x&name_en=X", content_type=content_type)
    assert error_of(response, 415)["code"] == "unsupported_media_type"
    assert not Tag.objects.exists()


@pytest.mark.parametrize("value", ["xml", "api", "csv", ""])
def test_a_format_other_than_json_is_a_400_naming_the_parameter(api_client, value):
    tag = TagFactory()
    for path in ("/api/v1/events/", f"/api/v1/tags/{tag.slug}/", "/api/v1/changes/"):
        error = error_of(api_client.get(path, {"format": value}), 400)
        assert "format" in error["fields"], path


def test_format_json_is_accepted_and_stays_out_of_the_records_links(api_client):
    EventFactory(status="published")
    response = api_client.get("/api/v1/events/", {"format": "json"})
    assert response.status_code == 200
    urls = [record["url"] for record in response.json()["results"]]
    assert urls and not any("format" in url for url in urls)
